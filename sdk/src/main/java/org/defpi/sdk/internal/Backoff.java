package org.defpi.sdk.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Capped exponential back-off: {@code initial}, twice that, four times, … never more than {@code
 * max}. A value; the attempt count lives with whoever retries.
 */
record Backoff(Duration initial, Duration max) {
  Backoff {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial back-off must be positive, is " + initial);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max back-off " + max + " is below the initial " + initial);
    }
  }

  /** The delay before retry number {@code attempt} (0 for the first retry). */
  Duration delay(int attempt) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must be non-negative, is " + attempt);
    }
    // Shifting past 62 bits would overflow; by then the cap applies anyway.
    int shift = Math.min(attempt, 30);
    long nanos = initial.toNanos();
    long grown = nanos > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : nanos << shift;
    return grown >= max.toNanos() ? max : Duration.ofNanos(grown);
  }
}
