package org.defpi.orchestrator.traffic;

import java.time.Duration;

/** Per-second rates of one connection end between its two latest reports. */
public record Rates(double messagesInPerSecond, double messagesOutPerSecond, double bytesInPerSecond,
    double bytesOutPerSecond) {
  public static final Rates ZERO = new Rates(0, 0, 0, 0);

  /**
   * The rates from {@code earlier} to {@code later}, {@code elapsed} apart. Zero when there is no
   * time between them or the counts went down (the process restarted: the difference means nothing).
   */
  static Rates between(Counters earlier, Counters later, Duration elapsed) {
    if (elapsed.isNegative() || elapsed.isZero() || later.restartedSince(earlier)) {
      return ZERO;
    }
    double seconds = elapsed.toNanos() / 1e9;
    return new Rates((later.messagesIn() - earlier.messagesIn()) / seconds,
        (later.messagesOut() - earlier.messagesOut()) / seconds,
        (later.bytesIn() - earlier.bytesIn()) / seconds,
        (later.bytesOut() - earlier.bytesOut()) / seconds);
  }
}
