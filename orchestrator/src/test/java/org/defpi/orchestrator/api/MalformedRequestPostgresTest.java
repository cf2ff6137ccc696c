package org.defpi.orchestrator.api;

/** Every malformed request again, over PostgreSQL (a schema of its own, dropped afterwards). */
class MalformedRequestPostgresTest extends MalformedRequestTest {
  @Override
  ApiFixture.Database database() {
    return ApiFixture.Database.POSTGRES;
  }
}
