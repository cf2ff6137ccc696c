package org.defpi.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on the embedded H2 file database (the default), in a temporary directory. */
class RealStoreH2Test extends RealStoreContract {
  @TempDir Path dir;

  @Override
  RealStore.Settings database() {
    return RealStore.Settings.h2(dir);
  }

  @Test
  void aDatabaseMadeBeforeMigrationsIsTakenOverWithItsData() throws Exception {
    // What versions without Flyway created at start (upper-case names, CLOBs, no history table).
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("defpi"), "defpi", "");
        Statement s = c.createStatement()) {
      s.execute("""
          CREATE TABLE process (id CHAR(24) PRIMARY KEY, service_id VARCHAR(255) NOT NULL,
            name VARCHAR(255) NOT NULL, version VARCHAR(128) NOT NULL, user_id VARCHAR(64) NOT NULL,
            state VARCHAR(16) NOT NULL, reason CHARACTER LARGE OBJECT, configuration CHARACTER LARGE OBJECT NOT NULL,
            created_at TIMESTAMP WITH TIME ZONE NOT NULL, image VARCHAR(1024) NOT NULL,
            interfaces CHARACTER LARGE OBJECT NOT NULL, token VARCHAR(128) NOT NULL);
          INSERT INTO process VALUES ('65a1b2c30000000000000001', 's', 'n', '1', 'admin', 'RUNNING', NULL, '{}',
            TIMESTAMP WITH TIME ZONE '2026-11-25 10:00:00+00:00', 'img', '[]', 'secret');
          """);
    }
    try (RealStore store = RealStore.open(database())) {
      assertThat(store.findProcess("65a1b2c30000000000000001")).isPresent();
      assertThat(store.listConnections()).isEmpty();
    }
    assertThat(RealStore.migrate(database())).isZero();
  }
}
