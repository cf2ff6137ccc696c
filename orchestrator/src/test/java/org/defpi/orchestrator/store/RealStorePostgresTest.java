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
 * The store on PostgreSQL: the cluster of {@code scripts/postgres.sh up}, at the URL of the system
 * property {@code defpi.test.postgres} (set by surefire). Each test runs in a schema of its own,
 * dropped afterwards. Unreachable, the tests are skipped on a developer's machine and FAIL in CI
 * (CI=true), where ./defpi test has started the cluster.
 */
class RealStorePostgresTest extends RealStoreContract {
  static final String URL = System.getProperty("defpi.test.postgres", "jdbc:postgresql://127.0.0.1:54329/defpi_test");
  static final String USER = "defpi";

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
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  @Override
  RealStore.Settings database() {
    return new RealStore.Settings(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema, USER, "");
  }

  private static Connection connect() throws SQLException {
    try {
      return DriverManager.getConnection(URL, USER, "");
    } catch (SQLException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw new SQLException("PostgreSQL at " + URL + " is unreachable (scripts/postgres.sh up starts it)", e);
      }
      Assumptions.abort("PostgreSQL at " + URL + " is unreachable (scripts/postgres.sh up starts it): " + e.getMessage());
      throw e;
    }
  }
}
