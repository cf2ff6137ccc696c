package org.defpi.orchestrator.pendingchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {
  private static final RetryPolicy POLICY = new RetryPolicy(10, Duration.ofSeconds(1), Duration.ofSeconds(60));

  @ParameterizedTest(name = "after attempt {0} wait {1} s")
  @CsvSource({"1, 1", "2, 2", "3, 4", "6, 32", "7, 60", "8, 60", "64, 60", "2147483647, 60"})
  void doublesFromTheInitialDelayUpToTheCap(int attempt, long seconds) {
    assertThat(POLICY.delayAfter(attempt)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @Test
  void neitherSubMillisecondNorHugeDelaysOverflowOrVanish() {
    assertThat(new RetryPolicy(3, Duration.ofNanos(1), Duration.ofNanos(5)).delayAfter(2)).isEqualTo(Duration.ofNanos(2));
    assertThat(new RetryPolicy(3, Duration.ofNanos(1), Duration.ofNanos(5)).delayAfter(4)).isEqualTo(Duration.ofNanos(5));
    Duration huge = Duration.ofSeconds(Long.MAX_VALUE / 2);
    assertThat(new RetryPolicy(3, Duration.ofDays(1), huge).delayAfter(Integer.MAX_VALUE)).isEqualTo(huge);
  }

  @Test
  void theDefaultTriesTenTimesForAboutFourMinutes() {
    Duration total = Duration.ZERO;
    for (int attempt = 1; attempt < RetryPolicy.DEFAULT.maxAttempts(); attempt++) {
      total = total.plus(RetryPolicy.DEFAULT.delayAfter(attempt));
    }
    assertThat(RetryPolicy.DEFAULT.maxAttempts()).isEqualTo(10);
    assertThat(total).isEqualTo(Duration.ofSeconds(243));
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> POLICY.delayAfter(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("attempt must be at least 1");
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .hasMessageContaining("maxAttempts must be at least 1");
    assertThatThrownBy(() -> new RetryPolicy(1, Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("need 0 < initialDelay <= maxDelay");
    assertThatThrownBy(() -> new RetryPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("need 0 < initialDelay <= maxDelay");
  }
}
