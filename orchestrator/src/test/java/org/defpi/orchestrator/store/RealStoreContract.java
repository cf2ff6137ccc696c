package org.defpi.orchestrator.store;

import org.defpi.orchestrator.node.NodeStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.defpi.orchestrator.TestData;
import org.defpi.orchestrator.connection.ConnectionState;
import org.defpi.orchestrator.connection.Endpoint;
import org.defpi.orchestrator.process.Mount;
import org.defpi.orchestrator.process.Placement;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.process.PublishedPort;
import org.defpi.orchestrator.node.Resources;
import org.defpi.orchestrator.process.Target;
import org.defpi.orchestrator.process.ProcessState;
import org.defpi.orchestrator.node.Node;
import org.defpi.orchestrator.node.NodeKind;
import org.defpi.orchestrator.node.NodePool;
import org.defpi.orchestrator.node.NodeStatus;
import org.junit.jupiter.api.Test;

/**
 * The store's contract, run against each database it supports: {@link RealStoreH2Test} (an H2
 * file in a temporary directory) and {@link RealStorePostgresTest} (the PostgreSQL of
 * scripts/postgres.sh). Each test gets an empty database of its own from {@link #database()}.
 */
abstract class RealStoreContract {
  private static final String P1 = "65a1b2c30000000000000001";
  private static final String P2 = "65a1b2c30000000000000002";
  private static final String P3 = "65a1b2c30000000000000003";

  /** The same empty database for the whole of one test (so a test can close and reopen it). */
  abstract RealStore.Settings database();

  @Test
  void migratingAnEmptyDatabaseMakesTheTablesAndMigratingAgainDoesNothing() throws Exception {
    assertThat(RealStore.migrate(database())).isEqualTo(9);
    assertThat(tables()).contains("process", "connection", "node", "node_pool", "app_user", "api_token", "pending_change",
        "process_saved_state", "process_position", "certificate_authority", "flyway_schema_history");
    assertThat(RealStore.migrate(database())).isZero();
    try (RealStore store = RealStore.open(database())) {
      assertThat(store.listProcesses()).isEmpty();
    }
  }

  @Test
  void aProcessSurvivesAReopenWithEveryField() throws Exception {
    Process p = new Process(P1, "power-meter", "meter-1", "0.1.0", "admin", ProcessState.STARTING, Optional.empty(),
        java.util.Map.of("count", "10", "label", "x"), Instant.parse("2026-11-25T10:00:00.123Z"),
        "127.0.0.1:5000/services/power-meter:0.1.0@sha256:ab", java.util.List.of(TestData.meterInterface(false)),
        new org.defpi.orchestrator.process.Token("secret"), Placement.ANY_PUBLIC_NODE, List.of("amd64", "arm64"),
        Optional.empty());
    try (RealStore store = RealStore.open(database())) {
      store.insert(p);
    }
    try (RealStore store = RealStore.open(database())) {
      assertThat(store.findProcess(P1)).contains(p);
      assertThat(store.findProcess(P1).orElseThrow().token().matches("secret")).isTrue();
      assertThat(store.listProcesses()).containsExactly(p);
      assertThat(store.findProcess(P2)).isEmpty();
    }
  }

