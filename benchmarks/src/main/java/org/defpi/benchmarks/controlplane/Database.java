package org.defpi.benchmarks.controlplane;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.defpi.orchestrator.store.RealStore;

/**
 * A fresh, empty database for one run of the bench, and how to reach it: as the orchestrator would
 * ({@link #settings}), and a faster way to fill it ({@link #seeding}). Closing removes it.
 *
 * @param name {@code h2} or {@code postgres}, the bench's section
 * @param seeding the same database with durability relaxed for the bulk insert only (H2 without
 *     {@code WRITE_DELAY=0}, PostgreSQL with {@code synchronous_commit=off}); what is measured runs
 *     over {@link #settings}, the deployed orchestrator's
 */
record Database(String name, RealStore.Settings settings, RealStore.Settings seeding, String where, Cleanup cleanup)
    implements AutoCloseable {

  @FunctionalInterface
  interface Cleanup {
    void run() throws Exception;
  }

  /** An H2 file in a new temp dir, with the orchestrator's own URL ({@link RealStore#h2Url}). */
  static Database h2() throws Exception {
    Path dir = Files.createTempDirectory("defpi-bench-control-plane");
    RealStore.Settings settings = RealStore.Settings.h2(dir);
    RealStore.Settings seeding = new RealStore.Settings(
        "jdbc:h2:file:" + dir.toAbsolutePath().resolve("defpi") + ";MODE=PostgreSQL", settings.user(), "");
    return new Database("h2", settings, seeding, dir.toString(), () -> {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    });
  }

  /**
   * A schema of its own in the PostgreSQL at {@code url} (dropped on close), or an exception saying
   * why it cannot be had.
   */
  static Database postgres(String url, String user, String password) throws SQLException {
    String schema = "bench_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    String scoped = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    RealStore.Settings settings = new RealStore.Settings(scoped, user, password);
    RealStore.Settings seeding = new RealStore.Settings(scoped + "&options=-c%20synchronous_commit%3Doff", user,
        password);
    return new Database("postgres", settings, seeding, RealStore.redact(url) + " schema " + schema, () -> {
      try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    });
  }

  /**
   * Updates the planner's statistics after a bulk insert, as PostgreSQL's autovacuum does within a
   * minute or so (and H2 after enough changed rows): without them a fresh table's plans are the
   * planner's guesses, not what a running installation gets.
   */
  void analyze() throws SQLException {
    try (Connection c = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
        Statement s = c.createStatement()) {
      s.execute(name.equals("postgres")
          ? "ANALYZE process, connection, node, node_pool, pending_change, app_user, api_token"
          : "ANALYZE");
    }
  }

  @Override
  public void close() throws Exception {
    cleanup.run();
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s (%s)", name, where);
  }
}
