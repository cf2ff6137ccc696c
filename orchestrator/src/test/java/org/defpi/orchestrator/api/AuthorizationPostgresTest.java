package org.defpi.orchestrator.api;

import java.nio.file.Path;
import org.defpi.orchestrator.store.PostgresSchema;
import org.defpi.orchestrator.store.RealStore;
import org.junit.jupiter.api.AfterAll;

/** The authorization matrix again, over PostgreSQL (a schema of its own, dropped afterwards). */
class AuthorizationPostgresTest extends AuthorizationTest {
  private final PostgresSchema schema = new PostgresSchema();

  @Override
  RealStore.Settings database(Path dataDir) throws Exception {
    schema.create();
    return schema.settings();
  }

  @AfterAll
  @Override
  void stop() throws Exception {
    try {
      super.stop();
    } finally {
      schema.drop();
    }
  }
}
