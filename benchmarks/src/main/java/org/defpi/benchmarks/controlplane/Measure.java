package org.defpi.benchmarks.controlplane;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/** Times operations into HdrHistograms: one after the other, or from several threads at once. */
final class Measure {
  private Measure() {}

  @FunctionalInterface
  interface Op {
    void run() throws Exception;
  }

  @FunctionalInterface
  interface IndexedOp {
    void run(int index) throws Exception;
  }

  /**
   * How long to time something: a warm-up (not recorded), then samples until {@code measure} has
   * passed and at least {@code minSamples} were taken, or {@code maxSamples} were.
   */
  record Budget(Duration warmup, Duration measure, int minSamples, int maxSamples) {
    Budget {
      Objects.requireNonNull(warmup, "warmup");
      Objects.requireNonNull(measure, "measure");
      if (minSamples < 1 || maxSamples < minSamples) {
        throw new IllegalArgumentException("need 1 <= minSamples <= maxSamples, not " + minSamples + ", " + maxSamples);
      }
    }

    Budget scaled(double factor) {
      return new Budget(Duration.ofNanos((long) (warmup.toNanos() * factor)),
          Duration.ofNanos((long) (measure.toNanos() * factor)), minSamples, maxSamples);
    }

    Budget withSamples(int min, int max) {
      return new Budget(warmup, measure, min, max);
    }
  }

  /** What a timing gave: the latencies and the rate over the recorded part's wall time. */
  record Timed(Histogram histogram, double perSecond) {
    long count() {
      return histogram.getTotalCount();
    }
  }

  /** Runs {@code op} one at a time, as a single client would. */
  static Timed repeat(Budget budget, Op op) throws Exception {
    return repeat(budget, () -> { }, op);
  }

  /**
   * Runs {@code before} (not timed) and {@code op} (timed) one after the other; the rate is over the
   * time of {@code op} alone.
   */
  static Timed repeat(Budget budget, Op before, Op op) throws Exception {
    long warmupEnd = System.nanoTime() + budget.warmup().toNanos();
    while (System.nanoTime() < warmupEnd) {
      before.run();
      op.run();
    }
    Histogram histogram = Row.newHistogram();
    long end = System.nanoTime() + budget.measure().toNanos();
    long timed = 0;
    long now;
    do {
      before.run();
      long t = System.nanoTime();
      op.run();
      now = System.nanoTime();
      histogram.recordValue(now - t);
      timed += now - t;
    } while (histogram.getTotalCount() < budget.maxSamples()
        && (now < end || histogram.getTotalCount() < budget.minSamples()));
    return new Timed(histogram, histogram.getTotalCount() * 1e9 / timed);
  }

  /**
   * Runs {@code op(0)} … {@code op(count - 1)} on {@code threads} virtual threads, each taking the
   * next index, as that many clients would; the first failure stops them and is thrown.
   */
  static Timed concurrent(int threads, int count, IndexedOp op) throws Exception {
    return concurrent(threads, count, Duration.ofDays(1), op);
  }

  /** As {@link #concurrent(int, int, IndexedOp)}, taking no new index once {@code cap} has passed. */
  static Timed concurrent(int threads, int count, Duration cap, IndexedOp op) throws Exception {
    AtomicInteger next = new AtomicInteger();
    long deadline = System.nanoTime() + cap.toNanos();
    AtomicReference<Exception> failed = new AtomicReference<>();
    List<Histogram> histograms = new ArrayList<>();
    List<Thread> running = new ArrayList<>();
    long started = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      Histogram h = Row.newHistogram();
      histograms.add(h);
      running.add(Thread.ofVirtual().name("bench-client-" + t).start(() -> {
        int i;
        while (failed.get() == null && System.nanoTime() < deadline && (i = next.getAndIncrement()) < count) {
          long t0 = System.nanoTime();
          try {
            op.run(i);
          } catch (Exception e) {
            failed.compareAndSet(null, e);
            return;
          }
          h.recordValue(System.nanoTime() - t0);
        }
      }));
    }
    for (Thread t : running) {
      t.join();
    }
    long elapsed = System.nanoTime() - started;
    if (failed.get() != null) {
      throw failed.get();
    }
    Histogram all = Row.newHistogram();
    histograms.forEach(all::add);
    return new Timed(all, all.getTotalCount() * 1e9 / elapsed);
  }
}