  @Test
  void aProcessKeepsWhereItRunsAndWithWhat() throws Exception {
    Process base = TestData.process(P1, ProcessState.STARTING);
    Placement pinned = new Placement(new Target.PrivateNode("swarmnode0000000000000001"),
        new Resources(512 * Resources.MIB, 1_500_000_000L),
        List.of(new Mount(Mount.Type.VOLUME, "data", "/data", false), new Mount(Mount.Type.BIND, "/srv/in", "/in", true)),
        List.of(new PublishedPort(80, 8080, PublishedPort.Protocol.TCP), new PublishedPort(53, 5353, PublishedPort.Protocol.UDP)));
    Process onNode = placed(base, P1, pinned, List.of("amd64", "arm64"), Optional.empty());
    Process inPool = placed(base, P2, new Placement(new Target.Pool(P3), new Resources(0, 250_000_000L), List.of(),
        List.of()), List.of(), Optional.of("swarmnode0000000000000002"));
    try (RealStore store = RealStore.open(database())) {
      store.insert(onNode);
      store.insert(inPool);
    }
    try (RealStore store = RealStore.open(database())) {
      assertThat(store.findProcess(P1)).contains(onNode);
      assertThat(store.findProcess(P2)).contains(inPool);
      assertThat(store.updateRunsOn(P1, Optional.of("swarmnode0000000000000001"))).isTrue();
      assertThat(store.findProcess(P1).orElseThrow().runsOn()).contains("swarmnode0000000000000001");
      assertThat(store.updateRunsOn(P2, Optional.empty())).isTrue();
      assertThat(store.findProcess(P2).orElseThrow().runsOn()).isEmpty();
      assertThat(store.updateRunsOn(P3, Optional.of("x"))).isFalse();
      // The rest of the placement is as it was.
      assertThat(store.findProcess(P1).orElseThrow().placement()).isEqualTo(pinned);
    }
  }

