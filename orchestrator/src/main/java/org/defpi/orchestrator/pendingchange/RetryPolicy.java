package org.defpi.orchestrator.pendingchange;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how soon a failed change is tried again: at most {@code maxAttempts} attempts, the
 * waits between them doubling from {@code initialDelay} up to {@code maxDelay}.
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {
  /** 10 attempts, 1 s doubling to a minute: waits of 1+2+4+8+16+32+60+60+60 s, about 4 minutes of trying. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(10, Duration.ofSeconds(1), Duration.ofMinutes(1));

  public RetryPolicy {
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    if (initialDelay.isNegative() || initialDelay.isZero() || maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException("need 0 < initialDelay <= maxDelay, got initialDelay=" + initialDelay
          + " maxDelay=" + maxDelay);
    }
  }

  /** The wait after failed attempt number {@code attempt} (1-based) before the next one. */
  public Duration delayAfter(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
    }
    // doubling Durations, saturating at the cap: no overflow whatever the attempt or the delays
    Duration delay = initialDelay;
    for (int i = 1; i < attempt && delay.compareTo(maxDelay) < 0; i++) {
      delay = delay.compareTo(maxDelay.dividedBy(2)) > 0 ? maxDelay : delay.multipliedBy(2);
    }
    return delay;
  }
}
