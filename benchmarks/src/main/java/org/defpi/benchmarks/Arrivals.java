package org.defpi.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts messages as they arrive and lets one thread wait for a count, without a lock on the
 * receiving side: a volatile read per arrival, and an unpark only when the waiter's target is met.
 */
final class Arrivals {
  private final AtomicLong count = new AtomicLong();
  private volatile Thread waiter;
  private volatile long target = Long.MAX_VALUE;

  void arrived() {
    if (count.incrementAndGet() >= target) {
      Thread w = waiter;
      if (w != null) {
        LockSupport.unpark(w);
      }
    }
  }

  long count() {
    return count.get();
  }

  /** Waits until {@code n} messages arrived in all. */
  void await(long n, Duration timeout) throws TimeoutException {
    if (count.get() >= n) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    waiter = Thread.currentThread(); // published before the target, read after it by arrived()
    target = n;
    try {
      while (count.get() < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException("only " + count.get() + " of " + n + " messages arrived within " + timeout);
        }
        LockSupport.parkNanos(Math.min(left, 10_000_000L));
      }
    } finally {
      target = Long.MAX_VALUE;
      waiter = null;
    }
  }
}
