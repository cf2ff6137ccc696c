package org.defpi.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.defpi.sdk.internal.HeartbeatMonitor.Action;
import org.junit.jupiter.api.Test;

class HeartbeatMonitorTest {
  @Test
  void aPeerThatAnswersIsNeverDead() {
    HeartbeatMonitor monitor = new HeartbeatMonitor(2);
    for (int i = 0; i < 10; i++) {
      assertThat(monitor.tick()).isEqualTo(Action.PING);
      monitor.frameReceived();
    }
  }

  @Test
  void aSilentPeerIsDeadAfterTheLimitOfIntervals() {
    HeartbeatMonitor monitor = new HeartbeatMonitor(2);
    assertThat(monitor.tick()).isEqualTo(Action.PING); // the handshake counted as a sign of life
    assertThat(monitor.tick()).isEqualTo(Action.PING); // one missed
    assertThat(monitor.tick()).isEqualTo(Action.DEAD); // two missed
    assertThat(monitor.missed()).isEqualTo(2);
  }

  @Test
  void anyFrameResetsTheCount() {
    HeartbeatMonitor monitor = new HeartbeatMonitor(2);
    monitor.tick();
    monitor.tick();
    monitor.frameReceived();
    assertThat(monitor.tick()).isEqualTo(Action.PING);
    assertThat(monitor.missed()).isZero();
  }

  @Test
  void theLimitMustBePositive() {
    assertThatThrownBy(() -> new HeartbeatMonitor(0)).hasMessageContaining("at least 1, is 0");
  }
}
