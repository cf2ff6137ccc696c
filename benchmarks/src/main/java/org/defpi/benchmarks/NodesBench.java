package org.defpi.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The data path between two nodes: node A (this JVM) and node B ({@link NodePeer}, another JVM)
 * in two network namespaces, over the link between them, on three paths: raw TCP, two SDK
 * processes in plain TCP, and two in TLS 1.3. Prints one table of throughput and round-trip
 * percentiles. Run by {@code scripts/bench-nodes.sh} ({@code ./defpi bench nodes [quick]}), which
 * makes the namespaces, the shared certificate authority and node B first.
 *
 * <p>Throughput: batches of {@link NodeWiring#BATCH} 200-byte messages one way, each timed until
 * node B acknowledges it (so only delivered messages count, as in {@link ThroughputBenchmark}),
 * the three paths taking turns batch by batch so a machine whose load drifts treats them alike;
 * a warm-up, then a measured time. Each path's rate is its messages over its own batches' time.
 * A timed loop rather than JMH: JMH's forked JVM would have to wire its own processes to node B
 * for every fork, and JMH adds nothing to a batch that takes milliseconds.
 *
 * <p>Round trip: as {@link RoundTripLatency}, ping-pong with one message in flight, node B echoing,
 * each path in turn; HdrHistogram percentiles.
 *
 * <p>Arguments: {@code peer=ADDRESS dir=RUN_DIRECTORY link=DESCRIPTION [quick]}. Exit status 0
 * whatever the numbers: it measures, it does not gate.
 */
public final class NodesBench {
  private NodesBench() {}

  /** How long each part runs. */
  record Durations(Duration throughputWarmup, Duration throughput, Duration roundTripWarmup, Duration roundTrip) {
    static final Durations FULL = new Durations(Duration.ofSeconds(5), Duration.ofSeconds(45),
        Duration.ofSeconds(3), Duration.ofSeconds(20));
    static final Durations QUICK = new Durations(Duration.ofSeconds(2), Duration.ofSeconds(6),
        Duration.ofSeconds(1), Duration.ofSeconds(3));
  }

  /** One line of the table. */
  record Row(String label, double messagesPerSecond, Histogram roundTrips) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> named = new HashMap<>();
    boolean quick = false;
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq > 0) {
        named.put(arg.substring(0, eq), arg.substring(eq + 1));
      } else if (arg.equals("quick")) {
        quick = true;
      } else {
        usage("unknown argument '" + arg + "'");
      }
    }
    String peer = named.getOrDefault("peer", "");
    if (peer.isEmpty() || !named.containsKey("dir")) {
      usage("peer= and dir= are required");
    }
    Path dir = Path.of(named.get("dir"));
    Durations durations = quick ? Durations.QUICK : Durations.FULL;

    System.out.printf(Locale.ROOT, "defpi data path between two nodes: %s%n", named.getOrDefault("link", "peer " + peer));
    System.out.printf(Locale.ROOT, "%d-byte frame payloads, %d cores (load average %.1f), %s %s%s%n",
        Message200.PAYLOAD_BYTES, Runtime.getRuntime().availableProcessors(), loadAverage(),
        System.getProperty("java.vm.name"), Runtime.version(), quick ? ", quick run" : "");
    System.out.printf(Locale.ROOT, "throughput: one way, batches of %,d each acknowledged by the receiver, paths taking"
        + " turns: %d s warm-up, %d s measured%n", NodeWiring.BATCH, durations.throughputWarmup().toSeconds(),
        durations.throughput().toSeconds());
    System.out.printf(Locale.ROOT, "round trip: ping-pong, one message in flight, each path %d s warm-up, %d s measured%n",
        durations.roundTripWarmup().toSeconds(), durations.roundTrip().toSeconds());

    List<Row> rows = new ArrayList<>();
    try (NodePath raw = new RawNodePath(peer);
        NodePath plain = SdkNodePath.open(NodeWiring.PLAIN, peer, dir);
        NodePath tls = SdkNodePath.open(NodeWiring.TLS, peer, dir)) {
      List<NodePath> paths = List.of(raw, plain, tls);
      double[] rates = throughput(paths, durations);
      for (int i = 0; i < paths.size(); i++) {
        NodePath path = paths.get(i);
        rows.add(new Row(path.label(), rates[i], path.roundTrips(durations.roundTripWarmup(), durations.roundTrip())));
      }
    }
    print(rows);
  }

  /** Messages per second of each path: batches in turn, a warm-up then the measured time. */
  private static double[] throughput(List<NodePath> paths, Durations durations) throws Exception {
    long[] nanos = new long[paths.size()];
    long[] messages = new long[paths.size()];
    int first = 0;
    for (boolean measuring : new boolean[] {false, true}) {
      long end = System.nanoTime() + (measuring ? durations.throughput() : durations.throughputWarmup()).toNanos();
      while (System.nanoTime() < end) {
        first = (first + 1) % paths.size(); // each path goes first in turn
        for (int k = 0; k < paths.size(); k++) {
          int i = (first + k) % paths.size();
          long took = paths.get(i).batch();
          if (measuring) {
            nanos[i] += took;
            messages[i] += NodeWiring.BATCH;
          }
        }
      }
    }
    double[] rates = new double[paths.size()];
    for (int i = 0; i < rates.length; i++) {
      rates[i] = messages[i] * 1e9 / nanos[i];
    }
    return rates;
  }

  private static void print(List<Row> rows) {
    System.out.println();
    System.out.printf(Locale.ROOT, "%-22s %10s %8s   %8s %8s %8s %8s %12s%n",
        "path", "msgs/s", "MB/s", "rtt p50", "p99", "p99.9", "max", "round trips");
    for (Row row : rows) {
      Histogram h = row.roundTrips();
      System.out.printf(Locale.ROOT, "%-22s %,10.0f %8.1f   %8.3f %8.3f %8.3f %8.3f %,12d%n",
          row.label(), row.messagesPerSecond(), row.messagesPerSecond() * Message200.PAYLOAD_BYTES / 1e6,
          ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)),
          ms(h.getMaxValue()), h.getTotalCount());
    }
    double raw = rows.get(0).messagesPerSecond();
    System.out.printf(Locale.ROOT, "rtt in ms; MB/s of frame payloads (10^6 bytes); throughput of raw: sdk plain %.2f,"
        + " sdk tls %.2f; tls/plain %.2f; load average at the end %.1f%n", rows.get(1).messagesPerSecond() / raw,
        rows.get(2).messagesPerSecond() / raw, rows.get(2).messagesPerSecond() / rows.get(1).messagesPerSecond(),
        loadAverage());
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }

  private static void usage(String problem) {
    System.err.println("NodesBench: " + problem + " (usage: NodesBench peer=ADDRESS dir=RUN_DIRECTORY"
        + " [link=DESCRIPTION] [quick])");
    System.exit(2);
  }
}
