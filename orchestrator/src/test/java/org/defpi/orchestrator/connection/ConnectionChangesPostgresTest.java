package org.defpi.orchestrator.connection;

import org.defpi.orchestrator.store.PostgresSchema;
import org.defpi.orchestrator.store.RealStore;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ConnectionChangesContract} on PostgreSQL, each test in a schema of its own ({@link
 * PostgresSchema}); skipped when PostgreSQL is unreachable, except in CI.
 */
class ConnectionChangesPostgresTest extends ConnectionChangesContract {
  @RegisterExtension final PostgresSchema schema = new PostgresSchema();

  @Override
  RealStore.Settings database() {
    return schema.settings();
  }
}
