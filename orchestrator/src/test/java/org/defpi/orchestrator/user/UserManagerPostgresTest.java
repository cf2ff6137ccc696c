package org.defpi.orchestrator.user;

import org.defpi.orchestrator.store.PostgresSchema;
import org.defpi.orchestrator.store.RealStore;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The user manager over PostgreSQL (scripts/postgres.sh up), each test in a schema of its own.
 * Skipped when PostgreSQL is unreachable, except in CI (CI=true), where it fails.
 */
class UserManagerPostgresTest extends UserManagerContract {
  @RegisterExtension final PostgresSchema schema = new PostgresSchema();

  @Override
  RealStore.Settings database() {
    return schema.settings();
  }
}
