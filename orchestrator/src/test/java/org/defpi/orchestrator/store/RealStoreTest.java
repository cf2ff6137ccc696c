package org.defpi.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.defpi.orchestrator.TestData;
import org.defpi.orchestrator.connection.Connection;
import org.defpi.orchestrator.connection.ConnectionState;
import org.defpi.orchestrator.connection.Endpoint;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.process.ProcessState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real H2 file database in a temporary directory. */
class RealStoreTest {
  private static final String P1 = "65a1b2c30000000000000001";
  private static final String P2 = "65a1b2c30000000000000002";
  private static final String P3 = "65a1b2c30000000000000003";

  @TempDir Path dir;

  @Test
  void aProcessSurvivesAReopenWithEveryField() throws Exception {
    Process p = new Process(P1, "power-meter", "meter-1", "0.1.0", "admin", ProcessState.STARTING, Optional.empty(),
        java.util.Map.of("count", "10", "label", "x"), Instant.parse("2026-11-25T10:00:00.123Z"),
        "127.0.0.1:5000/services/power-meter:0.1.0@sha256:ab", java.util.List.of(TestData.meterInterface(false)),
        new org.defpi.orchestrator.process.Token("secret"));
    try (RealStore store = RealStore.open(dir)) {
      store.insert(p);
    }
    try (RealStore store = RealStore.open(dir)) {
      assertThat(store.findProcess(P1)).contains(p);
      assertThat(store.findProcess(P1).orElseThrow().token().matches("secret")).isTrue();
      assertThat(store.listProcesses()).containsExactly(p);
      assertThat(store.findProcess(P2)).isEmpty();
    }
  }

  @Test
  void terminatedIsFinal() throws Exception {
    try (RealStore store = RealStore.open(dir)) {
      store.insert(TestData.process(P1, ProcessState.STARTING));
      assertThat(store.updateState(P1, ProcessState.FAILED, Optional.of("why"))).isTrue();
      assertThat(store.findProcess(P1).orElseThrow().reason()).contains("why");
      assertThat(store.updateState(P1, ProcessState.TERMINATED, Optional.empty())).isTrue();
      // A configuration that ends during removal cannot bring the process back.
      assertThat(store.updateState(P1, ProcessState.RUNNING, Optional.empty())).isFalse();
      assertThat(store.findProcess(P1).orElseThrow().state()).isEqualTo(ProcessState.TERMINATED);
      assertThat(store.deleteProcess(P1)).isTrue();
      assertThat(store.deleteProcess(P1)).isFalse();
      assertThat(store.updateState(P1, ProcessState.RUNNING, Optional.empty())).isFalse();
    }
  }

  @Test
  void connectionsAreFoundByEitherEndAndKeepEachEndsOutcome() throws Exception {
    Connection c1 = new Connection("c00000000000000000000001",
        new Endpoint(P1, "a/x", "v1", "r1", "s1", false, Optional.empty()),
        new Endpoint(P2, "b/x", "v2", "r2", "s2", false, Optional.empty()), 6000, Instant.parse("2026-11-25T10:00:00Z"));
    Connection c2 = new Connection("c00000000000000000000002",
        new Endpoint(P3, "a/x", "v1", "r1", "s1", false, Optional.empty()),
        new Endpoint(P1, "b/x", "v2", "r2", "s2", false, Optional.empty()), 6001, Instant.parse("2026-11-25T10:00:01Z"));
    try (RealStore store = RealStore.open(dir)) {
      store.insert(c1);
      store.insert(c2);
      assertThat(store.findConnection(c1.id())).contains(c1);
      assertThat(store.connectionsOf(P1)).containsExactly(c1, c2);
      assertThat(store.connectionsOf(P2)).containsExactly(c1);
      assertThat(store.listConnections()).containsExactly(c1, c2);

      store.updateEndpoint(c1.id(), 1, true, Optional.empty());
      assertThat(store.findConnection(c1.id()).orElseThrow().state()).isEqualTo(ConnectionState.STARTING);
      store.updateEndpoint(c1.id(), 2, true, Optional.empty());
      assertThat(store.findConnection(c1.id()).orElseThrow().state()).isEqualTo(ConnectionState.ACTIVE);
      store.updateEndpoint(c1.id(), 2, false, Optional.of("process " + P2 + " refused"));
      Connection failed = store.findConnection(c1.id()).orElseThrow();
      assertThat(failed.state()).isEqualTo(ConnectionState.FAILED);
      assertThat(failed.reason()).contains("process " + P2 + " refused");

      assertThat(store.deleteConnection(c1.id())).isTrue();
      assertThat(store.connectionsOf(P2)).isEmpty();
      assertThat(store.updateEndpoint(c1.id(), 1, true, Optional.empty())).isFalse();
    }
  }
}
