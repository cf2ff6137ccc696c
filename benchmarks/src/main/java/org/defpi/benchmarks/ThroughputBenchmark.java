package org.defpi.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.defpi.sdk.Connection;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Messages per second from one end of a data connection to the other's handler, 200-byte frames
 * on loopback, beside the raw-socket baseline.
 *
 * <p>Both paths are open side by side and each invocation delivers one batch on each, in
 * alternating order, timing each batch: so the two are measured under the same conditions, even on
 * a machine whose load drifts (a shared two-core box does), and the ratio is fair. A batch counts
 * once the receiver has counted all of it: delivered messages, not messages queued somewhere. The
 * per-path rates are the {@link Counters} sums, messages over nanoseconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ThroughputBenchmark {
  static final int BATCH = 2000;
  private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(30);

  /** Time and messages per path, summed by JMH over an iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Counters {
    public long rawMessages;
    public long rawNanos;
    public long sdkMessages;
    public long sdkNanos;

    @Setup(Level.Iteration)
    public void reset() {
      rawMessages = 0;
      rawNanos = 0;
      sdkMessages = 0;
      sdkNanos = 0;
    }
  }

  private RawPath raw;
  private SdkPath sdk;
  private final Arrivals sdkArrivals = new Arrivals();
  private long rawSent;
  private long sdkSent;
  private boolean rawFirst;

  @Setup(Level.Trial)
  public void open() throws Exception {
    raw = RawPath.oneWay();
    sdk = SdkPath.open();
    sdk.listener().onMessage = (connection, message) -> sdkArrivals.arrived();
  }

  @Benchmark
  public void bothPaths(Counters counters) throws Exception {
    rawFirst = !rawFirst;
    if (rawFirst) {
      counters.rawNanos += rawBatch();
      counters.sdkNanos += sdkBatch();
    } else {
      counters.sdkNanos += sdkBatch();
      counters.rawNanos += rawBatch();
    }
    counters.rawMessages += BATCH;
    counters.sdkMessages += BATCH;
  }

  private long rawBatch() throws Exception {
    long start = System.nanoTime();
    for (int i = 0; i < BATCH; i++) {
      raw.send();
    }
    rawSent += BATCH;
    raw.arrivals().await(rawSent, BATCH_TIMEOUT);
    return System.nanoTime() - start;
  }

  private long sdkBatch() throws Exception {
    long start = System.nanoTime();
    Connection connection = sdk.connector().connection();
    for (int i = 0; i < BATCH; i++) {
      connection.send(Message200.MESSAGE);
    }
    sdkSent += BATCH;
    sdkArrivals.await(sdkSent, BATCH_TIMEOUT);
    return System.nanoTime() - start;
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    raw.close();
    sdk.close();
  }
}
