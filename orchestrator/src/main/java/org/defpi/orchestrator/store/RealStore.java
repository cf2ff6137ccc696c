package org.defpi.orchestrator.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.defpi.orchestrator.connection.ConnectionStore;
import org.defpi.orchestrator.connection.Endpoint;
import org.defpi.orchestrator.node.Node;
import org.defpi.orchestrator.node.NodeKind;
import org.defpi.orchestrator.node.NodePool;
import org.defpi.orchestrator.node.NodeStatus;
import org.defpi.orchestrator.node.NodeStore;
import org.defpi.orchestrator.node.NodeStore.PoolDeletion;
import org.defpi.orchestrator.process.Mount;
import org.defpi.orchestrator.process.Placement;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.process.PublishedPort;
import org.defpi.orchestrator.node.Resources;
import org.defpi.orchestrator.process.Target;
import org.defpi.orchestrator.process.ProcessState;
import org.defpi.orchestrator.process.ProcessStore;
import org.defpi.orchestrator.metrics.StoreCounts;
import org.defpi.orchestrator.process.Token;
import org.defpi.wire.label.InterfaceLabel;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Processes and connections over plain JDBC, in an embedded H2 database file by default or in
 * PostgreSQL. A small HikariCP pool: each call borrows a connection and runs one auto-committed
 * statement, so callers need no lock (every write that must be atomic is a single statement).
 * The schema is migrated with Flyway at start ({@code src/main/resources/db/migration}); each
 * migration is written to run on both PostgreSQL and H2 in its PostgreSQL mode.
 *
 * <p>TERMINATED is final: {@link #updateState} never moves a process out of it, so a configuration
 * that finishes while the process is being removed cannot bring it back to RUNNING.
 */
public final class RealStore implements ProcessStore, ConnectionStore, NodeStore, StoreCounts, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final TypeReference<Map<String, String>> CONFIG = new TypeReference<>() {};
  private static final TypeReference<List<InterfaceLabel>> INTERFACES = new TypeReference<>() {};
  private static final TypeReference<List<Mount>> MOUNTS = new TypeReference<>() {};
  private static final TypeReference<List<PublishedPort>> PORTS = new TypeReference<>() {};
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  private static final String MIGRATIONS = "classpath:db/migration";

  /**
   * Where the database is. {@code toString()} hides the password.
   *
   * @param url a JDBC URL: {@code jdbc:h2:file:...} (embedded) or {@code jdbc:postgresql://...}
   */
  public record Settings(String url, String user, String password) {
    public Settings {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      if (!url.startsWith("jdbc:")) {
        throw new IllegalArgumentException("the database URL must be a JDBC URL (jdbc:...), not '" + redact(url) + "'");
      }
    }

    /** The embedded H2 file {@code defpi} in {@code dataDir}, in its PostgreSQL mode (the migrations serve both). */
    public static Settings h2(Path dataDir) {
      return new Settings(h2Url(dataDir), "defpi", "");
    }

    @Override
    public String toString() {
      return "Settings[url=" + redact(url) + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***") + "]";
    }
  }

  /**
   * The JDBC URL of the embedded database in {@code dataDir}. WRITE_DELAY=0: H2 otherwise writes
   * commits to disk up to 500 ms later, and an orchestrator killed in that window forgets requests
   * it had already answered (found by the e2e kill -9 test).
   */
  public static String h2Url(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("defpi") + ";MODE=PostgreSQL;WRITE_DELAY=0";
  }

  /** The URL with any {@code password=...} parameter hidden, for logs and messages. */
  public static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  private final HikariDataSource pool;

  private final UserTable users;
  private final PendingChangeTable pendingChanges;
  private final SavedStateTable savedStates;
  private final LayoutTable layouts;
  private final AuthorityTable authority;

  private RealStore(HikariDataSource pool) {
    this.pool = pool;
    this.users = new UserTable(pool);
    this.pendingChanges = new PendingChangeTable(pool);
    this.savedStates = new SavedStateTable(pool);
    this.layouts = new LayoutTable(pool);
    this.authority = new AuthorityTable(pool);
  }

  /** The deployment's certificate authority (the TLS addition). */
  public AuthorityTable authority() {
    return authority;
  }

  /** Where each viewer placed processes on the web canvas. */
  public LayoutTable layouts() {
    return layouts;
  }

  /** What suspended processes handed over, until they resume. */
  public SavedStateTable savedStates() {
    return savedStates;
  }

  /** The durable queue of actions on processes and connections. */
  public PendingChangeTable pendingChanges() {
    return pendingChanges;
  }

  /** Users and their API tokens. */
  public UserTable users() {
    return users;
  }

  /** Opens (creating the file if needed) the database {@code defpi} in {@code dataDir} and migrates it. */
  public static RealStore open(Path dataDir) throws StoreException {
    try {
      Files.createDirectories(dataDir);
    } catch (java.io.IOException e) {
      throw new StoreException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
    }
    return open(Settings.h2(dataDir));
  }

  /** Connects to the database and brings its schema to this version's (Flyway, {@code db/migration}). */
  public static RealStore open(Settings settings) throws StoreException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(settings.url());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setPoolName("defpi-store");
    // a handful of writes per user action: a few connections are plenty, and each call borrows one
    config.setMaximumPoolSize(4);
    config.setConnectionTimeout(10_000);
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException("cannot connect to the database " + redact(settings.url()) + ": " + e.getMessage(), e);
    }
    try {
      migrate(pool);
      return new RealStore(pool);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /** Applies the pending migrations; returns how many ran (0 when the schema was current). */
  public static int migrate(Settings settings) throws StoreException {
    return migrate(Flyway.configure(RealStore.class.getClassLoader())
        .dataSource(settings.url(), settings.user(), settings.password()));
  }

  private static int migrate(DataSource dataSource) {
    return migrate(Flyway.configure(RealStore.class.getClassLoader()).dataSource(dataSource));
  }

  private static int migrate(FluentConfiguration flyway) {
    try {
      return flyway
          .locations(MIGRATIONS)
          // A database made before migrations existed has the V1 tables but no history: baseline it
          // below V1 so V1 (all IF NOT EXISTS) still runs and the history starts complete.
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .load()
          .migrate()
          .migrationsExecuted;
    } catch (FlywayException e) {
      throw new StoreException("cannot migrate the database: " + e.getMessage(), e);
    }
  }

  // ---- processes

  @Override
  public void insert(Process p) {
    run(pool, "insert process " + p.id(), db -> {
      try (PreparedStatement s = db.prepareStatement("""
          INSERT INTO process (id, service_id, name, version, user_id, state, reason, configuration, created_at,
            image, interfaces, token, target_node_id, target_pool_id, memory_bytes, nano_cpus, mounts, ports,
            architectures, runs_on, tls) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
        s.setString(1, p.id());
        s.setString(2, p.serviceId());
        s.setString(3, p.name());
        s.setString(4, p.version());
        s.setString(5, p.userId());
        s.setString(6, p.state().name());
        s.setString(7, p.reason().orElse(null));
        s.setString(8, toJson(p.configuration()));
        setInstant(s, 9, p.createdAt());
        s.setString(10, p.image());
        s.setString(11, toJson(p.interfaces()));
        s.setString(12, p.token().value());
        Placement placement = p.placement();
        s.setString(13, placement.target() instanceof Target.PrivateNode n ? n.nodeId() : null);
        s.setString(14, placement.target() instanceof Target.Pool pool ? pool.poolId() : null);
        s.setLong(15, placement.resources().memoryBytes());
        s.setLong(16, placement.resources().nanoCpus());
        s.setString(17, toJson(placement.mounts()));
        s.setString(18, toJson(placement.ports()));
        s.setString(19, toJson(p.architectures()));
        s.setString(20, p.runsOn().orElse(null));
        s.setBoolean(21, p.tls());
        s.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<Process> findProcess(String id) {
    return run(pool, "find process " + id, db -> {
      try (PreparedStatement s = db.prepareStatement("SELECT * FROM process WHERE id = ?")) {
        s.setString(1, id);
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? Optional.of(process(r)) : Optional.<Process>empty();
        }
      }
    });
  }

  @Override
  public List<Process> listProcesses() {
    return run(pool, "list processes", db -> selectAll(db, "SELECT * FROM process ORDER BY created_at, id",
        RealStore::process));
  }

  @Override
  public boolean updateState(String id, ProcessState state, Optional<String> reason) {
    return run(pool, "update process " + id, db -> {
      try (PreparedStatement s = db.prepareStatement(
          "UPDATE process SET state = ?, reason = ? WHERE id = ? AND state <> 'TERMINATED'")) {
        s.setString(1, state.name());
        s.setString(2, reason.orElse(null));
        s.setString(3, id);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public boolean updateDefinition(String id, String name, Map<String, String> configuration) {
    return run(pool, "update process " + id, db -> {
      try (PreparedStatement s = db.prepareStatement(
          "UPDATE process SET name = ?, configuration = ? WHERE id = ? AND state <> 'TERMINATED'")) {
        s.setString(1, name);
        s.setString(2, toJson(new java.util.TreeMap<>(configuration)));
        s.setString(3, id);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public boolean updateDeployment(String id, String version, String image, List<InterfaceLabel> interfaces,
      List<String> architectures) {
    return run(pool, "update process " + id, db -> {
      try (PreparedStatement s = db.prepareStatement("UPDATE process SET version = ?, image = ?, interfaces = ?,"
          + " architectures = ? WHERE id = ? AND state <> 'TERMINATED'")) {
        s.setString(1, version);
        s.setString(2, image);
        s.setString(3, toJson(interfaces));
        s.setString(4, toJson(architectures));
        s.setString(5, id);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public boolean updateTarget(String id, Target target) {
    return run(pool, "update process " + id, db -> {
      try (PreparedStatement s = db.prepareStatement(
          "UPDATE process SET target_node_id = ?, target_pool_id = ? WHERE id = ? AND state <> 'TERMINATED'")) {
        s.setString(1, target instanceof Target.PrivateNode n ? n.nodeId() : null);
        s.setString(2, target instanceof Target.Pool p ? p.poolId() : null);
        s.setString(3, id);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public boolean updateRunsOn(String id, Optional<String> nodeId) {
    return run(pool, "update process " + id, db -> {
      try (PreparedStatement s = db.prepareStatement("UPDATE process SET runs_on = ? WHERE id = ?")) {
        s.setString(1, nodeId.orElse(null));
        s.setString(2, id);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public boolean updateTls(String id, boolean tls) {
    return run(pool, "update process " + id, db -> {
      try (PreparedStatement s = db.prepareStatement(
          "UPDATE process SET tls = ? WHERE id = ? AND state <> 'TERMINATED'")) {
        s.setBoolean(1, tls);
        s.setString(2, id);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public boolean deleteProcess(String id) {
    return run(pool, "delete process " + id, db -> {
      try (PreparedStatement s = db.prepareStatement("DELETE FROM process WHERE id = ?")) {
        s.setString(1, id);
        return s.executeUpdate() == 1;
      }
    });
  }

  private static Process process(ResultSet r) throws SQLException {
    return new Process(
        r.getString("id"),
        r.getString("service_id"),
        r.getString("name"),
        r.getString("version"),
        r.getString("user_id"),
        ProcessState.valueOf(r.getString("state")),
        Optional.ofNullable(r.getString("reason")),
        fromJson(r.getString("configuration"), CONFIG),
        instant(r, "created_at"),
        r.getString("image"),
        fromJson(r.getString("interfaces"), INTERFACES),
        new Token(r.getString("token")),
        placement(r),
        fromJson(r.getString("architectures"), STRINGS),
        Optional.ofNullable(r.getString("runs_on")),
        r.getBoolean("tls"));
  }

  private static Placement placement(ResultSet r) throws SQLException {
    String node = r.getString("target_node_id");
    String pool = r.getString("target_pool_id");
    Target target = node != null ? new Target.PrivateNode(node)
        : pool != null ? new Target.Pool(pool) : Target.ANY_PUBLIC_NODE;
    return new Placement(target, new Resources(r.getLong("memory_bytes"), r.getLong("nano_cpus")),
        fromJson(r.getString("mounts"), MOUNTS), fromJson(r.getString("ports"), PORTS));
  }

  // ---- connections

  @Override
  public void insert(org.defpi.orchestrator.connection.Connection c) {
    run(pool, "insert connection " + c.id(), db -> {
      try (PreparedStatement s = db.prepareStatement("""
          INSERT INTO connection (id, listen_port, created_at,
            process_id_1, interface_id_1, version_name_1, receives_hash_1, sends_hash_1, created_1, failure_1,
            process_id_2, interface_id_2, version_name_2, receives_hash_2, sends_hash_2, created_2, failure_2,
            suspended, tls_1, tls_2)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
        s.setString(1, c.id());
        s.setInt(2, c.listenPort());
        setInstant(s, 3, c.createdAt());
        setEndpoint(s, 4, c.endpoint1());
        setEndpoint(s, 11, c.endpoint2());
        s.setBoolean(18, c.suspended());
        s.setBoolean(19, c.endpoint1().tls());
        s.setBoolean(20, c.endpoint2().tls());
        s.executeUpdate();
      }
      return null;
    });
  }

  private static void setEndpoint(PreparedStatement s, int first, Endpoint e) throws SQLException {
    s.setString(first, e.processId());
    s.setString(first + 1, e.interfaceId());
    s.setString(first + 2, e.versionName());
    s.setString(first + 3, e.receivesHash());
    s.setString(first + 4, e.sendsHash());
    s.setBoolean(first + 5, e.created());
    s.setString(first + 6, e.failure().orElse(null));
  }

  @Override
  public Optional<org.defpi.orchestrator.connection.Connection> findConnection(String id) {
    return run(pool, "find connection " + id, db -> {
      try (PreparedStatement s = db.prepareStatement("SELECT * FROM connection WHERE id = ?")) {
        s.setString(1, id);
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? Optional.of(connection(r)) : Optional.<org.defpi.orchestrator.connection.Connection>empty();
        }
      }
    });
  }

  // ---- counts for the metrics (StoreCounts): one grouped query each, whatever the number of rows

  @Override
  public java.util.Map<ProcessState, Long> processesByState() {
    java.util.Map<ProcessState, Long> counts = new java.util.EnumMap<>(ProcessState.class);
    run(pool, "count processes", db -> selectAll(db, "SELECT state, COUNT(*) FROM process GROUP BY state",
        r -> counts.put(ProcessState.valueOf(r.getString(1).strip()), r.getLong(2))));
    return counts;
  }

  /** A connection's state is derived from its row as {@link org.defpi.orchestrator.connection.Connection#state()} derives it. */
  @Override
  public java.util.Map<org.defpi.orchestrator.connection.ConnectionState, Long> connectionsByState() {
    java.util.Map<org.defpi.orchestrator.connection.ConnectionState, Long> counts =
        new java.util.EnumMap<>(org.defpi.orchestrator.connection.ConnectionState.class);
    run(pool, "count connections", db -> selectAll(db, """
        SELECT s, COUNT(*) FROM (SELECT CASE
            WHEN suspended THEN 'SUSPENDED'
            WHEN failure_1 IS NOT NULL OR failure_2 IS NOT NULL THEN 'FAILED'
            WHEN created_1 AND created_2 THEN 'ACTIVE'
            ELSE 'STARTING' END AS s FROM connection) c GROUP BY s""",
        r -> counts.put(org.defpi.orchestrator.connection.ConnectionState.valueOf(r.getString(1).strip()), r.getLong(2))));
    return counts;
  }

  @Override
  public java.util.Map<org.defpi.orchestrator.pendingchange.PendingChange.State, StateAge> pendingChangesByState() {
    return pendingChanges.ageByState();
  }

  @Override
  public List<org.defpi.orchestrator.connection.Connection> listConnections() {
    return queryConnections("SELECT * FROM connection ORDER BY created_at, id", null);
  }

  @Override
  public List<org.defpi.orchestrator.connection.Connection> connectionsOf(String processId) {
    return queryConnections(
        "SELECT * FROM connection WHERE process_id_1 = ? OR process_id_2 = ? ORDER BY created_at, id", processId);
  }

  private List<org.defpi.orchestrator.connection.Connection> queryConnections(String sql, String processId) {
    return run(pool, "list connections", db -> {
      try (PreparedStatement s = db.prepareStatement(sql)) {
        if (processId != null) {
          s.setString(1, processId);
          s.setString(2, processId);
        }
        try (ResultSet r = s.executeQuery()) {
          return rows(r, RealStore::connection);
        }
      }
    });
  }

  @Override
  public boolean updateEndpoint(String connectionId, int side, boolean created, boolean tls, Optional<String> failure) {
    if (side != 1 && side != 2) {
      throw new IllegalArgumentException("side must be 1 or 2: " + side);
    }
    return run(pool, "update connection " + connectionId, db -> {
      try (PreparedStatement s = db.prepareStatement(
          "UPDATE connection SET created_" + side + " = ?, failure_" + side + " = ?, tls_" + side + " = ?"
              + " WHERE id = ?")) {
        s.setBoolean(1, created);
        s.setString(2, failure.orElse(null));
        s.setBoolean(3, tls);
        s.setString(4, connectionId);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public boolean updateSuspended(String connectionId, boolean suspended) {
    return run(pool, "update connection " + connectionId, db -> {
      try (PreparedStatement s = db.prepareStatement("UPDATE connection SET suspended = ? WHERE id = ?")) {
        s.setBoolean(1, suspended);
        s.setString(2, connectionId);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public boolean deleteConnection(String id) {
    return run(pool, "delete connection " + id, db -> {
      try (PreparedStatement s = db.prepareStatement("DELETE FROM connection WHERE id = ?")) {
        s.setString(1, id);
        return s.executeUpdate() == 1;
      }
    });
  }

  private static org.defpi.orchestrator.connection.Connection connection(ResultSet r) throws SQLException {
    return new org.defpi.orchestrator.connection.Connection(
        r.getString("id"), endpoint(r, 1), endpoint(r, 2), r.getInt("listen_port"),
        instant(r, "created_at"), r.getBoolean("suspended"));
  }

  private static Endpoint endpoint(ResultSet r, int side) throws SQLException {
    return new Endpoint(
        r.getString("process_id_" + side),
        r.getString("interface_id_" + side),
        r.getString("version_name_" + side),
        r.getString("receives_hash_" + side),
        r.getString("sends_hash_" + side),
        r.getBoolean("created_" + side),
        Optional.ofNullable(r.getString("failure_" + side)),
        r.getBoolean("tls_" + side));
  }

  // ---- nodes and node pools

  @Override
  public List<Node> listNodes() {
    return run(pool, "list nodes",
        db -> selectAll(db, "SELECT * FROM node ORDER BY hostname, id", RealStore::node));
  }

  @Override
  public Optional<Node> findNode(String id) {
    return run(pool, "find node " + id, db -> {
      try (PreparedStatement s = db.prepareStatement("SELECT * FROM node WHERE id = ?")) {
        s.setString(1, id);
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? Optional.of(node(r)) : Optional.<Node>empty();
        }
      }
    });
  }

  @Override
  public void insertNode(Node n) {
    run(pool, "insert node " + n.id(), db -> {
      try (PreparedStatement s = db.prepareStatement("""
          INSERT INTO node (id, hostname, architecture, status, kind, pool_id, owner_user_id, last_seen, memory_bytes,
            nano_cpus) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
        s.setString(1, n.id());
        s.setString(2, n.hostname());
        s.setString(3, n.architecture());
        s.setString(4, n.status().name());
        s.setString(5, n.kind().name());
        s.setString(6, n.poolId().orElse(null));
        s.setString(7, n.ownerUserId().orElse(null));
        setInstant(s, 8, n.lastSeen());
        s.setLong(9, n.capacity().memoryBytes());
        s.setLong(10, n.capacity().nanoCpus());
        s.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public boolean updateObserved(Node n) {
    return run(pool, "update node " + n.id(), db -> {
      try (PreparedStatement s = db.prepareStatement(
          "UPDATE node SET hostname = ?, architecture = ?, status = ?, last_seen = ?, memory_bytes = ?, nano_cpus = ?"
              + " WHERE id = ?")) {
        s.setString(1, n.hostname());
        s.setString(2, n.architecture());
        s.setString(3, n.status().name());
        setInstant(s, 4, n.lastSeen());
        s.setLong(5, n.capacity().memoryBytes());
        s.setLong(6, n.capacity().nanoCpus());
        s.setString(7, n.id());
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public boolean updateAssignment(Node n) {
    return run(pool, "assign node " + n.id(), db -> {
      try (PreparedStatement s = db.prepareStatement(
          "UPDATE node SET kind = ?, pool_id = ?, owner_user_id = ? WHERE id = ?")) {
        s.setString(1, n.kind().name());
        s.setString(2, n.poolId().orElse(null));
        s.setString(3, n.ownerUserId().orElse(null));
        s.setString(4, n.id());
        return s.executeUpdate() == 1;
      }
    });
  }

  private static Node node(ResultSet r) throws SQLException {
    return new Node(
        r.getString("id"),
        r.getString("hostname"),
        r.getString("architecture"),
        NodeStatus.valueOf(r.getString("status")),
        NodeKind.valueOf(r.getString("kind")),
        Optional.ofNullable(r.getString("pool_id")),
        Optional.ofNullable(r.getString("owner_user_id")),
        instant(r, "last_seen"),
        new Resources(r.getLong("memory_bytes"), r.getLong("nano_cpus")));
  }

  @Override
  public List<NodePool> listPools() {
    return run(pool, "list node pools", db -> selectAll(db, "SELECT id, name FROM node_pool ORDER BY name, id",
        r -> new NodePool(r.getString("id"), r.getString("name"))));
  }

  @Override
  public Optional<NodePool> findPool(String id) {
    return run(pool, "find node pool " + id, db -> {
      try (PreparedStatement s = db.prepareStatement("SELECT id, name FROM node_pool WHERE id = ?")) {
        s.setString(1, id);
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? Optional.of(new NodePool(r.getString("id"), r.getString("name"))) : Optional.<NodePool>empty();
        }
      }
    });
  }

  @Override
  public boolean insertPool(NodePool p) {
    return run(pool, "insert node pool " + p.id(), onRefusal(UNIQUE_VIOLATION, false, db -> {
      try (PreparedStatement s = db.prepareStatement("INSERT INTO node_pool (id, name) VALUES (?, ?)")) {
        s.setString(1, p.id());
        s.setString(2, p.name());
        s.executeUpdate();
        return true;
      }
    }));
  }

  @Override
  public boolean updatePool(NodePool p) {
    return run(pool, "rename node pool " + p.id(), onRefusal(UNIQUE_VIOLATION, false, db -> {
      try (PreparedStatement s = db.prepareStatement("UPDATE node_pool SET name = ? WHERE id = ?")) {
        s.setString(1, p.name());
        s.setString(2, p.id());
        return s.executeUpdate() == 1;
      }
    }));
  }

  @Override
  public PoolDeletion deletePool(String id) {
    return run(pool, "delete node pool " + id, onRefusal(FOREIGN_KEY_VIOLATION, PoolDeletion.IN_USE, db -> {
      try (PreparedStatement s = db.prepareStatement("DELETE FROM node_pool WHERE id = ?")) {
        s.setString(1, id);
        return s.executeUpdate() == 1 ? PoolDeletion.DELETED : PoolDeletion.NOT_FOUND;
      }
    }));
  }

  /** SQLSTATE of a row still referenced by another table's foreign key, on PostgreSQL and H2. */
  static final String FOREIGN_KEY_VIOLATION = "23503";

  /** SQLSTATE of a duplicate in a unique column, on PostgreSQL and H2. */
  static final String UNIQUE_VIOLATION = "23505";

  static boolean isUniqueViolation(SQLException e) {
    return UNIQUE_VIOLATION.equals(e.getSQLState());
  }

  /** Closes the pool; safe to call twice. */
  @Override
  public void close() {
    pool.close();
  }

  // ---- helpers

  @FunctionalInterface
  interface Work<T> {
    T run(Connection db) throws SQLException;
  }

  /**
   * A database failure is not something a caller can handle request by request (the file is gone,
   * the disk is full): it surfaces as an unchecked {@link StoreException} and a 500.
   */
  static <T> T run(DataSource pool, String what, Work<T> work) {
    try (Connection db = pool.getConnection()) {
      return work.run(db);
    } catch (SQLException e) {
      throw new StoreException("cannot " + what + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code work}, answering {@code answer} instead when the database refuses it with SQLSTATE
   * {@code sqlState}. Not inside a transaction: on PostgreSQL a refused statement aborts it.
   */
  static <T> Work<T> onRefusal(String sqlState, T answer, Work<T> work) {
    return db -> {
      try {
        return work.run(db);
      } catch (SQLException e) {
        if (sqlState.equals(e.getSQLState())) {
          return answer;
        }
        throw e;
      }
    };
  }

  /** Reads the current row of a result. */
  @FunctionalInterface
  interface Row<T> {
    T read(ResultSet r) throws SQLException;
  }

  /** Every row a query without parameters selects, in its order. */
  static <T> List<T> selectAll(Connection db, String sql, Row<T> row) throws SQLException {
    try (PreparedStatement s = db.prepareStatement(sql); ResultSet r = s.executeQuery()) {
      return rows(r, row);
    }
  }

  /** The rows of {@code r} that are left. */
  static <T> List<T> rows(ResultSet r, Row<T> row) throws SQLException {
    List<T> all = new ArrayList<>();
    while (r.next()) {
      all.add(row.read(r));
    }
    return all;
  }

  /** {@link #run}, all of it in one transaction. */
  static <T> T inTransaction(DataSource pool, String what, Work<T> work) {
    return run(pool, what, db -> inTransaction(db, work));
  }

  /**
   * {@code work} in one transaction on {@code db}: committed when it returns, rolled back when it
   * throws (and the exception passed on); {@code db} is back in auto-commit afterwards either way.
   */
  static <T> T inTransaction(Connection db, Work<T> work) throws SQLException {
    db.setAutoCommit(false);
    try {
      T result = work.run(db);
      db.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      db.rollback();
      throw e;
    } finally {
      db.setAutoCommit(true);
    }
  }

  // TIMESTAMP WITH TIME ZONE as OffsetDateTime: JDBC 4.2, the same on H2 and PostgreSQL, and
  // independent of the JVM's time zone (java.sql.Timestamp is not). Null is SQL NULL.
  static void setInstant(PreparedStatement s, int index, Instant instant) throws SQLException {
    if (instant == null) {
      s.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      s.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
  }

  /** A NOT NULL timestamp column. */
  static Instant instant(ResultSet r, String column) throws SQLException {
    return r.getObject(column, OffsetDateTime.class).toInstant();
  }

  /** A timestamp column that may be NULL. */
  static Optional<Instant> optionalInstant(ResultSet r, String column) throws SQLException {
    return Optional.ofNullable(r.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
  }

  private static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("records always serialise", e);
    }
  }

  private static <T> T fromJson(String json, TypeReference<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new StoreException("a stored column is not the JSON this version writes: " + e.getOriginalMessage(), e);
    }
  }

  /** The database failed. */
  public static final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
