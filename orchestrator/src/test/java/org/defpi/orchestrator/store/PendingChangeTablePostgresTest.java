package org.defpi.orchestrator.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/**
 * The pending-change table on PostgreSQL, as {@link RealStorePostgresTest}: each test in a schema
 * of its own, dropped afterwards, so other test classes on the same database never see its rows.
 * Unreachable, the tests are skipped on a developer's machine and FAIL in CI (CI=true).
 */
class PendingChangeTablePostgresTest extends PendingChangeTableContract {
  private String schema;

  @BeforeEach
  void createSchema() throws SQLException {
    schema = "t_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
  }

  @AfterEach
  void dropSchema() throws SQLException {
    closePool(); // ours runs after this one; the schema goes with no connection still in it
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  @Override
  RealStore.Settings database() {
    String url = RealStorePostgresTest.URL;
    return new RealStore.Settings(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
        RealStorePostgresTest.USER, "");
  }

  private static Connection connect() throws SQLException {
    String url = RealStorePostgresTest.URL;
    try {
      return DriverManager.getConnection(url, RealStorePostgresTest.USER, "");
    } catch (SQLException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw new SQLException("PostgreSQL at " + url + " is unreachable (scripts/postgres.sh up starts it)", e);
      }
      Assumptions.abort("PostgreSQL at " + url + " is unreachable (scripts/postgres.sh up starts it): " + e.getMessage());
      throw e;
    }
  }
}
