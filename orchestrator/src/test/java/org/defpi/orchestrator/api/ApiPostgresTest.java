package org.defpi.orchestrator.api;

/** Every API test again, over PostgreSQL (a schema of its own, dropped afterwards). */
class ApiPostgresTest extends ApiTest {
  @Override
  ApiFixture.Database database() {
    return ApiFixture.Database.POSTGRES;
  }
}
