package org.defpi.orchestrator.api;

/** The traffic routes again, over PostgreSQL (a schema of its own, dropped afterwards). */
class TrafficApiPostgresTest extends TrafficApiTest {
  @Override
  ApiFixture.Database database() {
    return ApiFixture.Database.POSTGRES;
  }
}
