package org.defpi.orchestrator.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.defpi.orchestrator.TestData;
import org.defpi.orchestrator.connection.Connection;
import org.defpi.orchestrator.connection.ConnectionStore;
import org.defpi.orchestrator.connection.Endpoint;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.process.ProcessState;
import org.defpi.orchestrator.process.ProcessStore;
import org.defpi.orchestrator.store.RealStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes that took are published, with the owner and the state as stored; writes that did not, are not. */
class PublishingStoresTest {
  private static final String P1 = "65a1b2c30000000000000001";
  private static final String P2 = "65a1b2c30000000000000002";
  private static final String C1 = "65a1b2c300000000000000c1";

  @TempDir Path dir;
  private final EventBus bus = new EventBus(Clock.systemUTC(), 100);

  private String describe(Event e) {
    return e.subject().streamName() + " " + e.action().name().toLowerCase(java.util.Locale.ROOT) + " " + e.id() + " "
        + e.userId();
  }

  @Test
  void processAndConnectionWritesAreEventsOfTheirOwner() {
    try (RealStore store = RealStore.open(RealStore.Settings.h2(dir))) {
      ProcessStore processes = PublishingStores.processes(store, bus);
      ConnectionStore connections = PublishingStores.connections(store, store, bus);
      Process meter = TestData.process(P1, ProcessState.STARTING, TestData.meterInterface(false));
      processes.insert(meter);
      processes.insert(TestData.process(P2, ProcessState.STARTING, TestData.loggerInterface(false)));
      assertThat(processes.updateState(P1, ProcessState.RUNNING, Optional.empty())).isTrue();
      assertThat(processes.updateState("65a1b2c300000000000000ff", ProcessState.RUNNING, Optional.empty())).isFalse();

      connections.insert(new Connection(C1, new Endpoint(P1, "a/x", "v1", "r1", "s1", false, Optional.empty()),
          new Endpoint(P2, "b/x", "v1", "s1", "r1", false, Optional.empty()), 6000, Instant.parse("2026-11-25T10:00:00Z")));
      connections.updateEndpoint(C1, 1, true, false, Optional.empty());
      assertThat(connections.updateSuspended(C1, true)).isTrue();
      assertThat(connections.updateSuspended("65a1b2c300000000000000c9", true)).isFalse();
      connections.deleteConnection(C1);
      processes.deleteProcess(P1);
      assertThat(processes.deleteProcess(P1)).isFalse();

      String owner = meter.userId();
      assertThat(bus.recentAfter(0)).extracting(this::describe).containsExactly(
          "process created " + P1 + " " + owner,
          "process created " + P2 + " " + owner,
          "process changed " + P1 + " " + owner,
          "connection created " + C1 + " " + owner,
          "connection changed " + C1 + " " + owner,
          "connection changed " + C1 + " " + owner,
          "connection removed " + C1 + " " + owner,
          "process removed " + P1 + " " + owner);
      assertThat(bus.recentAfter(0)).extracting(Event::state)
          .containsExactly("STARTING", "STARTING", "RUNNING", "STARTING", "STARTING", "SUSPENDED", "SUSPENDED", "RUNNING");
    }
  }
}
