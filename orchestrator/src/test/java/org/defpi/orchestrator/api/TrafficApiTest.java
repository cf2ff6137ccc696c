package org.defpi.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.defpi.orchestrator.api.ApiFixture.LOGGER_IFACE;
import static org.defpi.orchestrator.api.ApiFixture.METER_IFACE;
import static org.defpi.orchestrator.api.ApiFixture.PASSWORD;
import static org.defpi.orchestrator.api.ApiFixture.basic;
import static org.defpi.orchestrator.api.ApiFixture.connectionBody;
import static org.defpi.orchestrator.api.ApiFixture.json;
import static org.defpi.orchestrator.api.ApiFixture.ok;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.defpi.orchestrator.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The traffic routes on the real server ({@link ApiFixture}; PostgreSQL in {@link
 * TrafficApiPostgresTest}): Alice's meter and logger, connected, report as processes do; Bob has a
 * meter of his own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrafficApiTest {
  private final ApiFixture fixture = new ApiFixture();
  private String alice;
  private String bob;
  private String aliceId;
  private String bobId;
  private String meter;
  private String logger;
  private String bobsMeter;
  private String connection;

  @BeforeAll
  void start() throws Exception {
    fixture.start(database());
    aliceId = ok(admin("POST", "/user", "{\"name\": \"alice\", \"password\": \"alice-password\"}"), 201).path("id").asText();
    bobId = ok(admin("POST", "/user", "{\"name\": \"bob\", \"password\": \"bob-password\"}"), 201).path("id").asText();
    alice = "Bearer " + fixture.login("alice", "alice-password");
    bob = "Bearer " + fixture.login("bob", "bob-password");
    meter = newProcess(alice, TestImages.METER);
    logger = newProcess(alice, TestImages.LOGGER);
    bobsMeter = newProcess(bob, TestImages.METER);
    connection = ok(fixture.send("POST", "/connection", connectionBody(meter, METER_IFACE, logger, LOGGER_IFACE), alice),
        201).path("id").asText();
  }

  ApiFixture.Database database() {
    return ApiFixture.Database.H2;
  }

  @AfterAll
  void stop() throws Exception {
    fixture.close();
  }

  private HttpResponse<String> admin(String method, String path, String body) throws Exception {
    return fixture.send(method, path, body, basic("admin", PASSWORD));
  }

  private String newProcess(String who, String serviceId) throws Exception {
    String id = ok(fixture.send("POST", "/process", "{\"serviceId\": \"" + serviceId + "\"}", who), 201).path("id").asText();
    fixture.removeOnClose(id);
    return id;
  }

  private String tokenOf(String processId) {
    return fixture.store().findProcess(processId).orElseThrow().token().value();
  }

  private HttpResponse<String> report(String processId, String token, String body) throws Exception {
    return fixture.send("PUT", "/process/" + processId + "/traffic", body, null,
        token == null ? Map.of() : Map.of("X-Auth-Token", token));
  }

  private static String line(String connectionId, long in, long out, long bytesIn, long bytesOut, long dropped,
      long errors) {
    return "{\"connectionId\": \"" + connectionId + "\", \"state\": \"CONNECTED\", \"messagesIn\": " + in
        + ", \"messagesOut\": " + out + ", \"bytesIn\": " + bytesIn + ", \"bytesOut\": " + bytesOut
        + ", \"dropped\": " + dropped + ", \"errors\": " + errors + ", \"stateChanges\": 1}";
  }

  private static String body(String... lines) {
    return "{\"connections\": [" + String.join(", ", lines) + "]}";
  }

  private static void assertProblem(HttpResponse<String> response, int status, String detail) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(json(response).path("detail").asText()).contains(detail);
  }

  @Test
  void aProcessReportsWithItsOwnTokenAndIsToldWhenToReportNext() throws Exception {
    HttpResponse<String> none = report(meter, null, body());
    assertProblem(none, 401, "a traffic report needs the process's token in X-Auth-Token");
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("X-Auth-Token realm=\"defpi-process\"");
    // The token is checked before the body is read: a wrong token with a bad body is still 403.
    assertProblem(report(meter, tokenOf(bobsMeter), "{\"nonsense\": 1}"), 403, "does not match the token of process");
    assertProblem(report("65a1b2c30000000000000099", tokenOf(meter), body()), 404, "does not exist");
    // A user's credentials are no process token.
    assertThat(fixture.send("PUT", "/process/" + meter + "/traffic", body(), alice).statusCode()).isEqualTo(401);

    HttpResponse<String> kept = report(bobsMeter, tokenOf(bobsMeter), body());
    assertThat(kept.statusCode()).as(kept.body()).isEqualTo(204);
    assertThat(kept.headers().firstValue("X-Defpi-Report-Interval")).hasValue("2");
  }

  @Test
  void aBadReportIsRefusedNamingTheField() throws Exception {
    String token = tokenOf(logger);
    assertProblem(report(logger, token, "{}"), 400, "field 'connections' is required");
    assertProblem(report(logger, token, "{\"connections\": [], \"extra\": 1}"), 400, "unknown field 'extra'");
    assertProblem(report(logger, token, body(line(connection, -1, 0, 0, 0, 0, 0))), 400,
        "field 'connections[0].messagesIn' must be 0 or more, not -1");
    assertProblem(report(logger, token, body(line(connection, 0, 0, 0, 0, 0, 0).replace("CONNECTED", "DANCING"))), 400,
        "field 'connections[0].state' must be one of");
    assertProblem(report(logger, token, body(line(connection, 0, 0, 0, 0, 0, 0).replace("\"errors\": 0, ", ""))), 400,
        "field 'connections[0].errors' is required");
    assertProblem(report(logger, token, body(line(connection, 0, 0, 0, 0, 0, 0).replace("\"bytesIn\": 0", "\"bytesIn\": 1.5"))),
        400, "field 'connections[0].bytesIn' must be a whole number");
    assertProblem(report(logger, token, body(line(connection, 0, 0, 0, 0, 0, 0), line(connection, 1, 0, 0, 0, 0, 0))),
        400, "'connections[1].connectionId'");
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 501; i++) {
      many.add(line("c" + i, 0, 0, 0, 0, 0, 0));
    }
    assertProblem(report(logger, token, body(many.toArray(String[]::new))), 400, "at most 500");
    assertProblem(report(logger, token, "not json"), 400, "");
    // an SDK with TLS says whether the end is encrypted: a boolean, taken (not kept)
    assertProblem(report(logger, token, body(line(connection, 0, 0, 0, 0, 0, 0).replace("}", ", \"encrypted\": \"yes\"}"))),
        400, "connections[0].encrypted");
    assertThat(report(logger, token, body(line(connection, 0, 0, 0, 0, 0, 0).replace("}", ", \"encrypted\": true}")))
        .statusCode()).isEqualTo(204);
  }

  @Test
  void ratesComeFromTheTwoLatestReportsAndOnlyKnownConnectionsAreKept() throws Exception {
    String token = tokenOf(meter);
    assertThat(report(meter, token, body(line(connection, 0, 100, 0, 20_000, 0, 0))).statusCode()).isEqualTo(204);
    JsonNode first = ok(fixture.send("GET", "/process/" + meter + "/traffic", null, alice), 200);
    assertThat(first.at("/connections/0/rates/messagesOutPerSecond").asDouble()).isZero(); // one report: no rate yet

    assertThat(report(meter, token, body(line(connection, 5, 300, 1000, 60_000, 2, 1),
        line("65a1b2c3000000000000dead", 1, 1, 1, 1, 0, 0))).statusCode()).isEqualTo(204);
    JsonNode second = ok(fixture.send("GET", "/process/" + meter + "/traffic", null, alice), 200);

    assertThat(second.path("processId").asText()).isEqualTo(meter);
    assertThat(second.path("connections")).hasSize(1); // the made-up connection is not kept
    JsonNode c = second.path("connections").get(0);
    assertThat(c.path("connectionId").asText()).isEqualTo(connection);
    assertThat(c.path("state").asText()).isEqualTo("CONNECTED");
    assertThat(c.path("messagesOut").asLong()).isEqualTo(300);
    assertThat(c.path("dropped").asLong()).isEqualTo(2);
    assertThat(c.path("errors").asLong()).isEqualTo(1);
    double seconds = Duration.between(Instant.parse(first.path("reportedAt").asText()),
        Instant.parse(second.path("reportedAt").asText())).toNanos() / 1e9;
    assertThat(seconds).isPositive();
    assertThat(c.at("/rates/messagesOutPerSecond").asDouble()).isCloseTo(200 / seconds, within(200 / seconds));
    assertThat(c.at("/rates/bytesOutPerSecond").asDouble()).isCloseTo(40_000 / seconds, within(40_000 / seconds));
    assertThat(c.at("/rates/bytesInPerSecond").asDouble()).isCloseTo(1000 / seconds, within(1000 / seconds));
  }

  /** Rates are rounded to 3 decimals and the times to microseconds: a thousandth of the value, at least 0.002. */
  private static org.assertj.core.data.Offset<Double> within(double value) {
    return org.assertj.core.data.Offset.offset(Math.max(0.002, value / 1000));
  }

  @Test
  void eachUserSeesTheirOwnConnectionsTrafficAndAnAdminEveryonesOrOneUsers() throws Exception {
    assertThat(report(logger, tokenOf(logger), body(line(connection, 7, 0, 700, 0, 0, 0))).statusCode()).isEqualTo(204);
    assertThat(report(meter, tokenOf(meter), body(line(connection, 0, 7, 0, 700, 0, 0))).statusCode()).isEqualTo(204);

    JsonNode alices = ok(fixture.send("GET", "/traffic", null, alice), 200);
    assertThat(alices).hasSize(1);
    assertThat(alices.get(0).path("connectionId").asText()).isEqualTo(connection);
    assertThat(alices.get(0).path("userId").asText()).isEqualTo(aliceId);
    assertThat(alices.get(0).path("ends").findValuesAsText("processId")).containsExactlyInAnyOrder(meter, logger);
    assertThat(alices.get(0).path("ends").get(0).has("reportedAt")).isTrue();
    assertThat(alices.get(0).path("ends").get(0).has("rates")).isTrue();

    assertThat(ok(fixture.send("GET", "/traffic", null, bob), 200)).isEmpty();
    assertThat(ok(admin("GET", "/traffic", null), 200).findValuesAsText("connectionId")).containsExactly(connection);
    assertThat(ok(admin("GET", "/traffic?userId=" + bobId, null), 200)).isEmpty();
    assertThat(ok(admin("GET", "/traffic?userId=" + aliceId, null), 200)).hasSize(1);
    assertProblem(fixture.send("GET", "/traffic?userId=" + aliceId, null, bob), 403, "only an admin");
    assertProblem(fixture.send("GET", "/traffic?user=" + aliceId, null, alice), 400, "query parameter 'user' is not known");

    assertProblem(fixture.send("GET", "/process/" + meter + "/traffic", null, bob), 404, "does not exist");
    assertThat(ok(admin("GET", "/process/" + meter + "/traffic", null), 200).path("connections")).hasSize(1);
  }

  @Test
  void aProcessThatNeverReportedAnswersWithNoConnections() throws Exception {
    String quiet = newProcess(alice, TestImages.LOGGER);

    JsonNode traffic = ok(fixture.send("GET", "/process/" + quiet + "/traffic", null, alice), 200);

    assertThat(traffic.path("processId").asText()).isEqualTo(quiet);
    assertThat(traffic.path("reportedAt").isNull()).isTrue();
    assertThat(traffic.path("connections")).isEmpty();
  }

  @Test
  void aDeletedConnectionsTrafficGoesWithIt() throws Exception {
    String m = newProcess(alice, TestImages.METER);
    String l = newProcess(alice, TestImages.LOGGER);
    String c = ok(fixture.send("POST", "/connection", connectionBody(m, METER_IFACE, l, LOGGER_IFACE), alice), 201)
        .path("id").asText();
    assertThat(report(m, tokenOf(m), body(line(c, 0, 1, 0, 10, 0, 0))).statusCode()).isEqualTo(204);
    assertThat(ok(fixture.send("GET", "/traffic", null, alice), 200).findValuesAsText("connectionId")).contains(c);

    assertThat(fixture.send("DELETE", "/connection/" + c, null, alice).statusCode()).isIn(202, 204);
    fixture.awaitQuiet(m);

    assertThat(ok(fixture.send("GET", "/traffic", null, alice), 200).findValuesAsText("connectionId")).doesNotContain(c);
    assertThat(ok(fixture.send("GET", "/process/" + m + "/traffic", null, alice), 200).path("connections")).isEmpty();
    // and a report still naming it is not kept
    assertThat(report(m, tokenOf(m), body(line(c, 0, 2, 0, 20, 0, 0))).statusCode()).isEqualTo(204);
    assertThat(ok(fixture.send("GET", "/process/" + m + "/traffic", null, alice), 200).path("connections")).isEmpty();
  }
}
