package org.defpi.examples.powermeter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.defpi.sdk.InvalidStateException;
import org.defpi.sdk.ServiceState;
import org.junit.jupiter.api.Test;

class PowerMeterServiceTest {
  @Test
  void numbersEachReceiverFromOneUpToCount() throws Exception {
    PowerMeterService meter = new PowerMeterService();
    List<Integer> toA = new ArrayList<>();
    while (meter.sendNext("a", 3, toA::add).isPresent()) {
      // all of them
    }
    assertThat(toA).containsExactly(1, 2, 3);
    assertThat(meter.sendNext("b", 3, n -> {})).hasValue(1);
  }

  @Test
  void anotherMeterResumedFromTheSavedStateGoesOnWhereTheFirstStopped() throws Exception {
    PowerMeterService first = new PowerMeterService();
    first.sendNext("a", 10, n -> {});
    first.sendNext("a", 10, n -> {});
    byte[] saved = first.suspend();

    PowerMeterService moved = new PowerMeterService();
    moved.resumeFrom(saved);
    List<Integer> sent = new ArrayList<>();
    moved.sendNext("a", 10, sent::add);
    assertThat(sent).containsExactly(3);
  }

  @Test
  void sendsNothingWhileSuspended() throws Exception {
    PowerMeterService meter = new PowerMeterService();
    meter.suspend();
    List<Integer> sent = new ArrayList<>();
    Thread sender = Thread.ofVirtual().start(() -> {
      try {
        meter.sendNext("a", 10, sent::add);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(sender.join(java.time.Duration.ofMillis(200))).isFalse();
    assertThat(sent).isEmpty();
    meter.resumeFrom(new byte[0]);
    assertThat(sender.join(java.time.Duration.ofSeconds(5))).isTrue();
    assertThat(sent).containsExactly(1);
  }

  @Test
  void refusesTheStateOfAnotherService() {
    byte[] foreign = ServiceState.of("power-logger", "1", PowerMeterService.STATE_TYPE, new byte[0]).toBytes();
    assertThatThrownBy(() -> new PowerMeterService().resumeFrom(foreign)).isInstanceOf(InvalidStateException.class)
        .hasMessageContaining("power-logger");
  }

  @Test
  void stopsAtCount() throws Exception {
    PowerMeterService meter = new PowerMeterService();
    meter.sendNext("a", 1, n -> {});
    assertThat(meter.sendNext("a", 1, n -> {})).isEqualTo(OptionalInt.empty());
  }
}
