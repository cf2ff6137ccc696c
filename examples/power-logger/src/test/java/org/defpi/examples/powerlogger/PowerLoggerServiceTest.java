package org.defpi.examples.powerlogger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.defpi.sdk.InvalidStateException;
import org.defpi.sdk.ServiceState;
import org.junit.jupiter.api.Test;

class PowerLoggerServiceTest {
  @Test
  void countsPerSender() {
    PowerLoggerService logger = new PowerLoggerService();
    assertThat(logger.count("a")).isEqualTo(1);
    assertThat(logger.count("a")).isEqualTo(2);
    assertThat(logger.count("b")).isEqualTo(1);
  }

  @Test
  void countsGoOnInTheResumedLogger() throws Exception {
    PowerLoggerService first = new PowerLoggerService();
    first.count("a");
    first.count("a");
    PowerLoggerService moved = new PowerLoggerService();
    moved.resumeFrom(first.suspend());
    assertThat(moved.count("a")).isEqualTo(3);
    assertThat(moved.count("b")).isEqualTo(1);
  }

  @Test
  void anEmptyStateIsAFreshStart() throws Exception {
    PowerLoggerService logger = new PowerLoggerService();
    logger.resumeFrom(new byte[0]);
    assertThat(logger.count("a")).isEqualTo(1);
  }

  @Test
  void refusesUnreadableCounts() {
    byte[] broken = ServiceState.of("power-logger", "1", PowerLoggerService.STATE_TYPE,
        "a=many".getBytes(StandardCharsets.UTF_8)).toBytes();
    assertThatThrownBy(() -> new PowerLoggerService().resumeFrom(broken)).isInstanceOf(InvalidStateException.class)
        .hasMessageContaining("unreadable");
  }
}
