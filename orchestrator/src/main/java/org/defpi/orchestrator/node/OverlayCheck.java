package org.defpi.orchestrator.node;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.defpi.orchestrator.node.SwarmNodes.SwarmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Swarm's encrypted overlays carry traffic between the nodes, checked where they are on
 * ({@code DEFPI_OVERLAY_ENCRYPTION=on}). Swarm encrypts them with the kernel's IPsec (ESP with
 * AES-GCM); a kernel without it drops the traffic between nodes silently, and connections would
 * just hang. So a probe runs on every node on an encrypted network of its own ({@link OverlayProbe}),
 * each probe tries every other, the orchestrator tries every probe and reads what each found (over
 * a plain network beside), and a node pair that carries nothing is reported (a WARN line when it starts or stops failing; {@code GET /status}).
 *
 * <p>{@link #evaluate} is pure: what each probe said, and whether the orchestrator reached it, to
 * the pairs of nodes.
 */
public final class OverlayCheck {
  private static final Logger LOG = LoggerFactory.getLogger(OverlayCheck.class);

  /** One probe: the node it runs on and its address on the encrypted network being checked. */
  public record Probe(String nodeId, InetAddress address) {
    public Probe {
      Objects.requireNonNull(nodeId, "nodeId");
      Objects.requireNonNull(address, "address");
    }
  }

  /**
   * What the orchestrator found of a probe: whether it reached the probe over the encrypted network,
   * and what the probe says it reached of the others and missed (read over a plain network, so that
   * a probe the encrypted one cannot reach still tells); nothing when it could not be read at all.
   */
  public record Reading(Probe probe, boolean orchestratorReached, Optional<Set<InetAddress>> reached,
      Optional<Set<InetAddress>> missed) {
    public Reading {
      Objects.requireNonNull(probe, "probe");
      Objects.requireNonNull(reached, "reached");
      Objects.requireNonNull(missed, "missed");
    }

    public static Reading unreachable(Probe probe) {
      return new Reading(probe, false, Optional.empty(), Optional.empty());
    }
  }

  /** A pair of nodes (ordered by id) and whether the encrypted overlay carries traffic between them. */
  public record Pair(String nodeA, String nodeB, boolean carries, String how) {}

  /** The latest check: when, its pairs, and the pairs that carry nothing. */
  public record Report(Instant at, List<Pair> pairs) {
    public List<Pair> failing() {
      return pairs.stream().filter(p -> !p.carries()).toList();
    }
  }

  /** What the connector does: makes sure the probes run and reads them. */
  public interface OverlayProbe {
    /** The node the orchestrator runs on (its probe readings start there). */
    String orchestratorNode() throws SwarmException;

    List<Reading> probe() throws SwarmException, InterruptedException;
  }

  private final OverlayProbe probe;
  private final Clock clock;
  private volatile Report latest;

  public OverlayCheck(OverlayProbe probe, Clock clock) {
    this.probe = Objects.requireNonNull(probe, "probe");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Optional<Report> latest() {
    return Optional.ofNullable(latest);
  }

  /** Checks now, then every {@code interval}; a failed check is logged and tried again next time. */
  public OverlayCheck start(ScheduledExecutorService scheduler, Duration interval) {
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        check();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (SwarmException | RuntimeException e) {
        LOG.warn("overlay check: {}", e.getMessage());
      }
    }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  public Report check() throws SwarmException, InterruptedException {
    Report report = new Report(clock.instant(), evaluate(probe.orchestratorNode(), probe.probe()));
    Set<Pair> before = latest == null ? Set.of() : new java.util.HashSet<>(latest.failing());
    for (Pair p : report.failing()) {
      if (!before.contains(p)) {
        LOG.warn("the encrypted overlay carries no traffic between nodes {} and {} ({}): does each kernel have IPsec"
            + " ESP with AES-GCM? Connections between processes on them hang; DEFPI_OVERLAY_ENCRYPTION=off leaves"
            + " encryption to the SDK's TLS", p.nodeA(), p.nodeB(), p.how());
      }
    }
    if (latest != null && !latest.failing().isEmpty() && report.failing().isEmpty()) {
      LOG.info("the encrypted overlay carries traffic between all {} node pairs again", report.pairs().size());
    }
    latest = report;
    return report;
  }

  /**
   * The pairs of nodes: a probe's own word on each other probe it tried, and the orchestrator's on
   * each probe (its node to the probe's). A pair carries when any reading says it reached across,
   * fails when a reading says it did not and none that it did; pairs nobody tried are left out.
   */
  public static List<Pair> evaluate(String orchestratorNode, List<Reading> readings) {
    Map<InetAddress, String> nodeOf = new HashMap<>();
    readings.forEach(r -> nodeOf.put(r.probe().address(), r.probe().nodeId()));
    Map<List<String>, Boolean> carries = new HashMap<>();
    Map<List<String>, String> how = new HashMap<>();
    for (Reading r : readings) {
      String from = r.probe().nodeId();
      record(carries, how, orchestratorNode, from, r.orchestratorReached(), "the orchestrator's probe");
      r.reached().orElse(Set.of()).forEach(a -> {
        if (nodeOf.containsKey(a)) {
          record(carries, how, from, nodeOf.get(a), true, "probe to probe");
        }
      });
      r.missed().orElse(Set.of()).forEach(a -> {
        if (nodeOf.containsKey(a)) {
          record(carries, how, from, nodeOf.get(a), false, "probe to probe");
        }
      });
    }
    List<Pair> pairs = new ArrayList<>();
    carries.forEach((k, v) -> pairs.add(new Pair(k.get(0), k.get(1), v, how.get(k))));
    pairs.sort(Comparator.comparing(Pair::nodeA).thenComparing(Pair::nodeB));
    return pairs;
  }

  private static void record(Map<List<String>, Boolean> carries, Map<List<String>, String> how, String a, String b,
      boolean ok, String by) {
    if (a.equals(b)) {
      return; // a node with itself: no IPsec between them
    }
    TreeSet<String> sorted = new TreeSet<>(List.of(a, b));
    List<String> key = List.copyOf(sorted);
    boolean was = carries.getOrDefault(key, false);
    if (!carries.containsKey(key) || ok && !was) {
      carries.put(key, ok);
      how.put(key, by);
    }
  }
}
