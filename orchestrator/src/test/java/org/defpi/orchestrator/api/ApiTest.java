package org.defpi.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.defpi.orchestrator.api.ApiFixture.JSON;
import static org.defpi.orchestrator.api.ApiFixture.LOGGER_IFACE;
import static org.defpi.orchestrator.api.ApiFixture.METER_IFACE;
import static org.defpi.orchestrator.api.ApiFixture.PASSWORD;
import static org.defpi.orchestrator.api.ApiFixture.basic;
import static org.defpi.orchestrator.api.ApiFixture.connectionBody;
import static org.defpi.orchestrator.api.ApiFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.defpi.orchestrator.TestImages;
import org.defpi.orchestrator.pendingchange.PendingChange;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage;
import org.defpi.wire.protocol.ProcessProto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The real server on a free port ({@link ApiFixture}), over the real store (H2 in a temp dir;
 * PostgreSQL in {@link ApiPostgresTest}), the real registry (127.0.0.1:5000) and the real Swarm.
 * Only the processes' management ports are faked: the test's containers are shells that sleep, and
 * what the orchestrator tells them is checked on the fake. Actions run as pending changes on the
 * fixture's workers; {@code trigger} waits for the CONFIGURE it queued, so its effect is visible
 * when it returns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTest {
  private final ApiFixture fixture = new ApiFixture();

  @BeforeAll
  void start() throws Exception {
    TestImages.invalid(); // before the service catalog's first snapshot
    TestImages.upgradable();
    fixture.start(database());
  }

  /** The store's database: an H2 file here, PostgreSQL in {@link ApiPostgresTest}. */
  ApiFixture.Database database() {
    return ApiFixture.Database.H2;
  }

  @AfterAll
  void stop() throws Exception {
    fixture.close();
  }

  // ---- plumbing

  private HttpResponse<String> send(String method, String path, String body, String authorization, String token)
      throws Exception {
    return fixture.send(method, path, body, authorization, token == null ? Map.of() : Map.of("X-Auth-Token", token));
  }

  private HttpResponse<String> admin(String method, String path, String body) throws Exception {
    return send(method, path, body, basic("admin", PASSWORD), null);
  }

  /** The trigger call; when answered 204, also waits for the CONFIGURE it queued to be carried out. */
  private HttpResponse<String> trigger(String id, String token) throws Exception {
    HttpResponse<String> response = send("PUT", "/process/trigger/" + id, null, null, token);
    if (response.statusCode() == 204) {
      fixture.awaitQuiet(id);
    }
    return response;
  }

  /** Asserts an RFC 9457 problem with this status whose detail contains {@code detail}. */
  private static void assertProblem(HttpResponse<String> response, int status, String detail) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/problem+json"));
    JsonNode problem = json(response);
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("type").asText()).startsWith("urn:defpi:problem:");
    assertThat(problem.path("title").asText()).isNotBlank();
    assertThat(problem.path("detail").asText()).contains(detail);
  }

  private JsonNode createProcess(String body) throws Exception {
    HttpResponse<String> response = admin("POST", "/process", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonNode process = json(response);
    fixture.removeOnClose(process.path("id").asText());
    return process;
  }

  private String tokenOf(String processId) {
    return fixture.store().findProcess(processId).orElseThrow().token().value();
  }

  // ---- tests

  @Test
  void healthAndVersionNeedNoCredentials() throws Exception {
    HttpResponse<String> health = send("GET", "/health", null, null, null);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json(health).path("status").asText()).isEqualTo("UP");
    assertThat(json(send("GET", "/version", null, null, null)).path("version").asText()).isEqualTo("1.2.3");
  }

  @Test
  void theWebUiIsServedAtTheRootUnderTheContentSecurityPolicyItsAssetsCachedForAYear() throws Exception {
    HttpResponse<String> page = send("GET", "/", null, null, null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp).isEqualTo(Routes.CONTENT_SECURITY_POLICY).contains("script-src 'self';", "frame-ancestors 'none'");
    assertThat(csp.split(";")).filteredOn(d -> d.strip().startsWith("script-src") || d.strip().startsWith("default-src"))
        .noneMatch(d -> d.contains("unsafe-inline") || d.contains("unsafe-eval"));

    java.util.regex.Matcher assets = java.util.regex.Pattern.compile("(?:src|href)=\"(/assets/[^\"]+)\"").matcher(page.body());
    int served = 0;
    while (assets.find()) {
      HttpResponse<String> asset = send("GET", assets.group(1), null, null, null);
      assertThat(asset.statusCode()).as(assets.group(1)).isEqualTo(200);
      assertThat(asset.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
      assertThat(asset.headers().firstValue("Content-Security-Policy")).hasValue(Routes.CONTENT_SECURITY_POLICY);
      served++;
    }
    assertThat(served).as("the page's script and style sheet").isGreaterThanOrEqualTo(2);
    HttpResponse<String> missing = send("GET", "/assets/index-00000000.js", null, null, null);
    assertProblem(missing, 404, "the web UI has no asset 'index-00000000.js'");
    assertThat(missing.headers().firstValue("Cache-Control")).hasValue("no-store");
  }

  @Test
  void everyOtherRouteNeedsCredentials() throws Exception {
    HttpResponse<String> none = send("GET", "/process", null, null, null);
    assertProblem(none, 401, "needs a bearer token (POST /login) or HTTP Basic credentials");
    assertThat(none.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer").contains("Basic"));
    assertProblem(send("GET", "/service", null, basic("admin", "wrong"), null), 401, "wrong user name or password");
    assertProblem(send("POST", "/process", "{}", basic("root", PASSWORD), null), 401, "wrong user name or password");
    assertProblem(send("GET", "/connection", null, "Basic !!!not-base64", null), 401, "not valid HTTP Basic");
    assertProblem(send("DELETE", "/process/65a1b2c30000000000000001", null, "Bearer x", null), 401,
        "not a defpi token; log in again");
    assertProblem(send("DELETE", "/process/65a1b2c30000000000000001", null, "Bearer dpt_x", null), 401,
        "expired or was revoked");
    assertThat(admin("GET", "/process", null).statusCode()).isEqualTo(200);
  }

  @Test
  void credentialsAreReadAsSentEvenAfterOnesLikeThemOnTheSameConnection() throws Exception {
    // Jetty's header cache, unless Routes#app turns it off, matches a request's headers against the
    // earlier ones on its connection ignoring case and hands on the earlier spelling. A token that
    // starts like an earlier header but for case arrives changed and is refused: after the
    // "Bearer dpt_x" of everyOtherRouteNeedsCredentials, a token starting "dpt_X" (1 in 64) made
    // eachCallerKeepsTheirOwnPositions... fail with 401 on the client's kept-alive connection.
    String token = fixture.login("admin", PASSWORD);
    assertThat(statusesOnOneConnection("/user/me", "Bearer " + swapCase(token.substring(0, 12)), "Bearer " + token))
        .containsExactly(401, 200);
    // ... and a copy of a valid header with its case changed (other credentials) is taken for it.
    String valid = basic("admin", PASSWORD);
    assertThat(statusesOnOneConnection("/user/me", valid, "Basic " + swapCase(valid.substring(6))))
        .containsExactly(200, 401);
  }

  /**
   * GET {@code path} once per Authorization header, all on one connection (pipelined, the last
   * closing it): the statuses of the answers, in order.
   */
  private List<Integer> statusesOnOneConnection(String path, String... authorizations) throws Exception {
    StringBuilder requests = new StringBuilder();
    for (int i = 0; i < authorizations.length; i++) {
      requests.append("GET ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ")
          .append(authorizations[i]).append(i == authorizations.length - 1 ? "\r\nConnection: close" : "")
          .append("\r\n\r\n");
    }
    try (Socket socket = new Socket("127.0.0.1", fixture.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(requests.toString().getBytes(StandardCharsets.US_ASCII));
      String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      // a body ends without a line break, so the next answer's status line may follow it on its line
      return Pattern.compile("HTTP/1\\.1 (\\d{3}) ").matcher(answers).results()
          .map(m -> Integer.parseInt(m.group(1))).toList();
    }
  }

  private static String swapCase(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.chars().forEach(c -> b.append((char) (Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c))));
    return b.toString();
  }

  @Test
  void headIsRefusedEverywhereSoItCannotSlipPastTheAccessCheckOfItsGetRoute() throws Exception {
    // Javalin would answer HEAD for GET routes without their roles: an admin-only list, another user's process.
    for (String path : List.of("/health", "/user", "/process/65a1b2c30000000000000001")) {
      HttpResponse<String> head = send("HEAD", path, null, null, null);
      assertThat(head.statusCode()).as(path).isEqualTo(405);
      assertThat(head.headers().firstValue("Allow")).hasValue("GET");
    }
  }

  @Test
  void aTriggerWithoutTokenIs401WhetherTheProcessExistsOrNot() throws Exception {
    HttpResponse<String> unknown = trigger("65a1b2c30000000000000099", null);
    assertProblem(unknown, 401, "needs the process's token in X-Auth-Token");
    assertThat(unknown.headers().firstValue("WWW-Authenticate")).hasValue("X-Auth-Token realm=\"defpi-process\"");
  }

  @Test
  void theRouteTableAndTheOpenApiDocumentAgreeOnEveryRouteAndWhoMayCallIt() {
    Set<String> table = fixture.routes().table().stream()
        .map(r -> r.method().name() + " " + r.path() + " " + r.access().name().toLowerCase(java.util.Locale.ROOT))
        .collect(Collectors.toSet());
    Set<String> document = new OpenApi("1.2.3").operations().stream()
        .map(o -> o.method() + " " + o.path() + " " + o.access()).collect(Collectors.toSet());
    assertThat(document).containsExactlyInAnyOrderElementsOf(table);
  }

  @Test
  void everyListDeclaresInTheDocumentExactlyTheFiltersItTakes() throws Exception {
    JsonNode doc = JSON.readTree(new OpenApi("1.2.3").json());
    assertThat(Routes.LIST_FILTERS.keySet()).containsExactlyInAnyOrderElementsOf(
        fixture.routes().table().stream().filter(r -> r.method().name().equals("GET"))
            .filter(r -> doc.path("paths").path(r.path()).path("get").path("responses").path("200")
                .path("headers").has(Routes.TOTAL_COUNT))
            .map(Routes.Route::path).toList());
    for (var list : Routes.LIST_FILTERS.entrySet()) {
      Set<String> declared = new java.util.TreeSet<>();
      for (JsonNode p : doc.path("paths").path(list.getKey()).path("get").path("parameters")) {
        JsonNode param = p.has("$ref")
            ? doc.at(p.path("$ref").asText().substring(1)) : p;
        if (param.path("in").asText().equals("query")) {
          declared.add(param.path("name").asText());
        }
      }
      declared.removeAll(Set.of("offset", "limit", "sort"));
      assertThat(declared).as(list.getKey()).isEqualTo(new java.util.TreeSet<>(list.getValue()));
    }
  }

  @Test
  void aRunningProcessIsRenamedAndReconfiguredWithAnUpdate() throws Exception {
    String id = createProcess("{\"serviceId\": \"" + TestImages.METER + "\", \"name\": \"before\", "
        + "\"configuration\": {\"count\": 5}}").path("id").asText();
    assertThat(trigger(id, tokenOf(id)).statusCode()).isEqualTo(204);

    HttpResponse<String> renamed = admin("PUT", "/process/" + id, "{\"name\": \"after\"}");
    assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
    assertThat(json(renamed).path("name").asText()).isEqualTo("after");
    assertThat(fixture.processes().requestsTo(id, ProcessProto.SetConfigMessage.class)).hasSize(1); // no update sent

    HttpResponse<String> updated = admin("PUT", "/process/" + id, "{\"configuration\": {\"count\": \"7\"}}");
    assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    assertThat(json(updated).path("configuration").path("count").asText()).isEqualTo("7");
    assertThat(json(updated).path("state").asText()).isEqualTo("RUNNING");
    assertThat(fixture.processes().requestsTo(id, ProcessProto.SetConfigMessage.class)).last().isEqualTo(
        ProcessProto.SetConfigMessage.newBuilder().setProcessId(id).setIsUpdate(true).putConfig("count", "7").build());

    assertProblem(admin("PUT", "/process/" + id, "{\"configuration\": {\"count\": \"many\"}}"), 422, "count");
    assertThat(json(admin("GET", "/process/" + id, null)).path("configuration").path("count").asText()).isEqualTo("7");
    assertThat(admin("DELETE", "/process/" + id, null).statusCode()).isEqualTo(204);
  }

  @Test
  void anUpgradeSuspendsTheProcessKeepsItsStateAndResumesItInTheNewVersion() throws Exception {
    String id = createProcess("{\"serviceId\": \"" + TestImages.UPGRADABLE + "\", \"version\": \"0.1.0\", "
        + "\"configuration\": {\"count\": 5}}").path("id").asText();
    assertThat(trigger(id, tokenOf(id)).statusCode()).isEqualTo(204);
    String oldImage = fixture.store().findProcess(id).orElseThrow().image();

    assertProblem(admin("PUT", "/process/" + id, "{\"version\": \"9.9.9\"}"), 422, "9.9.9");
    HttpResponse<String> upgraded = admin("PUT", "/process/" + id, "{\"version\": \"" + TestImages.NEXT_VERSION + "\"}");
    assertThat(upgraded.statusCode()).as(upgraded.body()).isEqualTo(200);
    // The change is done when the new service exists: the process waits for its new container.
    assertThat(json(upgraded).path("version").asText()).isEqualTo(TestImages.NEXT_VERSION);
    assertThat(json(upgraded).path("state").asText()).isEqualTo("STARTING");
    assertThat(fixture.processes().requestsTo(id, ProcessProto.GoToProcessStateMessage.class)).containsExactly(
        ProcessProto.GoToProcessStateMessage.newBuilder().setProcessId(id)
            .setTargetState(ProcessProto.ProcessState.SUSPENDED).build());
    String newImage = fixture.store().findProcess(id).orElseThrow().image();
    assertThat(newImage).isNotEqualTo(oldImage).contains("@" + TestImages.upgradable());
    assertThat(fixture.swarm().serviceImage(id)).contains(newImage);
    assertThat(fixture.store().savedStates().find(id)).hasValueSatisfying(s -> {
      assertThat(new String(s.data(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("state of " + id);
      assertThat(s.serviceVersion()).isEqualTo("0.1.0");
    });

    // The new container calls: configured afresh, then handed the state it saved, and RUNNING.
    assertThat(trigger(id, tokenOf(id)).statusCode()).isEqualTo(204);
    assertThat(fixture.processes().requestsTo(id, ProcessProto.SetConfigMessage.class)).last().isEqualTo(
        ProcessProto.SetConfigMessage.newBuilder().setProcessId(id).setIsUpdate(false).putConfig("count", "5").build());
    assertThat(fixture.processes().requestsTo(id, ProcessProto.ResumeProcessMessage.class)).containsExactly(
        ProcessProto.ResumeProcessMessage.newBuilder().setProcessId(id)
            .setStateData(com.google.protobuf.ByteString.copyFromUtf8("state of " + id)).build());
    assertThat(json(admin("GET", "/process/" + id, null)).path("state").asText()).isEqualTo("RUNNING");
    assertThat(fixture.store().savedStates().find(id)).as("resumed: no longer kept").isEmpty();

    // Back to the first version the same way (a downgrade is an upgrade too).
    assertThat(admin("PUT", "/process/" + id, "{\"version\": \"0.1.0\"}").statusCode()).isEqualTo(200);
    assertThat(fixture.store().findProcess(id).orElseThrow().image()).isEqualTo(oldImage);
    assertThat(admin("DELETE", "/process/" + id, null).statusCode()).isEqualTo(204);
  }

  @Test
  void aProcessThatWillNotSuspendRunsOnWhereItIsAndTheUpgradeFailsWithItsReason() throws Exception {
    String id = createProcess("{\"serviceId\": \"" + TestImages.UPGRADABLE + "\", \"version\": \"0.1.0\"}")
        .path("id").asText();
    assertThat(trigger(id, tokenOf(id)).statusCode()).isEqualTo(204);
    String image = fixture.store().findProcess(id).orElseThrow().image();
    fixture.processes().refusing.add(id);
    try {
      admin("PUT", "/process/" + id, "{\"version\": \"" + TestImages.NEXT_VERSION + "\"}");
      fixture.awaitQuiet(id);
      JsonNode changes = json(admin("GET", "/pendingchange?processId=" + id + "&kind=UPGRADE_PROCESS", null));
      assertThat(changes).hasSize(1);
      assertThat(changes.get(0).path("state").asText()).isEqualTo("FAILED");
      assertThat(changes.get(0).path("lastError").asText()).contains("did not suspend", "refused by test");
      // It runs on where it was: the Swarm service was not touched.
      assertThat(json(admin("GET", "/process/" + id, null)).path("state").asText()).isEqualTo("RUNNING");
      assertThat(fixture.swarm().serviceImage(id)).contains(image);
    } finally {
      fixture.processes().refusing.remove(id);
    }
    assertThat(admin("DELETE", "/process/" + id, null).statusCode()).isEqualTo(204);
  }

  @Test
  void anAdminSeesHowTheRegistryReadsWentAndTheQueue() throws Exception {
    admin("GET", "/service", null); // the first snapshot is in
    JsonNode status = json(admin("GET", "/status", null));
    assertThat(status.path("version").asText()).isEqualTo("1.2.3");
    assertThat(status.path("registry").path("loadedAt").asText()).isNotEmpty();
    assertThat(status.path("registry").path("services").asInt()).isPositive();
    assertThat(status.path("registry").has("lastError")).isFalse();
    assertThat(status.path("pendingChanges").fieldNames()).toIterable()
        .contains("PENDING", "RUNNING", "DONE", "FAILED", "CANCELLED");
  }

  @Test
  void theReconcilerGivesALostServiceBackAndRemovesAServiceWithoutProcess() throws Exception {
    String id = createProcess("{\"serviceId\": \"" + TestImages.METER + "\", \"name\": \"reconciled\"}")
        .path("id").asText();
    assertThat(fixture.swarm().managedServices()).contains(id);
    fixture.swarm().removeService(id); // behind the orchestrator's back
    String orphan = "65a1b2c300000000000000ab";
    fixture.removeOnClose(orphan);
    fixture.swarm().createService(new org.defpi.orchestrator.process.Swarm.ProcessService(orphan, fixture.adminId(),
        fixture.store().findProcess(id).orElseThrow().image(), Map.of()));

    assertThat(fixture.processManager().reconcile()).extracting(a -> a.kind() + " " + a.processId())
        .containsExactlyInAnyOrder("CREATE_PROCESS " + id, "TERMINATE_PROCESS " + orphan);
    fixture.awaitQuiet(id);
    fixture.awaitQuiet(orphan);
    assertThat(fixture.swarm().managedServices()).contains(id).doesNotContain(orphan);
    assertThat(fixture.processManager().reconcile()).isEmpty();
    assertThat(admin("DELETE", "/process/" + id, null).statusCode()).isEqualTo(204);
  }

  @Test
  void aUsersNetworkIsMadeWithTheirFirstProcessAndGoesWithThem() throws Exception {
    String userId = json(admin("POST", "/user", "{\"name\": \"netuser\", \"password\": \"net-password\"}"))
        .path("id").asText();
    assertThat(fixture.swarm().userNetworks()).doesNotContain(userId);
    HttpResponse<String> created = send("POST", "/process", "{\"serviceId\": \"" + TestImages.METER + "\", \"name\": \"n\"}",
        basic("netuser", "net-password"), null);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = json(created).path("id").asText();
    fixture.removeOnClose(id);
    assertThat(fixture.swarm().userNetworks()).contains(userId);

    assertThat(admin("DELETE", "/process/" + id, null).statusCode()).isEqualTo(204);
    assertThat(fixture.swarm().userNetworks()).as("a user without processes keeps their network").contains(userId);
    assertThat(admin("DELETE", "/user/" + userId, null).statusCode()).isEqualTo(204);
    assertThat(fixture.swarm().userNetworks()).as("deleting the user removes it").doesNotContain(userId);
  }

  @Test
  void theReconcilerRemovesTheNetworkOfAUserWhoNoLongerExists() throws Exception {
    String nobody = "65a1b2c300000000000000ff";
    fixture.swarm().ensureUserNetwork(nobody); // as if the user was deleted while the orchestrator was down
    assertThat(fixture.swarm().userNetworks()).contains(nobody);
    fixture.processManager().reconcile();
    assertThat(fixture.swarm().userNetworks()).doesNotContain(nobody);
  }

  @Test
  void aMalformedBodyIs400WithTheReason() throws Exception {
    assertProblem(admin("POST", "/process", "{\"serviceId\": "), 400, "not valid JSON");
    assertProblem(admin("POST", "/process", ""), 400, "the request body is empty");
    assertProblem(admin("POST", "/process", "[1]"), 400, "must be a JSON object, not an array");
    assertProblem(admin("POST", "/process", "{\"serviceId\": 5}"), 400, "field 'serviceId' must be a string, not a number");
    assertProblem(admin("POST", "/process", "{\"name\": \"x\"}"), 400, "field 'serviceId' is required");
    assertProblem(admin("POST", "/process", "{\"serviceId\": \"x\", \"servce\": 1}"), 400, "unknown field 'servce'");
    assertProblem(admin("POST", "/process", "{\"serviceId\": \"x\", \"configuration\": [\"a\"]}"), 400,
        "field 'configuration' must be an object of strings, not an array");
    assertProblem(admin("POST", "/process", "{\"serviceId\": \"x\", \"configuration\": {\"count\": {}}}"), 400,
        "field 'configuration.count' must be a string, not an object");
    assertProblem(admin("POST", "/connection", "{\"endpoint1\": {\"processId\": \"a\", \"interfaceId\": \"b\"}}"), 400,
        "field 'endpoint2' is required");
    assertProblem(admin("POST", "/connection",
        "{\"endpoint1\": {\"processId\": \"a\"}, \"endpoint2\": {\"processId\": \"a\", \"interfaceId\": \"b\"}}"), 400,
        "field 'endpoint1.interfaceId' is required");
    assertProblem(admin("GET", "/process/65a1b2c30000000000000001/log?tail=all", null), 400,
        "query parameter 'tail' must be a whole number");
    assertProblem(admin("GET", "/process/65a1b2c30000000000000001/log?follow=maybe", null), 400,
        "query parameter 'follow' must be true or false");
  }

  @Test
  void aFollowedLogSendsTheLastLinesAndThenWhatComesUntilTheReaderLeaves() throws Exception {
    String id = createProcess("{\"serviceId\": \"" + TestImages.METER + "\", \"name\": \"followed\"}").path("id").asText();
    assertProblem(admin("GET", "/process/65a1b2c30000000000000001/log?follow=true", null), 404, "does not exist");
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + fixture.port() + "/process/" + id + "/log?follow=true&tail=10"))
        .header("Authorization", basic("admin", PASSWORD)).GET().build();
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
      HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
      // The sleeper writes its two lines once its container starts, which may be after the request;
      // stdout and stderr are two streams, so the stderr line may come first: read until both came.
      StringBuilder seen = new StringBuilder();
      try (java.io.InputStream body = response.body()) {
        byte[] buffer = new byte[4096];
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (!seen.toString().contains("to stderr") || !seen.toString().contains("started " + id)) {
          assertThat(System.nanoTime()).as("both lines within 30 s: " + seen).isLessThan(deadline);
          int n = body.read(buffer);
          assertThat(n).as("the stream stays open: " + seen).isPositive();
          seen.append(new String(buffer, 0, n, java.nio.charset.StandardCharsets.UTF_8));
        }
      }
      assertThat(seen.toString()).contains("started " + id);
    }
    // The reader left; the orchestrator still answers, and the process goes as usual.
    assertThat(admin("DELETE", "/process/" + id, null).statusCode()).isEqualTo(204);
  }

  @Test
  void unknownIdsAre404() throws Exception {
    assertProblem(admin("GET", "/process/65a1b2c30000000000000001", null), 404, "process '65a1b2c30000000000000001' does not exist");
    assertProblem(admin("DELETE", "/process/65a1b2c30000000000000001", null), 404, "does not exist");
    assertProblem(admin("GET", "/process/65a1b2c30000000000000001/log", null), 404, "does not exist");
    assertProblem(admin("GET", "/connection/nope", null), 404, "connection 'nope' does not exist");
    assertProblem(admin("DELETE", "/connection/nope", null), 404, "connection 'nope' does not exist");
    assertProblem(admin("GET", "/service/defpi-test-no-such-service", null), 404, "has no image in the registry");
    assertProblem(trigger("65a1b2c30000000000000001", "x"), 404, "does not exist");
    assertProblem(admin("GET", "/no/such/route", null), 404, "no route GET /no/such/route");
  }

  @Test
  void aRequestTheRegistryCannotSatisfyIs422() throws Exception {
    assertProblem(admin("POST", "/process", "{\"serviceId\": \"defpi-test-no-such-service\"}"), 422,
        "service 'defpi-test-no-such-service' has no image in the registry");
    assertProblem(admin("POST", "/process", "{\"serviceId\": \"" + TestImages.METER + "\", \"version\": \"9.9\"}"), 422,
        "has no version '9.9'; it has [0.1.0, latest]");
    assertProblem(admin("POST", "/process", "{\"serviceId\": \"" + TestImages.METER + "\", \"configuration\": {\"cuont\": 3}}"),
        422, "unknown key 'cuont' (parameters: [count])");
    assertProblem(admin("POST", "/process", "{\"serviceId\": \"" + TestImages.METER + "\", \"configuration\": {\"count\": \"x\"}}"),
        422, "parameter 'count' is 'x', not a integer");
    assertProblem(admin("POST", "/process", "{\"serviceId\": \"" + TestImages.INVALID + "\"}"), 422,
        "cannot be run: label org.flexiblepower.serviceName is missing");
  }

  @Test
  void servicesAreListedFromTheRegistryLabelsAndInvalidImagesSayWhy() throws Exception {
    HttpResponse<String> response = admin("GET", "/service", null);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode meter = null;
    JsonNode invalid = null;
    for (JsonNode s : json(response)) {
      if (s.path("id").asText().equals(TestImages.METER)) {
        meter = s;
      } else if (s.path("id").asText().equals(TestImages.INVALID)) {
        invalid = s;
      }
    }
    assertThat(meter).isNotNull();
    assertThat(meter.path("name").asText()).isEqualTo("Test Meter");
    assertThat(meter.path("version").asText()).isEqualTo("0.1.0");
    assertThat(meter.path("interfaces").get(0).path("id").asText()).isEqualTo(METER_IFACE);
    assertThat(meter.path("interfaces").get(0).path("interfaceVersions").get(0).path("sendsHash").asText())
        .isEqualTo(TestImages.HASH_A);
    assertThat(meter.path("parameters").get(0).path("id").asText()).isEqualTo("count");
    assertThat(meter.path("parameters").get(0).path("default").asText()).isEqualTo("10");
    assertThat(invalid).isNotNull();
    assertThat(invalid.path("versions").get(0).path("valid").asBoolean()).isFalse();
    assertThat(invalid.path("versions").get(0).path("reason").asText()).isEqualTo("label org.flexiblepower.serviceName is missing");

    JsonNode one = json(admin("GET", "/service/" + TestImages.METER, null));
    assertThat(one.path("versions")).extracting(v -> v.path("version").asText()).containsExactly("0.1.0", "latest");
  }

  @Test
  void aProcessIsStartedTriggeredConfiguredConnectedAndRemoved() throws Exception {
    // Created: stored with its token, then its Swarm service.
    JsonNode meter = createProcess("{\"serviceId\": \"" + TestImages.METER + "\", \"name\": \"meter-1\", "
        + "\"configuration\": {\"count\": 5}}");
    String meterId = meter.path("id").asText();
    assertThat(meterId).matches("[0-9a-f]{24}");
    assertThat(meter.path("state").asText()).isEqualTo("STARTING");
    assertThat(meter.path("version").asText()).isEqualTo("0.1.0");
    assertThat(meter.path("name").asText()).isEqualTo("meter-1");
    assertThat(meter.path("userId").asText()).isEqualTo(fixture.adminId());
    assertThat(meter.path("configuration").path("count").asText()).isEqualTo("5");
    assertThat(meter.has("token")).isFalse();
    // the interfaces of the version it runs: what a connection (and the web UI's ports) can use
    assertThat(meter.path("interfaces").findValuesAsText("id")).containsExactly(METER_IFACE);
    assertThat(meter.path("interfaces").get(0).path("interfaceVersions").get(0).path("sendsHash").asText())
        .matches("[0-9a-f]{64}");
    assertThat(fixture.swarm().managedServices()).contains(meterId);

    // The trigger is refused without the right token...
    assertProblem(trigger(meterId, null), 401, "needs the process's token in X-Auth-Token");
    assertProblem(trigger(meterId, "wrong"), 403, "X-Auth-Token does not match");
    assertThat(fixture.processes().requestsTo(meterId, ProcessProto.SetConfigMessage.class)).isEmpty();

    // ...and with it answered 204, then the process is configured and RUNNING.
    HttpResponse<String> triggered = trigger(meterId, tokenOf(meterId));
    assertThat(triggered.statusCode()).isEqualTo(204);
    assertThat(fixture.processes().requestsTo(meterId, ProcessProto.SetConfigMessage.class)).containsExactly(
        ProcessProto.SetConfigMessage.newBuilder().setProcessId(meterId).setIsUpdate(false).putConfig("count", "5").build());
    assertThat(json(admin("GET", "/process/" + meterId, null)).path("state").asText()).isEqualTo("RUNNING");

    JsonNode logger = createProcess("{\"serviceId\": \"" + TestImages.LOGGER + "\", \"version\": \"0.1.0\"}");
    String loggerId = logger.path("id").asText();
    assertThat(logger.path("name").asText()).isEqualTo(TestImages.LOGGER);
    assertThat(trigger(loggerId, tokenOf(loggerId)).statusCode()).isEqualTo(204);
    assertThat(admin("GET", "/process", null).body()).contains(meterId, loggerId);

    // Connections that cannot be are refused with the reason.
    assertProblem(admin("POST", "/connection", connectionBody(meterId, METER_IFACE, loggerId, TestImages.LOGGER + "/other")),
        422, "interface " + METER_IFACE + " v1 sends hash " + TestImages.HASH_A + " but " + TestImages.LOGGER
            + "/other v1 receives " + "c3".repeat(32));
    assertProblem(admin("POST", "/connection", connectionBody(meterId, METER_IFACE, meterId, METER_IFACE)), 422,
        "cannot be connected to itself");
    assertProblem(admin("POST", "/connection", connectionBody(meterId, "nope/x", loggerId, LOGGER_IFACE)), 422,
        "has no interface 'nope/x'");
    assertProblem(admin("POST", "/connection", connectionBody("65a1b2c30000000000000009", METER_IFACE, loggerId, LOGGER_IFACE)),
        422, "process '65a1b2c30000000000000009' does not exist");

    // A connection: both ends told, same port, the larger id is the client.
    fixture.processes().clear();
    HttpResponse<String> response = admin("POST", "/connection", connectionBody(meterId, METER_IFACE, loggerId, LOGGER_IFACE));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonNode connection = json(response);
    String connectionId = connection.path("id").asText();
    int port = connection.path("endpoint1").path("listenPort").asInt();
    assertThat(port).isBetween(5000, 9999);
    assertThat(connection.path("endpoint2").path("listenPort").asInt()).isEqualTo(port);
    assertThat(connection.path("endpoint1").path("processId").asText()).isEqualTo(meterId);
    assertThat(connection.path("endpoint2").path("interfaceId").asText()).isEqualTo(LOGGER_IFACE);
    assertThat(connection.path("interfaceVersions").path("endpoint1").asText()).isEqualTo("v1");
    assertThat(connection.path("state").asText()).isEqualTo("ACTIVE");
    assertThat(connection.path("userId").asText()).as("its processes' user").isEqualTo(fixture.adminId());
    ConnectionMessage toMeter = fixture.processes().requestsTo(meterId, ConnectionMessage.class).getFirst();
    ConnectionMessage toLogger = fixture.processes().requestsTo(loggerId, ConnectionMessage.class).getFirst();
    assertThat(connection.path("userId").asText()).as("its processes' user").isEqualTo(fixture.adminId());
    assertThat(toMeter.getListenPort()).isEqualTo(port);
    assertThat(toLogger.getListenPort()).isEqualTo(port);
    boolean meterIsClient = meterId.compareTo(loggerId) > 0;
    assertThat(toMeter.getTargetAddress()).isEqualTo(meterIsClient ? loggerId : "");
    assertThat(toLogger.getTargetAddress()).isEqualTo(meterIsClient ? "" : meterId);
    assertThat(toMeter.getSendHash()).isEqualTo(TestImages.HASH_A);
    assertThat(toMeter.getReceiveHash()).isEqualTo(TestImages.HASH_B);
    assertThat(toLogger.getRemoteProcessId()).isEqualTo(meterId);
    assertThat(toLogger.getRemoteServiceId()).isEqualTo(TestImages.METER);
    assertThat(toLogger.getRemoteProcessName()).isEqualTo("meter-1");
    assertThat(toLogger.getRemoteInterfaceId()).isEqualTo(METER_IFACE);
    // told by a pending change of the connection, done before the answer
    assertThat(json(admin("GET", "/pendingchange?connectionId=" + connectionId, null))).singleElement().satisfies(c -> {
      assertThat(c.path("kind").asText()).isEqualTo("CREATE_CONNECTION");
      assertThat(c.path("state").asText()).isEqualTo("DONE");
      assertThat(c.path("userId").asText()).isEqualTo(fixture.adminId());
    });

    assertProblem(admin("POST", "/connection", connectionBody(loggerId, LOGGER_IFACE, meterId, METER_IFACE)), 409,
        "connection " + connectionId + " already connects");
    assertThat(json(admin("GET", "/connection/" + connectionId, null)).path("id").asText()).isEqualTo(connectionId);
    assertThat(admin("GET", "/connection", null).body()).contains(connectionId);
    assertThat(json(admin("GET", "/connection?userId=" + fixture.adminId(), null)).findValuesAsText("id"))
        .contains(connectionId);
    assertThat(json(admin("GET", "/connection?userId=" + fixture.adminId(), null)).findValuesAsText("userId"))
        .containsOnly(fixture.adminId());
    assertThat(json(admin("GET", "/connection?userId=65a1b2c300000000000000ff", null))).isEmpty();

    // A restarted container calls the trigger again and gets its configuration and connection back.
    assertThat(json(admin("GET", "/connection?userId=" + fixture.adminId(), null)).findValuesAsText("id"))
        .contains(connectionId);
    assertThat(json(admin("GET", "/connection?userId=" + fixture.adminId(), null)).findValuesAsText("userId"))
        .containsOnly(fixture.adminId());
    assertThat(json(admin("GET", "/connection?userId=65a1b2c300000000000000ff", null))).isEmpty();
    fixture.processes().clear();
    assertThat(trigger(loggerId, tokenOf(loggerId)).statusCode()).isEqualTo(204);
    assertThat(fixture.processes().requestsTo(loggerId, ProcessProto.SetConfigMessage.class)).hasSize(1);
    assertThat(fixture.processes().requestsTo(loggerId, ConnectionMessage.class)).singleElement()
        .satisfies(m -> assertThat(m.getConnectionId()).isEqualTo(connectionId))
        .satisfies(m -> assertThat(m.getMode()).isEqualTo(ConnectionMessage.ModeType.CREATE));
    assertThat(fixture.processes().requestsTo(meterId, ConnectionMessage.class)).isEmpty();

    // The container's output.
    String logs = "";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!logs.contains("started " + meterId) && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(200); // the container starts a second or so after its service
      HttpResponse<String> log = admin("GET", "/process/" + meterId + "/log?tail=5", null);
      assertThat(log.statusCode()).isEqualTo(200);
      assertThat(log.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
      logs = log.body();
    }
    assertThat(logs).contains("started " + meterId);

    // Deleting a connection tells both ends.
    fixture.processes().clear();
    assertThat(admin("DELETE", "/connection/" + connectionId, null).statusCode()).isEqualTo(204);
    assertThat(fixture.processes().requestsTo(meterId, ConnectionMessage.class)).singleElement()
        .satisfies(m -> assertThat(m.getMode()).isEqualTo(ConnectionMessage.ModeType.TERMINATE));
    assertThat(fixture.processes().requestsTo(loggerId, ConnectionMessage.class)).singleElement()
        .satisfies(m -> assertThat(m.getMode()).isEqualTo(ConnectionMessage.ModeType.TERMINATE));
    assertProblem(admin("GET", "/connection/" + connectionId, null), 404, "does not exist");
    assertThat(json(admin("GET", "/pendingchange?connectionId=" + connectionId + "&kind=DELETE_CONNECTION", null)))
        .singleElement().satisfies(c -> assertThat(c.path("state").asText()).isEqualTo("DONE"));

    // Deleting a process: TERMINATE on the other end, TERMINATED asked, service and record gone.
    String again = json(admin("POST", "/connection", connectionBody(meterId, METER_IFACE, loggerId, LOGGER_IFACE))).path("id").asText();
    fixture.processes().clear();
    assertThat(admin("DELETE", "/process/" + meterId, null).statusCode()).isEqualTo(204);
    assertThat(fixture.processes().requestsTo(loggerId, ConnectionMessage.class)).singleElement()
        .satisfies(m -> assertThat(m.getConnectionId()).isEqualTo(again))
        .satisfies(m -> assertThat(m.getMode()).isEqualTo(ConnectionMessage.ModeType.TERMINATE));
    assertThat(fixture.processes().requestsTo(meterId, ProcessProto.GoToProcessStateMessage.class)).singleElement()
        .satisfies(m -> assertThat(m.getTargetState()).isEqualTo(ProcessProto.ProcessState.TERMINATED));
    assertThat(fixture.processes().forgotten()).containsExactly(meterId);
    assertThat(fixture.swarm().managedServices()).doesNotContain(meterId);
    assertThat(fixture.swarm().containersOf(meterId)).isEmpty();
    assertProblem(admin("GET", "/process/" + meterId, null), 404, "does not exist");
    assertProblem(admin("GET", "/connection/" + again, null), 404, "does not exist");

    assertThat(admin("DELETE", "/process/" + loggerId, null).statusCode()).isEqualTo(204);
    assertThat(fixture.swarm().managedServices()).doesNotContain(loggerId);
  }

  @Test
  void aProcessThatRefusesItsConfigurationIsFailedWithTheReason() throws Exception {
    String id = createProcess("{\"serviceId\": \"" + TestImages.METER + "\"}").path("id").asText();
    fixture.processes().refusing.add(id);
    try {
      assertThat(trigger(id, tokenOf(id)).statusCode()).isEqualTo(204);
      JsonNode process = json(admin("GET", "/process/" + id, null));
      assertThat(process.path("state").asText()).isEqualTo("FAILED");
      assertThat(process.path("reason").asText()).isEqualTo("the process refused its configuration: refused by test");
    } finally {
      fixture.processes().refusing.remove(id);
    }
    // A FAILED process is removed without asking it anything.
    fixture.processes().clear();
    assertThat(admin("DELETE", "/process/" + id, null).statusCode()).isEqualTo(204);
    assertThat(fixture.processes().requestsTo(id, ProcessProto.GoToProcessStateMessage.class)).isEmpty();
    assertThat(fixture.swarm().managedServices()).doesNotContain(id);
  }

  @Test
  void thisMachinesNodeIsMovedBetweenPoolsMadePrivateAndUnidentifiedAndTheEmptiedPoolDeleted() throws Exception {
    try {
      movingTheNode();
    } finally {
      fixture.makePublic(); // as the fixture had it, for the other tests' processes
    }
  }

  private void movingTheNode() throws Exception {
    // The single-node Swarm of scripts/env.sh, synced on the first read; the fixture made it public.
    JsonNode all = json(admin("GET", "/node", null));
    assertThat(all).hasSize(1);
    JsonNode node = all.get(0);
    String nodeId = node.path("id").asText();
    assertThat(nodeId).isEqualTo(fixture.nodeId());
    assertThat(node.path("kind").asText()).isEqualTo("public");
    assertThat(node.path("poolId").asText()).isEqualTo(fixture.poolId());
    assertThat(node.path("architecture").asText()).isEqualTo("amd64");
    assertThat(node.path("status").asText()).isEqualTo("READY");
    assertThat(node.path("hostname").asText()).isNotEmpty();
    assertThat(node.path("cpus").asDouble()).isPositive();
    assertThat(node.path("memoryMb").asLong()).isPositive();
    assertThat(json(admin("GET", "/node?kind=unidentified", null))).isEmpty();
    assertThat(json(admin("GET", "/node?kind=public", null))).hasSize(1);
    assertProblem(admin("GET", "/node?kind=shared", null), 400, "query parameter 'kind' must be unidentified, public or private");
    assertProblem(admin("GET", "/node/no-such-node", null), 404, "node 'no-such-node' does not exist");

    // A pool; names are unique.
    HttpResponse<String> created = admin("POST", "/nodepool", "{\"name\": \"lab\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String poolId = json(created).path("id").asText();
    assertProblem(admin("POST", "/nodepool", "{\"name\": \"lab\"}"), 409, "a node pool named 'lab' exists already");
    assertProblem(admin("POST", "/nodepool", "{}"), 400, "field 'name' is required");
    assertThat(json(admin("GET", "/nodepool/" + poolId, null)).path("name").asText()).isEqualTo("lab");

    // Refused assignments say why.
    assertProblem(admin("PUT", "/node/" + nodeId, "{\"kind\": \"public\", \"poolId\": \"nope\"}"), 422,
        "node pool 'nope' does not exist");
    assertProblem(admin("PUT", "/node/" + nodeId, "{\"kind\": \"public\"}"), 422, "a public node needs a poolId");
    assertProblem(admin("PUT", "/node/" + nodeId, "{\"kind\": \"private\"}"), 422, "a private node needs a userId");
    assertProblem(admin("PUT", "/node/" + nodeId, "{\"kind\": \"shared\"}"), 400, "field 'kind' must be");
    assertProblem(admin("PUT", "/node/no-such-node", "{\"kind\": \"unidentified\"}"), 404, "does not exist");

    // Public in the pool: the pool cannot go while the node is in it.
    HttpResponse<String> assigned = admin("PUT", "/node/" + nodeId, "{\"kind\": \"public\", \"poolId\": \"" + poolId + "\"}");
    assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(200);
    assertThat(json(assigned).path("kind").asText()).isEqualTo("public");
    assertThat(json(assigned).path("poolId").asText()).isEqualTo(poolId);
    JsonNode again = json(admin("GET", "/node/" + nodeId, null));
    assertThat(again.path("kind").asText()).isEqualTo("public");
    assertThat(again.path("status").asText()).isEqualTo("READY");
    assertThat(json(admin("GET", "/node?kind=public", null))).hasSize(1);
    assertThat(nodeLabels(nodeId)).isEqualTo(Map.of("kind", "public", "pool", poolId));
    // Labels that went missing (a write that failed, a hand at the console) are put back by the next sync.
    fixture.swarm().labelNode(nodeId, Map.of());
    json(admin("GET", "/node/" + nodeId, null));
    assertThat(nodeLabels(nodeId)).isEqualTo(Map.of("kind", "public", "pool", poolId));
    assertProblem(admin("DELETE", "/nodepool/" + poolId, null), 409, "pool lab still has nodes " + node.path("hostname").asText());

    // Renamed; private for a user; unidentified again.
    HttpResponse<String> renamed = admin("PUT", "/nodepool/" + poolId, "{\"name\": \"lab-2\"}");
    assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
    assertThat(json(admin("GET", "/nodepool", null)).findValuesAsText("name")).contains("lab-2").doesNotContain("lab");
    JsonNode mine = json(admin("PUT", "/node/" + nodeId,
        "{\"kind\": \"private\", \"userId\": \"" + fixture.adminId() + "\"}"));
    assertThat(mine.path("userId").asText()).isEqualTo(fixture.adminId());
    assertThat(mine.has("poolId")).isFalse();
    assertThat(nodeLabels(nodeId)).isEqualTo(Map.of("kind", "private", "user", fixture.adminId()));
    JsonNode none = json(admin("PUT", "/node/" + nodeId, "{\"kind\": \"unidentified\"}"));
    assertThat(none.path("kind").asText()).isEqualTo("unidentified");
    assertThat(none.has("userId")).isFalse();
    assertThat(nodeLabels(nodeId)).isEmpty();

    // Empty now: deleted.
    assertThat(admin("DELETE", "/nodepool/" + poolId, null).statusCode()).isEqualTo(204);
    assertProblem(admin("GET", "/nodepool/" + poolId, null), 404, "does not exist");
    assertProblem(admin("DELETE", "/nodepool/" + poolId, null), 404, "does not exist");
  }

  /** The fixture's placement labels on the Swarm's node, as the Swarm has them. */
  private Map<String, String> nodeLabels(String nodeId) throws Exception {
    return fixture.swarm().nodes().stream().filter(n -> n.id().equals(nodeId)).findFirst().orElseThrow().labels();
  }

  // ---- canvas layout

  /** A process of {@code userId}'s in the store alone (FAILED: the reconciler leaves it be; no Swarm service). */
  private String storedProcess(String userId) {
    String id = String.format("65a1b2c3%016x", java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 1);
    org.defpi.orchestrator.process.Process p = org.defpi.orchestrator.TestData.process(id,
        org.defpi.orchestrator.process.ProcessState.FAILED, org.defpi.orchestrator.TestData.meterInterface(true));
    fixture.store().insert(new org.defpi.orchestrator.process.Process(p.id(), p.serviceId(), p.name(), p.version(),
        userId, p.state(), Optional.of("a test's"), p.configuration(), p.createdAt(), p.image(), p.interfaces(),
        p.token(), p.placement(), p.architectures(), p.runsOn()));
    return id;
  }

  private static String positions(Object... idXY) {
    StringBuilder b = new StringBuilder("{\"positions\": [");
    for (int i = 0; i < idXY.length; i += 3) {
      b.append(i == 0 ? "" : ", ").append("{\"processId\": \"").append(idXY[i]).append("\", \"x\": ")
          .append(idXY[i + 1]).append(", \"y\": ").append(idXY[i + 2]).append("}");
    }
    return b.append("]}").toString();
  }

  /** The layout's positions as "processId x y", in the order given. */
  private static List<String> placed(HttpResponse<String> layout) throws Exception {
    assertThat(layout.statusCode()).as(layout.body()).isEqualTo(200);
    List<String> out = new java.util.ArrayList<>();
    json(layout).path("positions").forEach(p -> out.add(p.path("processId").asText() + " " + p.path("x").asDouble()
        + " " + p.path("y").asDouble()));
    return out;
  }

  @Test
  void eachCallerKeepsTheirOwnPositionsOfTheProcessesTheyCanSeeAllOrNothing() throws Exception {
    String aliceId = json(admin("POST", "/user", "{\"name\": \"layout-alice\", \"password\": \"alice-password\"}"))
        .path("id").asText();
    String alice = "Bearer " + fixture.login("layout-alice", "alice-password");
    String a1 = storedProcess(aliceId);
    String a2 = storedProcess(aliceId);
    String mine = storedProcess(fixture.adminId());
    try {
      assertThat(placed(send("GET", "/user/me/layout", null, alice, null))).isEmpty();
      assertThat(send("PUT", "/user/me/layout", positions(a1, 10, 20.5, a2, -30, 40), alice, null).statusCode())
          .isEqualTo(204);
      assertThat(placed(send("GET", "/user/me/layout", null, alice, null)))
          .containsExactlyInAnyOrder(a1 + " 10.0 20.5", a2 + " -30.0 40.0");

      // one process she cannot see: refused by name, and nothing of the request kept
      assertProblem(send("PUT", "/user/me/layout", positions(a1, 1, 1, mine, 2, 2), alice, null), 404, mine);
      assertProblem(send("PUT", "/user/me/layout", positions(a1, 1, 1, "65a1b2c300000000000000ff", 2, 2), alice, null),
          404, "65a1b2c300000000000000ff");
      assertThat(placed(send("GET", "/user/me/layout", null, alice, null))).contains(a1 + " 10.0 20.5");

      // the admin places her process and their own: positions of their own, hers unchanged; the others kept
      assertThat(admin("PUT", "/user/me/layout", positions(a1, 100, 200, mine, 0, -1e6)).statusCode()).isEqualTo(204);
      assertThat(admin("PUT", "/user/me/layout", positions(mine, 5, 6)).statusCode()).isEqualTo(204);
      assertThat(placed(admin("GET", "/user/me/layout?userId=" + aliceId, null))).containsExactly(a1 + " 100.0 200.0");
      assertThat(placed(admin("GET", "/user/me/layout?userId=" + aliceId + "&userId=" + fixture.adminId(), null)))
          .containsExactlyInAnyOrder(a1 + " 100.0 200.0", mine + " 5.0 6.0");
      assertThat(placed(admin("GET", "/user/me/layout", null))).contains(a1 + " 100.0 200.0", mine + " 5.0 6.0");
      assertThat(placed(send("GET", "/user/me/layout", null, alice, null)))
          .containsExactlyInAnyOrder(a1 + " 10.0 20.5", a2 + " -30.0 40.0");
      // a user asking for another user's processes gets none of them
      assertThat(placed(send("GET", "/user/me/layout?userId=" + fixture.adminId(), null, alice, null))).isEmpty();
      assertThat(placed(send("GET", "/user/me/layout?userId=" + aliceId, null, alice, null))).hasSize(2);

      // malformed: 400 with the reason
      assertProblem(send("GET", "/user/me/layout?state=RUNNING", null, alice, null), 400, "'state' is not known here");
      assertProblem(send("GET", "/user/me/layout?userId=alice", null, alice, null), 400, "must be a user id");
      assertProblem(send("PUT", "/user/me/layout", "{}", alice, null), 400, "'positions' is required");
      assertProblem(send("PUT", "/user/me/layout", positions(a1, 1e7, 0), alice, null), 400,
          "'positions[0].x' must be between -1000000 and 1000000");
      assertProblem(send("PUT", "/user/me/layout", positions(a1, 0, "\"up\""), alice, null), 400,
          "'positions[0].y' must be a number");
      assertProblem(send("PUT", "/user/me/layout", positions(a1, 1, 2, a1, 3, 4), alice, null), 400, "placed twice");
      assertProblem(send("PUT", "/user/me/layout", positions("nope", 1, 2), alice, null), 400,
          "'positions[0].processId' must be a process id");
      assertThat(send("PUT", "/user/me/layout", positions(), alice, null).statusCode()).isEqualTo(204);

      // a process's positions go with it, everyone's
      fixture.store().deleteProcess(a1);
      assertThat(placed(send("GET", "/user/me/layout", null, alice, null))).containsExactly(a2 + " -30.0 40.0");
      assertThat(placed(admin("GET", "/user/me/layout?userId=" + aliceId, null))).isEmpty();
    } finally {
      for (String id : List.of(a1, a2, mine)) {
        fixture.store().deleteProcess(id);
      }
    }
  }

  // ---- retrying a pending change

  private String failedChange(PendingChange.Kind kind, String processId) {
    return fixture.newFailedChange(kind, Optional.of(processId), Optional.empty(), fixture.adminId());
  }

  @Test
  void aFailedChangeIsRetriedFromItsFirstAttemptAndCarriedOutAtOnce() throws Exception {
    String id = createProcess("{\"serviceId\": \"" + TestImages.METER + "\"}").path("id").asText();
    assertThat(trigger(id, tokenOf(id)).statusCode()).isEqualTo(204);
    fixture.processes().clear();
    String failed = failedChange(PendingChange.Kind.CONFIGURE_PROCESS, id);
    long seq = fixture.events().lastSeq();

    long started = System.nanoTime();
    HttpResponse<String> retried = admin("POST", "/pendingchange/" + failed + "/retry", null);
    assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
    JsonNode change = json(retried);
    assertThat(change.path("id").asText()).isEqualTo(failed);
    assertThat(change.path("state").asText()).isEqualTo("PENDING");
    assertThat(change.path("attempts").asInt()).isZero();
    assertThat(change.path("lastError").asText()).isEqualTo("the process did not answer");
    assertThat(java.time.Instant.parse(change.path("notBefore").asText()))
        .isBeforeOrEqualTo(java.time.Instant.now()).isAfter(java.time.Instant.now().minusSeconds(10));
    // the same event as any other change of a pending change's state
    assertThat(fixture.events().recentAfter(seq)).anySatisfy(e -> {
      assertThat(e.id()).isEqualTo(failed);
      assertThat(e.state()).isEqualTo("PENDING");
      assertThat(e.action()).isEqualTo(org.defpi.orchestrator.event.Event.Action.CHANGED);
    });

    // a worker takes it at once (woken, as by a submit), not at its next idle look
    fixture.awaitQuiet(id);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    PendingChange done = fixture.store().pendingChanges().find(failed).orElseThrow();
    assertThat(done.state()).isEqualTo(PendingChange.State.DONE);
    assertThat(done.attempts()).isEqualTo(1);
    assertThat(fixture.processes().requestsTo(id, ProcessProto.SetConfigMessage.class)).hasSize(1);
    assertThat(ms).as("from the retry to DONE").isLessThan(5_000);

    assertProblem(admin("POST", "/pendingchange/" + failed + "/retry", null), 409,
        "pending change " + failed + " is DONE: it is done already; only a FAILED or PENDING change can be retried");
    assertProblem(admin("POST", "/pendingchange/65a1b2c300000000000000ff/retry", null), 404,
        "there is no pending change 65a1b2c300000000000000ff");
    String bob = json(admin("POST", "/user", "{\"name\": \"retry-bob\", \"password\": \"bob-password\"}"))
        .path("id").asText();
    assertThat(bob).isNotBlank();
    String other = failedChange(PendingChange.Kind.CONFIGURE_PROCESS, id);
    assertProblem(send("POST", "/pendingchange/" + other + "/retry", null, basic("retry-bob", "bob-password"), null),
        404, "there is no pending change " + other);

    // a later change of the process is queued: the failed one would run before it
    String later = fixture.newPendingChange(id, fixture.adminId()); // PENDING, due tomorrow
    assertProblem(admin("POST", "/pendingchange/" + other + "/retry", null), 409, "a later change of its process " + id
        + ", CONFIGURE_PROCESS " + later + ", is PENDING and this one would run before it; let that one finish or"
        + " cancel it first");
    // the later one itself may be made due now: it runs at once
    HttpResponse<String> due = admin("POST", "/pendingchange/" + later + "/retry", null);
    assertThat(due.statusCode()).as(due.body()).isEqualTo(200);
    assertThat(json(due).path("attempts").asInt()).isZero();
    fixture.awaitQuiet(id);
    assertThat(fixture.store().pendingChanges().find(later).orElseThrow().state()).isEqualTo(PendingChange.State.DONE);
    assertThat(admin("POST", "/pendingchange/" + other + "/retry", null).statusCode()).isEqualTo(200);
    fixture.awaitQuiet(id);

    // the process gone: its failed changes cannot run again
    String last = failedChange(PendingChange.Kind.CONFIGURE_PROCESS, id);
    assertThat(admin("DELETE", "/process/" + id, null).statusCode()).isEqualTo(204);
    assertProblem(admin("POST", "/pendingchange/" + last + "/retry", null), 409,
        "cannot run again: process " + id + " no longer exists");
  }
}
