package org.defpi.orchestrator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.defpi.orchestrator.connection.ConnectionState;
import org.defpi.orchestrator.pendingchange.PendingChange;
import org.defpi.orchestrator.process.ProcessState;
import org.junit.jupiter.api.Test;

class StoreGaugesTest {
  private static final Instant T0 = Instant.parse("2026-11-26T06:00:00Z");
  private final AtomicReference<Instant> now = new AtomicReference<>(T0);
  private final Clock clock = new Clock() {
    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  };

  /** Counts the queries: a scrape must cost one snapshot, not one query per gauge. */
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicReference<Map<ProcessState, Long>> processes = new AtomicReference<>(
      Map.of(ProcessState.RUNNING, 3L, ProcessState.FAILED, 1L));

  private final StoreCounts counts = new StoreCounts() {
    @Override
    public Map<ProcessState, Long> processesByState() {
      reads.incrementAndGet();
      return processes.get();
    }

    @Override
    public Map<ConnectionState, Long> connectionsByState() {
      return Map.of(ConnectionState.ACTIVE, 2L);
    }

    @Override
    public Map<PendingChange.State, StateAge> pendingChangesByState() {
      return Map.of(PendingChange.State.PENDING, new StateAge(4, Optional.of(T0.minusSeconds(90))),
          PendingChange.State.DONE, new StateAge(7, Optional.of(T0.minusSeconds(3600))));
    }
  };

  @Test
  void everyStateHasItsGaugeAndAStateWithoutRowsShowsZero() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new StoreGauges(counts, clock, Duration.ofSeconds(2)).bindTo(registry);

    assertThat(gauge(registry, "defpi.processes", "RUNNING")).isEqualTo(3);
    assertThat(gauge(registry, "defpi.processes", "FAILED")).isEqualTo(1);
    assertThat(gauge(registry, "defpi.processes", "STARTING")).isZero();
    assertThat(gauge(registry, "defpi.connections", "ACTIVE")).isEqualTo(2);
    assertThat(gauge(registry, "defpi.connections", "SUSPENDED")).isZero();
    assertThat(gauge(registry, "defpi.pending.changes", "PENDING")).isEqualTo(4);
    assertThat(gauge(registry, "defpi.pending.changes", "RUNNING")).isZero();
    assertThat(gauge(registry, "defpi.pending.changes.oldest.age", "PENDING")).isEqualTo(90);
    assertThat(gauge(registry, "defpi.pending.changes.oldest.age", "DONE")).isEqualTo(3600);
    assertThat(gauge(registry, "defpi.pending.changes.oldest.age", "FAILED")).isZero();
    assertThat(registry.find("defpi.processes").gauges()).hasSize(ProcessState.values().length);
    assertThat(registry.find("defpi.pending.changes").gauges()).hasSize(PendingChange.State.values().length);
  }

  @Test
  void oneScrapeReadsTheStoreOnceAndALaterOneReadsItAgain() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new StoreGauges(counts, clock, Duration.ofSeconds(2)).bindTo(registry);
    registry.getMeters().forEach(m -> m.measure().forEach(ms -> ms.getValue()));
    registry.getMeters().forEach(m -> m.measure().forEach(ms -> ms.getValue()));
    assertThat(reads).as("every gauge of two scrapes within 2 s, from one snapshot").hasValue(1);

    processes.set(Map.of(ProcessState.RUNNING, 5L));
    now.set(T0.plusSeconds(3));
    assertThat(gauge(registry, "defpi.processes", "RUNNING")).isEqualTo(5);
    assertThat(gauge(registry, "defpi.pending.changes.oldest.age", "PENDING")).isEqualTo(93);
    assertThat(reads).hasValue(2);
  }

  @Test
  void aStoreThatFailsLeavesTheLastValuesAndTheScrapeGoesOn() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicReference<Boolean> down = new AtomicReference<>(false);
    StoreCounts flaky = new StoreCounts() {
      @Override
      public Map<ProcessState, Long> processesByState() {
        if (down.get()) {
          throw new IllegalStateException("cannot count processes: connection refused");
        }
        return Map.of(ProcessState.RUNNING, 2L);
      }

      @Override
      public Map<ConnectionState, Long> connectionsByState() {
        return Map.of();
      }

      @Override
      public Map<PendingChange.State, StateAge> pendingChangesByState() {
        return Map.of();
      }
    };
    new StoreGauges(flaky, clock, Duration.ZERO).bindTo(registry);
    assertThat(gauge(registry, "defpi.processes", "RUNNING")).isEqualTo(2);
    down.set(true);
    now.set(T0.plusSeconds(10));
    assertThat(gauge(registry, "defpi.processes", "RUNNING")).isEqualTo(2);
  }

  private static double gauge(SimpleMeterRegistry registry, String name, String state) {
    return registry.get(name).tag("state", state).gauge().value();
  }
}
