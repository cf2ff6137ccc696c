package org.defpi.orchestrator.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.defpi.orchestrator.Ids;
import org.defpi.orchestrator.TestData;
import org.defpi.orchestrator.pendingchange.PendingChanges;
import org.defpi.orchestrator.pendingchange.RetryPolicy;
import org.defpi.orchestrator.pendingchange.Workers;
import org.defpi.orchestrator.process.FakeProcesses;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.process.ProcessState;
import org.defpi.orchestrator.process.Token;
import org.defpi.orchestrator.store.RealStore;
import org.defpi.wire.label.InterfaceLabel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** autoConnect over the real store: what gets connected when a process has been configured. */
class AutoConnectTest {
  private static final String ALICE = "65a1b2c300000000000000b1";
  private static final String BOB = "65a1b2c300000000000000b2";

  @TempDir Path dir;
  private RealStore store;
  private ConnectionManager connections;

  private Workers workers;

  @BeforeEach
  void open() {
    store = RealStore.open(RealStore.Settings.h2(dir));
    Clock clock = Clock.systemUTC();
    Ids ids = Ids.secure(clock);
    PendingChanges changes = new PendingChanges(store.pendingChanges(), ids, clock, RetryPolicy.DEFAULT);
    workers = new Workers(store.pendingChanges(), clock, RetryPolicy.DEFAULT, Workers.Settings.defaults("auto-test"));
    connections = new ConnectionManager(store, store, new FakeProcesses(), changes, workers, ids, clock, new Random(3),
        new ConnectionManager.Settings(Duration.ofSeconds(1)));
    connections.handlers().forEach(workers::register);
    workers.start();
  }

  @AfterEach
  void close() {
    workers.close();
    store.close();
  }

  /** A meter's end (sends A, receives B) or a logger's (the mirror), with autoConnect as given. */
  private static InterfaceLabel end(String serviceId, boolean meter, boolean allowMultiple, boolean autoConnect) {
    return new InterfaceLabel(serviceId + "/power", "Power", serviceId, List.of(meter
        ? TestData.version("v1", TestData.HASH_B, TestData.HASH_A)
        : TestData.version("v1", TestData.HASH_A, TestData.HASH_B)), allowMultiple, autoConnect);
  }

  private Process process(String id, String userId, InterfaceLabel iface) {
    Process p = new Process(id, iface.serviceId(), iface.serviceId(), "0.1.0", userId, ProcessState.RUNNING,
        Optional.empty(), Map.of(), Instant.parse("2026-01-01T00:00:00Z"), "img", List.of(iface),
        new Token("token-" + id), org.defpi.orchestrator.process.Placement.ANY_PUBLIC_NODE, List.of("amd64"),
        Optional.empty());
    store.insert(p);
    return p;
  }

  private static String pair(Connection c) {
    return c.endpoint1().processId() + "-" + c.endpoint2().processId();
  }

  @Test
  void aConfiguredProcessIsConnectedToItsUsersCompatibleAutoConnectInterfacesOnce() throws Exception {
    Process logger = process("65a1b2c30000000000000001", ALICE, end("logger", false, true, true));
    Process bobs = process("65a1b2c30000000000000002", BOB, end("logger", false, true, true));
    Process manual = process("65a1b2c30000000000000003", ALICE, end("logger", false, true, false));
    Process meter = process("65a1b2c30000000000000004", ALICE, end("meter", true, false, true));

    assertThat(connections.autoConnected(meter)).extracting(AutoConnectTest::pair)
        .containsExactly(meter.id() + "-" + logger.id());
    assertThat(connections.autoConnected(meter)).isEmpty(); // connected already
    assertThat(store.listConnections()).noneMatch(c -> c.touches(bobs.id()) || c.touches(manual.id()));
  }

  @Test
  void cardinalityIsRespected() throws Exception {
    Process logger = process("65a1b2c30000000000000001", ALICE, end("logger", false, false, true));
    Process meter1 = process("65a1b2c30000000000000002", ALICE, end("meter", true, false, true));
    Process meter2 = process("65a1b2c30000000000000003", ALICE, end("meter", true, false, true));
    assertThat(connections.autoConnect(meter1)).isEqualTo(1);
    assertThat(connections.autoConnect(meter2)).isZero(); // the logger takes one connection only
    assertThat(store.listConnections()).extracting(AutoConnectTest::pair)
        .containsExactly(meter1.id() + "-" + logger.id());
  }

  @Test
  void aProcessWithoutAutoConnectInterfacesConnectsNothing() throws Exception {
    process("65a1b2c30000000000000001", ALICE, end("logger", false, true, true));
    Process meter = process("65a1b2c30000000000000002", ALICE, end("meter", true, true, false));
    assertThat(connections.autoConnect(meter)).isZero();
  }
}
