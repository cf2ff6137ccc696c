package org.defpi.orchestrator.store;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pending-change table on PostgreSQL, as {@link RealStorePostgresTest}: each test in a schema
 * of its own ({@link PostgresSchema}), dropped after the pool is closed, so other test classes on
 * the same database never see its rows. Unreachable, the tests are skipped on a developer's machine
 * and FAIL in CI (CI=true).
 */
class PendingChangeTablePostgresTest extends PendingChangeTableContract {
  @RegisterExtension final PostgresSchema schema = new PostgresSchema();

  @Override
  RealStore.Settings database() {
    return schema.settings();
  }
}
