package org.defpi.orchestrator.pendingchange;

import org.defpi.orchestrator.store.PostgresSchema;
import org.defpi.orchestrator.store.RealStore;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The workers on PostgreSQL, in a schema of their own per test ({@link PostgresSchema}): skipped
 * when PostgreSQL is unreachable on a developer's machine, failed in CI.
 */
class WorkersPostgresTest extends WorkersContract {
  @RegisterExtension final PostgresSchema schema = new PostgresSchema();

  @Override
  RealStore.Settings database() {
    return schema.settings();
  }
}
