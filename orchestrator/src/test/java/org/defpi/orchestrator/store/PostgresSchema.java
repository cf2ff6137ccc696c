package org.defpi.orchestrator.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A PostgreSQL schema of its own for each test, on the cluster of {@code scripts/postgres.sh up} at
 * the URL of the system property {@code defpi.test.postgres} (set by surefire). Register it as an
 * extension field so the schema exists before any {@code @BeforeEach} (also a superclass's) and is
 * dropped after every {@code @AfterEach}:
 *
 * <pre>{@code
 * @RegisterExtension final PostgresSchema schema = new PostgresSchema();
 * ... RealStore.open(schema.settings()) ...
 * }</pre>
 *
 * Unreachable, the test is skipped on a developer's machine and FAILS in CI ({@code CI=true}),
 * where ./defpi test has started the cluster.
 */
public final class PostgresSchema implements BeforeEachCallback, AfterEachCallback {
  public static final String URL = System.getProperty("defpi.test.postgres", "jdbc:postgresql://127.0.0.1:54329/defpi_test");
  public static final String USER = "defpi";

  private String name;

  @Override
  public void beforeEach(ExtensionContext context) throws SQLException {
    create();
  }

  @Override
  public void afterEach(ExtensionContext context) throws SQLException {
    drop();
  }

  /** Creates a fresh, empty schema (done by {@link #beforeEach} when registered as an extension). */
  public void create() throws SQLException {
    name = "t_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + name);
    }
  }

  /** Drops the schema with everything in it; nothing to do when none was made. */
  public void drop() throws SQLException {
    if (name == null) {
      return;
    }
    try (Connection c = DriverManager.getConnection(URL, USER, ""); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    } finally {
      name = null;
    }
  }

  /** The schema's name, e.g. {@code t_1a2b3c}. */
  public String name() {
    if (name == null) {
      throw new IllegalStateException("no schema: register PostgresSchema with @RegisterExtension or call create()");
    }
    return name;
  }

  /** Where the store finds this schema (and nothing else). */
  public RealStore.Settings settings() {
    return new RealStore.Settings(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + name(), USER, "");
  }

  /**
   * A connection to the test database (not to the schema); aborts the test when PostgreSQL is
   * unreachable, unless {@code CI=true}, where it fails it.
   */
  public static Connection connect() throws SQLException {
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
