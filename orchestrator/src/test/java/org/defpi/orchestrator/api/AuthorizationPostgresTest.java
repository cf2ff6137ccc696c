package org.defpi.orchestrator.api;

/** The authorization matrix again, over PostgreSQL (a schema of its own, dropped afterwards). */
class AuthorizationPostgresTest extends AuthorizationTest {
  @Override
  ApiFixture.Database database() {
    return ApiFixture.Database.POSTGRES;
  }
}
