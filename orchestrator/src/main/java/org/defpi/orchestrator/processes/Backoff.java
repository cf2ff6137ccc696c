package org.defpi.orchestrator.processes;

import java.time.Duration;
import java.util.Objects;

/** How long to wait before connect attempt {@code n + 1}: doubling from {@code initial}, capped at {@code max}. */
public record Backoff(Duration initial, Duration max) {
  public Backoff {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max, got initial=" + initial + " max=" + max);
    }
  }

  /** The wait after the {@code failures}-th failed attempt (1-based). */
  public Duration delayAfter(int failures) {
    if (failures < 1) {
      throw new IllegalArgumentException("failures must be at least 1: " + failures);
    }
    int shift = Math.min(failures - 1, 30);
    long millis = initial.toMillis() << shift;
    return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
  }
}