  @Test
  void processesAndNodesFromBeforePlacementRunOnAnyPublicNodeAndAwaitTheirCapacity() throws Exception {
    RealStore.Settings db = database();
    org.flywaydb.core.Flyway.configure(RealStore.class.getClassLoader()).dataSource(db.url(), db.user(), db.password())
        .locations("classpath:db/migration").target("4").load().migrate();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        var s = c.createStatement()) {
      s.executeUpdate("""
          INSERT INTO process (id, service_id, name, version, user_id, state, configuration, created_at, image,
            interfaces, token) VALUES ('%s', 'meter', 'm', '0.1.0', 'admin', 'RUNNING', '{}',
            TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00', 'img', '[]', 't')""".formatted(P1));
      s.executeUpdate("""
          INSERT INTO node (id, hostname, architecture, status, kind, last_seen) VALUES ('n1', 'pi', 'arm64', 'READY',
            'UNIDENTIFIED', TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00')""");
    }
    try (RealStore store = RealStore.open(db)) {
      Process old = store.findProcess(P1).orElseThrow();
      assertThat(old.placement()).isEqualTo(Placement.ANY_PUBLIC_NODE);
      assertThat(old.architectures()).isEmpty();
      assertThat(old.runsOn()).isEmpty();
      assertThat(store.findNode("n1").orElseThrow().capacity()).isEqualTo(Resources.NONE);
    }
  }

  private static Process placed(Process p, String id, Placement placement, List<String> architectures,
      Optional<String> runsOn) {
    return new Process(id, p.serviceId(), p.name(), p.version(), p.userId(), p.state(), p.reason(), p.configuration(),
        p.createdAt(), p.image(), p.interfaces(), p.token(), placement, architectures, runsOn);
  }

  @Test
  void terminatedIsFinal() throws Exception {
    try (RealStore store = RealStore.open(database())) {
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
    org.defpi.orchestrator.connection.Connection c1 = new org.defpi.orchestrator.connection.Connection("c00000000000000000000001",
        new Endpoint(P1, "a/x", "v1", "r1", "s1", false, Optional.empty()),
        new Endpoint(P2, "b/x", "v2", "r2", "s2", false, Optional.empty()), 6000, Instant.parse("2026-11-25T10:00:00Z"));
    org.defpi.orchestrator.connection.Connection c2 = new org.defpi.orchestrator.connection.Connection("c00000000000000000000002",
        new Endpoint(P3, "a/x", "v1", "r1", "s1", false, Optional.empty()),
        new Endpoint(P1, "b/x", "v2", "r2", "s2", false, Optional.empty()), 6001, Instant.parse("2026-11-25T10:00:01Z"));
    try (RealStore store = RealStore.open(database())) {
      store.insert(c1);
      store.insert(c2);
      assertThat(store.findConnection(c1.id())).contains(c1);
      assertThat(store.connectionsOf(P1)).containsExactly(c1, c2);
      assertThat(store.connectionsOf(P2)).containsExactly(c1);
      assertThat(store.listConnections()).containsExactly(c1, c2);

      store.updateEndpoint(c1.id(), 1, true, false, Optional.empty());
      assertThat(store.findConnection(c1.id()).orElseThrow().state()).isEqualTo(ConnectionState.STARTING);
      store.updateEndpoint(c1.id(), 2, true, false, Optional.empty());
      assertThat(store.findConnection(c1.id()).orElseThrow().state()).isEqualTo(ConnectionState.ACTIVE);
      store.updateEndpoint(c1.id(), 2, false, false, Optional.of("process " + P2 + " refused"));
      org.defpi.orchestrator.connection.Connection failed = store.findConnection(c1.id()).orElseThrow();
      assertThat(failed.state()).isEqualTo(ConnectionState.FAILED);
      assertThat(failed.reason()).contains("process " + P2 + " refused");

      // suspended, whatever its ends said; the flag survives a reopen; resumed, its ends speak again
      assertThat(store.updateSuspended(c1.id(), true)).isTrue();
      assertThat(store.findConnection(c1.id()).orElseThrow().state()).isEqualTo(ConnectionState.SUSPENDED);
      assertThat(store.findConnection(c1.id()).orElseThrow().reason()).isEmpty();
      assertThat(store.findConnection(c2.id()).orElseThrow().suspended()).isFalse();
    }
    try (RealStore store = RealStore.open(database())) {
      assertThat(store.findConnection(c1.id()).orElseThrow().suspended()).isTrue();
      assertThat(store.updateSuspended(c1.id(), false)).isTrue();
      assertThat(store.findConnection(c1.id()).orElseThrow().state()).isEqualTo(ConnectionState.FAILED);
      store.insert(new org.defpi.orchestrator.connection.Connection("c00000000000000000000003", c2.endpoint1(),
          c2.endpoint2(), 6002, c2.createdAt(), true));
      assertThat(store.findConnection("c00000000000000000000003").orElseThrow().state())
          .isEqualTo(ConnectionState.SUSPENDED);

      assertThat(store.deleteConnection(c1.id())).isTrue();
      assertThat(store.connectionsOf(P2)).isEmpty();
      assertThat(store.updateEndpoint(c1.id(), 1, true, false, Optional.empty())).isFalse();
      assertThat(store.updateSuspended(c1.id(), true)).isFalse();
    }
  }

  @Test
  void processesAndConnectionsAreCountedByStateAsTheirRecordsSayIt() throws Exception {
    try (RealStore store = RealStore.open(database())) {
      assertThat(store.processesByState()).isEmpty();
      assertThat(store.connectionsByState()).isEmpty();
      store.insert(TestData.process(P1, ProcessState.RUNNING));
      store.insert(TestData.process(P2, ProcessState.RUNNING));
      store.insert(TestData.process(P3, ProcessState.FAILED));
      assertThat(store.processesByState()).containsOnly(java.util.Map.entry(ProcessState.RUNNING, 2L),
          java.util.Map.entry(ProcessState.FAILED, 1L));

      // one connection in each state, made as the connection manager makes them
      String[] ids = {"c00000000000000000000001", "c00000000000000000000002", "c00000000000000000000003",
          "c00000000000000000000004", "c00000000000000000000005"};
      for (int i = 0; i < ids.length; i++) {
        store.insert(new org.defpi.orchestrator.connection.Connection(ids[i],
            new Endpoint(P1, "a/x", "v1", "r1", "s1", false, Optional.empty()),
            new Endpoint(P2, "b/x", "v2", "r2", "s2", false, Optional.empty()), 6000 + i,
            Instant.parse("2026-11-25T10:00:00Z")));
      }
      store.updateEndpoint(ids[1], 1, true, false, Optional.empty());
      store.updateEndpoint(ids[1], 2, true, false, Optional.empty()); // ACTIVE
      store.updateEndpoint(ids[2], 2, false, false, Optional.of("refused")); // FAILED
      store.updateEndpoint(ids[3], 1, true, false, Optional.empty());
      store.updateEndpoint(ids[3], 2, true, false, Optional.empty());
      store.updateSuspended(ids[3], true); // SUSPENDED, though both ends were told
      store.updateEndpoint(ids[4], 1, true, false, Optional.empty()); // STARTING: one end told
      java.util.Map<ConnectionState, Long> expected = new java.util.EnumMap<>(ConnectionState.class);
      for (org.defpi.orchestrator.connection.Connection c : store.listConnections()) {
        expected.merge(c.state(), 1L, Long::sum);
      }
      assertThat(expected).containsOnly(java.util.Map.entry(ConnectionState.STARTING, 2L),
          java.util.Map.entry(ConnectionState.ACTIVE, 1L), java.util.Map.entry(ConnectionState.FAILED, 1L),
          java.util.Map.entry(ConnectionState.SUSPENDED, 1L));
      assertThat(store.connectionsByState()).isEqualTo(expected);
    }
  }

  /**
   * The metrics read the counts at every scrape: with 10 000 processes it stays one grouped query,
   * not a load of every row. The rows are copies of one, made in one JDBC batch.
   */
  @Test
  void countingTenThousandProcessesByStateIsOneQuickQuery() throws Exception {
    try (RealStore store = RealStore.open(database())) {
      store.insert(TestData.process(P1, ProcessState.RUNNING));
    }
    try (Connection db = DriverManager.getConnection(database().url(), database().user(), database().password())) {
      List<String> columns = new ArrayList<>();
      try (ResultSet r = db.createStatement().executeQuery("SELECT * FROM process WHERE id = '" + P1 + "'")) {
        for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
          columns.add(r.getMetaData().getColumnName(i).toLowerCase(java.util.Locale.ROOT));
        }
      }
      List<String> rest = columns.stream().filter(c -> !c.equals("id") && !c.equals("state")).toList();
      String sql = "INSERT INTO process (id, state, " + String.join(", ", rest) + ") SELECT ?, ?, "
          + String.join(", ", rest) + " FROM process WHERE id = '" + P1 + "'";
      db.setAutoCommit(false);
      try (var insert = db.prepareStatement(sql)) {
        for (int i = 1; i < 10_000; i++) {
          insert.setString(1, String.format("65a1b2c3%016x", 0x1000 + i));
          insert.setString(2, (i % 10 == 0 ? ProcessState.FAILED : ProcessState.RUNNING).name());
          insert.addBatch();
        }
        insert.executeBatch();
      }
      db.commit();
    }
    try (RealStore store = RealStore.open(database())) {
      store.processesByState(); // the first query of a pool warms it up
      long started = System.nanoTime();
      java.util.Map<ProcessState, Long> counts = store.processesByState();
      long micros = (System.nanoTime() - started) / 1000;
      assertThat(counts).containsOnly(java.util.Map.entry(ProcessState.RUNNING, 9_001L),
          java.util.Map.entry(ProcessState.FAILED, 999L));
      System.out.printf("%s: processesByState over 10 000 processes took %d µs%n", getClass().getSimpleName(), micros);
      assertThat(micros).as("one grouped query, well inside a scrape").isLessThan(1_000_000);
    }
  }

  @Test
  void nodesKeepTheSwarmsReportAndTheAdminsDecisionApart() throws Exception {
    Instant seen = Instant.parse("2026-11-25T10:00:00.123Z");
    Node n = new Node("swarmnode0000000000000001", "pi", "arm64", NodeStatus.READY, NodeKind.UNIDENTIFIED,
        Optional.empty(), Optional.empty(), seen, new Resources(8192 * Resources.MIB, 4 * Resources.NANOS_PER_CPU));
    NodePool lab = new NodePool(P1, "lab");
    try (RealStore store = RealStore.open(database())) {
      store.insertNode(n);
      assertThat(store.insertPool(lab)).isTrue();
    }
    try (RealStore store = RealStore.open(database())) {
      assertThat(store.findNode(n.id())).contains(n);
      Node assigned = n.withAssignment(NodeKind.PUBLIC, Optional.of(P1), Optional.empty());
      assertThat(store.updateAssignment(assigned)).isTrue();
      // A sync's write carries a stale kind: the admin's decision stays.
      Resources smaller = new Resources(4096 * Resources.MIB, 2 * Resources.NANOS_PER_CPU);
      Node missing = n.withStatus(NodeStatus.MISSING).withObserved("pi-2", "arm64", NodeStatus.MISSING, seen.plusSeconds(1),
          smaller);
      assertThat(store.updateObserved(missing)).isTrue();
      assertThat(store.listNodes()).containsExactly(new Node(n.id(), "pi-2", "arm64", NodeStatus.MISSING, NodeKind.PUBLIC,
          Optional.of(P1), Optional.empty(), seen.plusSeconds(1), smaller));
      Node mine = assigned.withAssignment(NodeKind.PRIVATE, Optional.empty(), Optional.of("admin"));
      assertThat(store.updateAssignment(mine)).isTrue();
      assertThat(store.findNode(n.id()).orElseThrow().ownerUserId()).contains("admin");
      assertThat(store.findNode("nope")).isEmpty();
      assertThat(store.updateObserved(new Node("nope", "x", "amd64", NodeStatus.READY, NodeKind.UNIDENTIFIED,
          Optional.empty(), Optional.empty(), seen, Resources.NONE))).isFalse();
    }
  }

  @Test
  void poolNamesAreUniqueAndAPoolInUseCannotBeDeleted() throws Exception {
    try (RealStore store = RealStore.open(database())) {
      assertThat(store.insertPool(new NodePool(P1, "lab"))).isTrue();
      assertThat(store.insertPool(new NodePool(P2, "lab"))).isFalse();
      assertThat(store.insertPool(new NodePool(P2, "office"))).isTrue();
      assertThat(store.listPools()).containsExactly(new NodePool(P1, "lab"), new NodePool(P2, "office"));
      assertThat(store.updatePool(new NodePool(P2, "lab"))).isFalse();
      assertThat(store.updatePool(new NodePool(P2, "home"))).isTrue();
      assertThat(store.updatePool(new NodePool(P3, "x"))).isFalse();
      assertThat(store.findPool(P2)).contains(new NodePool(P2, "home"));

      store.insertNode(new Node("n1", "pi", "arm", NodeStatus.READY, NodeKind.PUBLIC, Optional.of(P1), Optional.empty(),
          Instant.parse("2026-11-25T10:00:00Z"), Resources.NONE));
      // The manager refuses with the nodes' names first; the foreign key is the backstop.
      // The foreign key refuses what the manager's check would have caught, e.g. after a race.
      assertThat(store.deletePool(P1)).isEqualTo(NodeStore.PoolDeletion.IN_USE);
      assertThat(store.deletePool(P2)).isEqualTo(NodeStore.PoolDeletion.DELETED);
      assertThat(store.deletePool(P2)).isEqualTo(NodeStore.PoolDeletion.NOT_FOUND);
      assertThat(store.findPool(P2)).isEmpty();
    }
  }

  /** The tables of the database's current schema, in lower case. */
  private List<String> tables() throws Exception {
    RealStore.Settings db = database();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        ResultSet r = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
      List<String> names = new ArrayList<>();
      while (r.next()) {
        names.add(r.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT));
      }
      return names;
    }
  }

  @Test
  void aSavedStateIsKeptUntilDeletedAndGoesWithItsProcess() throws Exception {
    Instant at = Instant.parse("2026-11-25T10:00:00.123456Z");
    org.defpi.orchestrator.process.SavedState first =
        new org.defpi.orchestrator.process.SavedState(P1, new byte[] {0, 1, (byte) 0xff}, "0.1.0", at);
    org.defpi.orchestrator.process.SavedState second =
        new org.defpi.orchestrator.process.SavedState(P1, new byte[0], "0.2.0", at.plusSeconds(1));
    try (RealStore store = RealStore.open(database())) {
      assertThat(store.savedStates().save(first)).as("no such process").isFalse();
      store.insert(TestData.process(P1, ProcessState.RUNNING));
      assertThat(store.savedStates().find(P1)).isEmpty();
      assertThat(store.savedStates().save(first)).isTrue();
    }
    try (RealStore store = RealStore.open(database())) {
      assertThat(store.savedStates().find(P1)).contains(first);
      assertThat(store.savedStates().save(second)).as("replaces").isTrue();
      assertThat(store.savedStates().find(P1)).contains(second);
      assertThat(store.savedStates().delete(P1)).isTrue();
      assertThat(store.savedStates().delete(P1)).isFalse();
      assertThat(store.savedStates().save(first)).isTrue();
      store.deleteProcess(P1);
      assertThat(store.savedStates().find(P1)).as("gone with its process").isEmpty();
    }
  }

  @Test
  void positionsArePerViewerReplacedAllOrNothingAndGoWithTheirProcessOrViewer() throws Exception {
    String bob = "65a1b2c300000000000000b2";
    Process alices = TestData.process(P1, ProcessState.RUNNING);
    Process alices2 = TestData.process(P2, ProcessState.RUNNING);
    Process bobs = new Process(P3, "s", "n", "1", bob, ProcessState.RUNNING, Optional.empty(), java.util.Map.of(),
        Instant.parse("2026-01-01T00:00:00Z"), "img", List.of(), new org.defpi.orchestrator.process.Token("t"),
        Placement.ANY_PUBLIC_NODE, List.of(), Optional.empty());
    String admin = "65a1b2c300000000000000a1";
    try (RealStore store = RealStore.open(database())) {
      for (String user : List.of(admin, bob)) {
        store.users().insertUser(new org.defpi.orchestrator.user.User(user, "u" + user.substring(20),
            org.defpi.orchestrator.user.Role.USER, Optional.empty(), Instant.parse("2026-01-01T00:00:00Z")), "x");
      }
      store.insert(alices); // TestData's processes are "admin"'s
      store.insert(alices2);
      store.insert(bobs);
      var layouts = store.layouts();
      java.util.function.Predicate<String> anyone = u -> true;

      assertThat(layouts.put(admin, List.of(new org.defpi.orchestrator.layout.Position(P1, 1.5, -2),
          new org.defpi.orchestrator.layout.Position(P3, 1e6, -1e6)), anyone)).isEmpty();
      assertThat(layouts.put(bob, List.of(new org.defpi.orchestrator.layout.Position(P3, 7, 8)), anyone)).isEmpty();
      assertThat(layouts.positions(admin, java.util.Set.of())).containsExactly(
          new org.defpi.orchestrator.layout.Position(P1, 1.5, -2), new org.defpi.orchestrator.layout.Position(P3, 1e6, -1e6));
      assertThat(layouts.positions(admin, java.util.Set.of(bob)))
          .containsExactly(new org.defpi.orchestrator.layout.Position(P3, 1e6, -1e6));
      assertThat(layouts.positions(bob, java.util.Set.of())).as("each viewer their own")
          .containsExactly(new org.defpi.orchestrator.layout.Position(P3, 7, 8));

      // replaced where given, the others kept
      assertThat(layouts.put(admin, List.of(new org.defpi.orchestrator.layout.Position(P1, 3, 4),
          new org.defpi.orchestrator.layout.Position(P2, 5, 6)), anyone)).isEmpty();
      assertThat(layouts.positions(admin, java.util.Set.of("admin"))).containsExactly(
          new org.defpi.orchestrator.layout.Position(P1, 3, 4), new org.defpi.orchestrator.layout.Position(P2, 5, 6));

      // all or nothing: a process not visible, or not there, refuses the lot and is named
      assertThat(layouts.put(bob, List.of(new org.defpi.orchestrator.layout.Position(P3, 0, 0),
          new org.defpi.orchestrator.layout.Position(P1, 0, 0)), bob::equals)).contains(P1);
      assertThat(layouts.put(admin, List.of(new org.defpi.orchestrator.layout.Position(P1, 9, 9),
          new org.defpi.orchestrator.layout.Position("65a1b2c300000000000000ff", 0, 0)), anyone))
          .contains("65a1b2c300000000000000ff");
      assertThat(layouts.positions(bob, java.util.Set.of())).containsExactly(new org.defpi.orchestrator.layout.Position(P3, 7, 8));
      assertThat(layouts.positions(admin, java.util.Set.of("admin"))).containsExactly(
          new org.defpi.orchestrator.layout.Position(P1, 3, 4), new org.defpi.orchestrator.layout.Position(P2, 5, 6));

      // a process's positions go with it, a viewer's with them
      store.deleteProcess(P3);
      assertThat(layouts.positions(bob, java.util.Set.of())).isEmpty();
      assertThat(layouts.positions(admin, java.util.Set.of())).hasSize(2);
      store.deleteProcess(P1);
      store.deleteProcess(P2);
      assertThat(layouts.put(admin, List.of(), anyone)).isEmpty();
    }
    // deleting a user takes their positions (a user with processes cannot be deleted: bob's goes first)
    try (RealStore store = RealStore.open(database())) {
      store.insert(TestData.process(P1, ProcessState.RUNNING));
      store.insert(bobs);
      assertThat(store.layouts().put(bob, List.of(new org.defpi.orchestrator.layout.Position(P1, 1, 1)), u -> true))
          .isEmpty();
      assertThat(store.layouts().put(admin, List.of(new org.defpi.orchestrator.layout.Position(P3, 1, 1)), u -> true))
          .isEmpty();
      store.deleteProcess(P3);
      assertThat(store.users().deleteUser(bob)).isEqualTo(org.defpi.orchestrator.user.UserStore.UserDeletion.DELETED);
      try (Connection c = DriverManager.getConnection(database().url(), database().user(), database().password());
          ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FROM process_position")) {
        r.next();
        assertThat(r.getInt(1)).as("bob's position of P1 went with bob").isZero();
      }
    }
  }

  // ---- the TLS addition (migration V9)

  @Test
  void aProcessKeepsWhatItsLastTriggerSaidOfTls() throws Exception {
    try (RealStore store = RealStore.open(database())) {
      store.insert(TestData.process(P1, ProcessState.STARTING));
      assertThat(store.findProcess(P1).orElseThrow().tls()).as("a new process said nothing yet").isFalse();
      assertThat(store.updateTls(P1, true)).isTrue();
    }
    try (RealStore store = RealStore.open(database())) {
      assertThat(store.findProcess(P1).orElseThrow().tls()).isTrue();
      assertThat(store.updateTls(P1, false)).isTrue();
      assertThat(store.findProcess(P1).orElseThrow().tls()).isFalse();
      store.insert(TestData.process(P2, ProcessState.RUNNING).withTls(true));
      assertThat(store.findProcess(P2)).contains(TestData.process(P2, ProcessState.RUNNING).withTls(true));
      store.updateState(P2, ProcessState.TERMINATED, Optional.empty());
      assertThat(store.updateTls(P2, false)).as("not a process being removed").isFalse();
      assertThat(store.updateTls(P3, true)).isFalse();
    }
  }

  @Test
  void aConnectionKeepsWhatEachEndWasToldOfTls() throws Exception {
    org.defpi.orchestrator.connection.Connection c = new org.defpi.orchestrator.connection.Connection(
        "c00000000000000000000001", new Endpoint(P1, "a/x", "v1", "r1", "s1", true, Optional.empty(), true),
        new Endpoint(P2, "b/x", "v2", "r2", "s2", false, Optional.empty(), false), 6000,
        Instant.parse("2026-11-25T10:00:00Z"));
    try (RealStore store = RealStore.open(database())) {
      store.insert(c);
      assertThat(store.findConnection(c.id())).contains(c);
      assertThat(store.findConnection(c.id()).orElseThrow().encrypted()).isFalse();
      assertThat(store.updateEndpoint(c.id(), 2, true, true, Optional.empty())).isTrue();
    }
    try (RealStore store = RealStore.open(database())) {
      var read = store.findConnection(c.id()).orElseThrow();
      assertThat(read.endpoint2().tls()).isTrue();
      assertThat(read.encrypted()).as("both ends told tls").isTrue();
      store.updateEndpoint(c.id(), 1, true, false, Optional.empty());
      assertThat(store.findConnection(c.id()).orElseThrow().encrypted()).isFalse();
    }
  }

  @Test
  void theCertificateAuthorityIsKeptOnceAndItsKeyIsNeverInTheWordsOfAFailure() throws Exception {
    java.security.SecureRandom random = new java.security.SecureRandom();
    var first = org.defpi.orchestrator.certificate.CertificateAuthority.create(Instant.now(), random)
        .stored(Instant.parse("2026-11-26T09:00:00Z"));
    var second = org.defpi.orchestrator.certificate.CertificateAuthority.create(Instant.now(), random)
        .stored(Instant.parse("2026-11-26T09:00:01Z"));
    try (RealStore store = RealStore.open(database())) {
      assertThat(store.authority().findAuthority()).isEmpty();
      assertThat(store.authority().insertAuthority(first)).isTrue();
      assertThat(store.authority().insertAuthority(second)).as("one authority per deployment").isFalse();
    }
    try (RealStore store = RealStore.open(database())) {
      assertThat(store.authority().findAuthority()).contains(first);
    }
  }

  @Test
  void twoInstancesStartingAtOnceOnOneDatabaseShareOneAuthority() throws Exception {
    java.security.SecureRandom random = new java.security.SecureRandom();
    java.time.Clock clock = java.time.Clock.systemUTC();
    try (RealStore one = RealStore.open(database()); RealStore two = RealStore.open(database());
        var threads = java.util.concurrent.Executors.newFixedThreadPool(6)) {
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(6);
      List<java.util.concurrent.Future<java.security.cert.X509Certificate>> loaded = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        RealStore store = i % 2 == 0 ? one : two;
        loaded.add(threads.submit(() -> {
          start.await();
          return org.defpi.orchestrator.certificate.CertificateManager.loadAuthority(store.authority(), clock, random)
              .certificate();
        }));
      }
      List<java.security.cert.X509Certificate> certificates = new ArrayList<>();
      for (var f : loaded) {
        certificates.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS));
      }
      java.security.cert.X509Certificate kept = org.defpi.orchestrator.certificate.CertificateAuthority.of(
          two.authority().findAuthority().orElseThrow(), random).certificate();
      assertThat(certificates).hasSize(6).containsOnly(kept);
    }
  }

  @Test
  void anInstanceThatLosesTheRaceReadsBackTheWinnersAuthority() throws Exception {
    java.security.SecureRandom random = new java.security.SecureRandom();
    java.time.Clock clock = java.time.Clock.systemUTC();
    try (RealStore winner = RealStore.open(database()); RealStore loser = RealStore.open(database())) {
      // The loser looked before the winner inserted: it saw none, made its own, and lost the insert.
      var sawNoneFirst = new org.defpi.orchestrator.certificate.AuthorityStore() {
        private boolean looked;

        @Override
        public Optional<org.defpi.orchestrator.certificate.StoredAuthority> findAuthority() {
          if (!looked) {
            looked = true;
            return Optional.empty();
          }
          return loser.authority().findAuthority();
        }

        @Override
        public boolean insertAuthority(org.defpi.orchestrator.certificate.StoredAuthority authority) {
          return loser.authority().insertAuthority(authority);
        }
      };
      var won = org.defpi.orchestrator.certificate.CertificateManager.loadAuthority(winner.authority(), clock, random);
      var lost = org.defpi.orchestrator.certificate.CertificateManager.loadAuthority(sawNoneFirst, clock, random);
      assertThat(lost.certificate()).isEqualTo(won.certificate());
      assertThat(sawNoneFirst.looked).isTrue();
    }
  }
}
