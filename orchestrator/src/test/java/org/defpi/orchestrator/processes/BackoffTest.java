package org.defpi.orchestrator.processes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {
  @ParameterizedTest(name = "after {0} failures wait {1} ms")
  @CsvSource({"1, 100", "2, 200", "3, 400", "5, 1600", "6, 2000", "40, 2000", "2000000000, 2000"})
  void doublesUpToTheCap(int failures, long millis) {
    assertThat(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2)).delayAfter(failures))
        .isEqualTo(Duration.ofMillis(millis));
  }
}
