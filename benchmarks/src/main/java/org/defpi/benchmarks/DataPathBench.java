package org.defpi.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The data-path benchmark in one run: JMH throughput of the SDK and of a raw socket, then
 * ping-pong round-trip latency of both, printed in a few lines with the SDK/raw ratio and the
 * issue's targets (throughput at least half the raw socket's, p99 round trip under 2 ms). About a
 * minute on two cores. Exit status 0 whatever the numbers: it measures, it does not gate.
 *
 * <p>Arguments: {@code quick} for a shorter, noisier run.
 */
public final class DataPathBench {
  private static final double THROUGHPUT_TARGET = 0.5;
  private static final double P99_TARGET_MS = 2.0;

  private DataPathBench() {}

  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("quick") || List.of(args).contains("--quick");
    Duration warmup = Duration.ofSeconds(quick ? 1 : 3);
    Duration measure = Duration.ofSeconds(quick ? 2 : 6);
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf("defpi data path: 200-byte messages on loopback, %d cores, %s%n", cores,
        System.getProperty("java.vm.name") + " " + Runtime.version());

    Map<String, Double> throughput = throughput(quick);
    Histogram rawLatency = RoundTripLatency.raw(warmup, measure);
    Histogram sdkLatency = RoundTripLatency.sdk(warmup, measure);

    double raw = throughput.get("raw");
    double sdk = throughput.get("sdk");
    System.out.printf(Locale.ROOT, "throughput  raw %,9.0f msg/s   sdk %,9.0f msg/s   sdk/raw %.2f  [target >= %.2f: %s]%n",
        raw, sdk, sdk / raw, THROUGHPUT_TARGET, sdk / raw >= THROUGHPUT_TARGET ? "met" : "MISSED");
    System.out.println(line("round trip  raw", rawLatency));
    System.out.println(line("round trip  sdk", sdkLatency) + String.format(Locale.ROOT, "  [target p99 < %.1f ms: %s]",
        P99_TARGET_MS, ms(sdkLatency.getValueAtPercentile(99)) < P99_TARGET_MS ? "met" : "MISSED"));
  }

  /** Messages per second of each path: its messages over its time, summed over the iterations. */
  private static Map<String, Double> throughput(boolean quick) throws Exception {
    OptionsBuilder builder = new OptionsBuilder();
    builder.include(ThroughputBenchmark.class.getName()).verbosity(VerboseMode.SILENT);
    if (Runtime.version().feature() >= 23) {
      builder.jvmArgsAppend("--sun-misc-unsafe-memory-access=allow"); // JMH's Unsafe use warns from JDK 23 on
    }
    if (quick) {
      builder.warmupIterations(2).warmupTime(TimeValue.seconds(1))
          .measurementIterations(2).measurementTime(TimeValue.seconds(1));
    }
    Options options = builder.build();
    RunResult result = new Runner(options).runSingle();
    Map<String, Result> counters = result.getSecondaryResults();
    Map<String, Double> rates = new TreeMap<>();
    for (String path : List.of("raw", "sdk")) {
      double messages = counters.get(path + "Messages").getScore();
      double nanos = counters.get(path + "Nanos").getScore();
      rates.put(path, messages / nanos * 1e9);
    }
    return rates;
  }

  private static String line(String label, Histogram h) {
    return String.format(Locale.ROOT, "%s  p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms  (%,d round trips)",
        label, ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)),
        ms(h.getMaxValue()), h.getTotalCount());
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }
}
