package org.defpi.orchestrator.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.defpi.orchestrator.connection.ConnectionStore;
import org.defpi.orchestrator.connection.Endpoint;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.process.ProcessState;
import org.defpi.orchestrator.process.ProcessStore;
import org.defpi.orchestrator.process.Token;
import org.defpi.wire.label.InterfaceLabel;

/**
 * Processes and connections in an embedded H2 database file, over plain JDBC. One JDBC connection,
 * used by one caller at a time: the orchestrator's load is a handful of writes per user action.
 * The schema is created at start; a migration library comes when the schema first changes.
 *
 * <p>TERMINATED is final: {@link #updateState} never moves a process out of it, so a configuration
 * that finishes while the process is being removed cannot bring it back to RUNNING.
 */
public final class RealStore implements ProcessStore, ConnectionStore, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final TypeReference<Map<String, String>> CONFIG = new TypeReference<>() {};
  private static final TypeReference<List<InterfaceLabel>> INTERFACES = new TypeReference<>() {};

  private static final String SCHEMA = """
      CREATE TABLE IF NOT EXISTS process (
        id CHAR(24) PRIMARY KEY,
        service_id VARCHAR(255) NOT NULL,
        name VARCHAR(255) NOT NULL,
        version VARCHAR(128) NOT NULL,
        user_id VARCHAR(64) NOT NULL,
        state VARCHAR(16) NOT NULL,
        reason CHARACTER LARGE OBJECT,
        configuration CHARACTER LARGE OBJECT NOT NULL,
        created_at TIMESTAMP WITH TIME ZONE NOT NULL,
        image VARCHAR(1024) NOT NULL,
        interfaces CHARACTER LARGE OBJECT NOT NULL,
        token VARCHAR(128) NOT NULL
      );
      CREATE TABLE IF NOT EXISTS connection (
        id CHAR(24) PRIMARY KEY,
        listen_port INT NOT NULL,
        created_at TIMESTAMP WITH TIME ZONE NOT NULL,
        process_id_1 CHAR(24) NOT NULL,
        interface_id_1 VARCHAR(512) NOT NULL,
        version_name_1 VARCHAR(255) NOT NULL,
        receives_hash_1 VARCHAR(128) NOT NULL,
        sends_hash_1 VARCHAR(128) NOT NULL,
        created_1 BOOLEAN NOT NULL,
        failure_1 CHARACTER LARGE OBJECT,
        process_id_2 CHAR(24) NOT NULL,
        interface_id_2 VARCHAR(512) NOT NULL,
        version_name_2 VARCHAR(255) NOT NULL,
        receives_hash_2 VARCHAR(128) NOT NULL,
        sends_hash_2 VARCHAR(128) NOT NULL,
        created_2 BOOLEAN NOT NULL,
        failure_2 CHARACTER LARGE OBJECT
      );
      CREATE INDEX IF NOT EXISTS connection_process_1 ON connection(process_id_1);
      CREATE INDEX IF NOT EXISTS connection_process_2 ON connection(process_id_2);
      """;

  private final Connection db;

  private RealStore(Connection db) {
    this.db = db;
  }

  /** Opens (creating if needed) the database {@code defpi} in {@code dataDir} and its schema. */
  public static RealStore open(Path dataDir) throws StoreException {
    try {
      Files.createDirectories(dataDir);
      Connection db = DriverManager.getConnection("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("defpi"), "defpi", "");
      try (Statement s = db.createStatement()) {
        s.execute(SCHEMA);
      }
      return new RealStore(db);
    } catch (SQLException | java.io.IOException e) {
      throw new StoreException("cannot open the database in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  // ---- processes

  @Override
  public synchronized void insert(Process p) {
    run("insert process " + p.id(), () -> {
      try (PreparedStatement s = db.prepareStatement("""
          INSERT INTO process (id, service_id, name, version, user_id, state, reason, configuration, created_at,
            image, interfaces, token) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
        s.setString(1, p.id());
        s.setString(2, p.serviceId());
        s.setString(3, p.name());
        s.setString(4, p.version());
        s.setString(5, p.userId());
        s.setString(6, p.state().name());
        s.setString(7, p.reason().orElse(null));
        s.setString(8, toJson(p.configuration()));
        s.setTimestamp(9, Timestamp.from(p.createdAt()));
        s.setString(10, p.image());
        s.setString(11, toJson(p.interfaces()));
        s.setString(12, p.token().value());
        s.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public synchronized Optional<Process> findProcess(String id) {
    return run("find process " + id, () -> {
      try (PreparedStatement s = db.prepareStatement("SELECT * FROM process WHERE id = ?")) {
        s.setString(1, id);
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? Optional.of(process(r)) : Optional.<Process>empty();
        }
      }
    });
  }

  @Override
  public synchronized List<Process> listProcesses() {
    return run("list processes", () -> {
      try (PreparedStatement s = db.prepareStatement("SELECT * FROM process ORDER BY created_at, id");
          ResultSet r = s.executeQuery()) {
        List<Process> all = new ArrayList<>();
        while (r.next()) {
          all.add(process(r));
        }
        return all;
      }
    });
  }

  @Override
  public synchronized boolean updateState(String id, ProcessState state, Optional<String> reason) {
    return run("update process " + id, () -> {
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
  public synchronized boolean deleteProcess(String id) {
    return run("delete process " + id, () -> {
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
        r.getTimestamp("created_at").toInstant(),
        r.getString("image"),
        fromJson(r.getString("interfaces"), INTERFACES),
        new Token(r.getString("token")));
  }

  // ---- connections

  @Override
  public synchronized void insert(org.defpi.orchestrator.connection.Connection c) {
    run("insert connection " + c.id(), () -> {
      try (PreparedStatement s = db.prepareStatement("""
          INSERT INTO connection (id, listen_port, created_at,
            process_id_1, interface_id_1, version_name_1, receives_hash_1, sends_hash_1, created_1, failure_1,
            process_id_2, interface_id_2, version_name_2, receives_hash_2, sends_hash_2, created_2, failure_2)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
        s.setString(1, c.id());
        s.setInt(2, c.listenPort());
        s.setTimestamp(3, Timestamp.from(c.createdAt()));
        setEndpoint(s, 4, c.endpoint1());
        setEndpoint(s, 11, c.endpoint2());
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
  public synchronized Optional<org.defpi.orchestrator.connection.Connection> findConnection(String id) {
    return run("find connection " + id, () -> {
      try (PreparedStatement s = db.prepareStatement("SELECT * FROM connection WHERE id = ?")) {
        s.setString(1, id);
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? Optional.of(connection(r)) : Optional.<org.defpi.orchestrator.connection.Connection>empty();
        }
      }
    });
  }

  @Override
  public synchronized List<org.defpi.orchestrator.connection.Connection> listConnections() {
    return queryConnections("SELECT * FROM connection ORDER BY created_at, id", null);
  }

  @Override
  public synchronized List<org.defpi.orchestrator.connection.Connection> connectionsOf(String processId) {
    return queryConnections(
        "SELECT * FROM connection WHERE process_id_1 = ?1 OR process_id_2 = ?1 ORDER BY created_at, id", processId);
  }

  private List<org.defpi.orchestrator.connection.Connection> queryConnections(String sql, String processId) {
    return run("list connections", () -> {
      try (PreparedStatement s = db.prepareStatement(sql)) {
        if (processId != null) {
          s.setString(1, processId);
        }
        try (ResultSet r = s.executeQuery()) {
          List<org.defpi.orchestrator.connection.Connection> all = new ArrayList<>();
          while (r.next()) {
            all.add(connection(r));
          }
          return all;
        }
      }
    });
  }

  @Override
  public synchronized boolean updateEndpoint(String connectionId, int side, boolean created, Optional<String> failure) {
    if (side != 1 && side != 2) {
      throw new IllegalArgumentException("side must be 1 or 2: " + side);
    }
    return run("update connection " + connectionId, () -> {
      try (PreparedStatement s = db.prepareStatement(
          "UPDATE connection SET created_" + side + " = ?, failure_" + side + " = ? WHERE id = ?")) {
        s.setBoolean(1, created);
        s.setString(2, failure.orElse(null));
        s.setString(3, connectionId);
        return s.executeUpdate() == 1;
      }
    });
  }

  @Override
  public synchronized boolean deleteConnection(String id) {
    return run("delete connection " + id, () -> {
      try (PreparedStatement s = db.prepareStatement("DELETE FROM connection WHERE id = ?")) {
        s.setString(1, id);
        return s.executeUpdate() == 1;
      }
    });
  }

  private static org.defpi.orchestrator.connection.Connection connection(ResultSet r) throws SQLException {
    return new org.defpi.orchestrator.connection.Connection(
        r.getString("id"), endpoint(r, 1), endpoint(r, 2), r.getInt("listen_port"),
        r.getTimestamp("created_at").toInstant());
  }

  private static Endpoint endpoint(ResultSet r, int side) throws SQLException {
    return new Endpoint(
        r.getString("process_id_" + side),
        r.getString("interface_id_" + side),
        r.getString("version_name_" + side),
        r.getString("receives_hash_" + side),
        r.getString("sends_hash_" + side),
        r.getBoolean("created_" + side),
        Optional.ofNullable(r.getString("failure_" + side)));
  }

  @Override
  public synchronized void close() throws StoreException {
    try {
      db.close();
    } catch (SQLException e) {
      throw new StoreException("cannot close the database: " + e.getMessage(), e);
    }
  }

  // ---- helpers

  @FunctionalInterface
  private interface Work<T> {
    T run() throws SQLException;
  }

  /**
   * A database failure is not something a caller can handle request by request (the file is gone,
   * the disk is full): it surfaces as an unchecked {@link StoreException} and a 500.
   */
  private static <T> T run(String what, Work<T> work) {
    try {
      return work.run();
    } catch (SQLException e) {
      throw new StoreException("cannot " + what + ": " + e.getMessage(), e);
    }
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
