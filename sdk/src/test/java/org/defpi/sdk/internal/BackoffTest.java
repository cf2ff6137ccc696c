package org.defpi.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2));

  @Test
  void doublesFromTheInitialDelayUpToTheCap() {
    assertThat(backoff.delay(0)).isEqualTo(Duration.ofMillis(50));
    assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.delay(5)).isEqualTo(Duration.ofMillis(1600));
    assertThat(backoff.delay(6)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.delay(1_000_000)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aCapBelowTheInitialDelayIsRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofMillis(1)))
        .hasMessage("max back-off PT0.001S is below the initial PT1S");
  }
}
