package org.defpi.orchestrator.store;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store on PostgreSQL (scripts/postgres.sh up), each test in a schema of its own, dropped
 * afterwards ({@link PostgresSchema}). Unreachable, the tests are skipped on a developer's machine
 * and FAIL in CI (CI=true), where ./defpi test has started the cluster.
 */
class RealStorePostgresTest extends RealStoreContract {
  @RegisterExtension final PostgresSchema schema = new PostgresSchema();

  @Override
  RealStore.Settings database() {
    return schema.settings();
  }
}
