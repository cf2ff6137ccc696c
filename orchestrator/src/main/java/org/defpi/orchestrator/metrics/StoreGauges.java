package org.defpi.orchestrator.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.defpi.orchestrator.connection.ConnectionState;
import org.defpi.orchestrator.pendingchange.PendingChange;
import org.defpi.orchestrator.process.ProcessState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges of what the store holds, read when scraped: {@code defpi_processes{state}},
 * {@code defpi_connections{state}}, {@code defpi_pending_changes{state}} and
 * {@code defpi_pending_changes_oldest_age_seconds{state}} (0 when none is in that state). A scrape
 * reads each gauge on its own; they share one {@link Snapshot} (three grouped queries) taken at
 * most once per {@code maxAge}, so a scrape costs three queries, not one per series.
 */
public final class StoreGauges implements MeterBinder {
  private static final Logger LOG = LoggerFactory.getLogger(StoreGauges.class);
  /** Long enough for one scrape to read every gauge from one snapshot; short beside any scrape interval. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(2);

  private final StoreCounts counts;
  private final Clock clock;
  private final Duration maxAge;
  private Snapshot last; // guarded by this

  public StoreGauges(StoreCounts counts, Clock clock, Duration maxAge) {
    this.counts = Objects.requireNonNull(counts, "counts");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
  }

  /** What the gauges show at one moment. */
  record Snapshot(Instant at, Map<ProcessState, Long> processes, Map<ConnectionState, Long> connections,
      Map<PendingChange.State, StoreCounts.StateAge> pendingChanges) {

    double oldestAgeSeconds(PendingChange.State state) {
      StoreCounts.StateAge age = pendingChanges.get(state);
      if (age == null || age.oldest().isEmpty()) {
        return 0;
      }
      return Math.max(0, Duration.between(age.oldest().get(), at).toMillis() / 1000.0);
    }
  }

  /** The gauges hold this strongly: a registry's gauges otherwise let go of what they read, and show NaN. */
  @Override
  public void bindTo(MeterRegistry registry) {
    for (ProcessState state : ProcessState.values()) {
      Gauge.builder("defpi.processes", this, g -> g.snapshot().processes().getOrDefault(state, 0L))
          .description("Processes in the store, by state").tag("state", state.name()).strongReference(true).register(registry);
    }
    for (ConnectionState state : ConnectionState.values()) {
      Gauge.builder("defpi.connections", this, g -> g.snapshot().connections().getOrDefault(state, 0L))
          .description("Connections in the store, by state").tag("state", state.name()).strongReference(true).register(registry);
    }
    for (PendingChange.State state : PendingChange.State.values()) {
      Gauge.builder("defpi.pending.changes", this, g -> {
        StoreCounts.StateAge age = g.snapshot().pendingChanges().get(state);
        return age == null ? 0 : age.count();
      }).description("Pending changes in the store, by state").tag("state", state.name()).strongReference(true).register(registry);
      Gauge.builder("defpi.pending.changes.oldest.age", this, g -> g.snapshot().oldestAgeSeconds(state))
          .description("How long ago the oldest pending change in this state was created; 0 when none is")
          .baseUnit("seconds").tag("state", state.name()).strongReference(true).register(registry);
    }
  }

  /** The last snapshot while it is younger than {@code maxAge}, else a new one. */
  synchronized Snapshot snapshot() {
    Instant now = clock.instant();
    if (last != null && !now.isAfter(last.at().plus(maxAge)) && !now.isBefore(last.at())) {
      return last;
    }
    try {
      last = new Snapshot(now, Map.copyOf(counts.processesByState()), Map.copyOf(counts.connectionsByState()),
          Map.copyOf(counts.pendingChangesByState()));
    } catch (RuntimeException e) {
      // A scrape must not fail because the database did: the gauges keep what they last showed
      // (or 0), the line says why, and the store's own errors show at the API.
      LOG.warn("cannot read the store's counts for the metrics: {}", e.getMessage());
      if (last == null) {
        last = new Snapshot(now, Map.of(), Map.of(), Map.of());
      }
    }
    return last;
  }
}
