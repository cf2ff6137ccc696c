package org.defpi.sdk.internal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Liveness of one socket of a data connection, without the clock or the socket: the socket's
 * heartbeat thread calls {@link #tick()} once per ping interval and the reader calls {@link
 * #frameReceived()} for every frame. Any frame counts as a sign of life, not only a PONG, so a
 * peer that is busy sending is never declared dead.
 *
 * <p>With a limit of 2 and an interval of 1 s a silent peer is declared dead 2–3 s after its last
 * frame. A dEF-Pi peer answers our pings once its own handshake is done; it pings every 10 s,
 * which the reader answers independently of this monitor.
 */
final class HeartbeatMonitor {
  enum Action { PING, DEAD }

  private final int missedLimit;
  private final AtomicBoolean heardSinceLastTick = new AtomicBoolean(true);
  private int missed; // only the heartbeat thread touches it

  HeartbeatMonitor(int missedLimit) {
    if (missedLimit < 1) {
      throw new IllegalArgumentException("missed heartbeat limit must be at least 1, is " + missedLimit);
    }
    this.missedLimit = missedLimit;
  }

  void frameReceived() {
    heardSinceLastTick.set(true);
  }

  /** One ping interval passed: ping again, or give up on the peer. */
  Action tick() {
    if (heardSinceLastTick.getAndSet(false)) {
      missed = 0;
    } else {
      missed++;
    }
    return missed >= missedLimit ? Action.DEAD : Action.PING;
  }

  int missed() {
    return missed;
  }
}
