package org.defpi.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.defpi.orchestrator.api.ApiFixture.JSON;
import static org.defpi.orchestrator.api.ApiFixture.LOGGER_IFACE;
import static org.defpi.orchestrator.api.ApiFixture.METER_IFACE;
import static org.defpi.orchestrator.api.ApiFixture.PASSWORD;
import static org.defpi.orchestrator.api.ApiFixture.basic;
import static org.defpi.orchestrator.api.ApiFixture.connectionBody;
import static org.defpi.orchestrator.api.ApiFixture.json;
import static org.defpi.orchestrator.api.ApiFixture.loginBody;
import static org.defpi.orchestrator.api.ApiFixture.ok;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.defpi.orchestrator.TestImages;
import org.defpi.orchestrator.api.Routes.Access;
import org.defpi.orchestrator.api.Routes.Route;
import org.defpi.orchestrator.layout.Position;
import org.defpi.orchestrator.node.Node;
import org.defpi.orchestrator.node.NodeKind;
import org.defpi.orchestrator.node.NodeStatus;
import org.defpi.orchestrator.pendingchange.PendingChange;
import org.defpi.orchestrator.node.Resources;
import org.defpi.orchestrator.user.UserManager;
import org.defpi.wire.protocol.ProcessProto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every route of {@link Routes#table()} × {anonymous, the owner, another user, an admin}, with the
 * status each must get, over the real server, store, registry and Swarm ({@link ApiFixture}, as
 * {@link ApiTest}). The matrix must name exactly the routes of the table, so a new route fails this
 * test until someone decides who may call it.
 *
 * <p>Alice is the owner (a bearer token), Bob the other user (a bearer token), the admin uses HTTP
 * Basic. Alice owns a meter and a logger with a connection between them, a pending change and a
 * private node (a node row of the store's: the Swarm's one node stays public, as {@link ApiFixture}
 * makes it, so everyone's processes can run). Requests with side effects are sent by the refused
 * identities first, and what they aimed at must be unchanged afterwards; the allowed calls come last,
 * on resources made for them where they would destroy the fixture.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthorizationTest {
  private static final String ALICE_PASSWORD = "alice-password";
  private static final String BOB_PASSWORD = "bob-password";
  private static final String NO_SUCH_PROCESS = "65a1b2c300000000000000ff";

  /**
   * Routes announced but not built yet: their rows may be in the matrix ahead of them, and are
   * skipped (reported as TODO) until the table has them. Only these may be in the matrix but not in
   * the table. Empty since GET /openapi.json, GET /docs and GET /docs/{file} (issue 4) landed; when a
   * route is planned before it is built, add its key here and take it out when it lands.
   */
  private static final Set<String> COMING = Set.of();

  /** Who calls. */
  enum Who { ANONYMOUS, OWNER, OTHER, ADMIN }

  private final ApiFixture fixture = new ApiFixture();
  private final AtomicInteger serial = new AtomicInteger();

  private String aliceId;
  private String bobId;
  private String aliceToken;
  private String bobToken;
  /** Alice's: a meter and a logger, connected. */
  private String meterA;
  /** The process of the test's pending changes: none, so they hold up no real process's changes. */
  private static final String NO_PROCESS = "65a1b2c300000000000000fe";
  private String loggerA;
  private String connectionA;
  private String changeA;
  /** Alice's FAILED change, for the retries the refused callers try. */
  private String failedA;
  /** Alice's private node: a row of the store only (MISSING to the Swarm), since the Swarm's one node runs everyone's processes. */
  private String nodeId;
  /** A pool the admin made. */
  private String poolId;
  /** An extra logger of Alice's whose interface is free between the connection cases. */
  private String spareLogger;
  /** The token the last POST /logout of the matrix revoked. */
  private String loggedOut;

  @BeforeAll
  void start() throws Exception {
    fixture.start(database());
    aliceId = ok(call(Who.ADMIN, "POST", "/user", "{\"name\": \"alice\", \"password\": \"" + ALICE_PASSWORD + "\"}"), 201)
        .path("id").asText();
    bobId = ok(call(Who.ADMIN, "POST", "/user", "{\"name\": \"bob\", \"password\": \"" + BOB_PASSWORD + "\"}"), 201)
        .path("id").asText();
    aliceToken = fixture.login("alice", ALICE_PASSWORD);
    bobToken = fixture.login("bob", BOB_PASSWORD);

    meterA = newProcess(Who.OWNER, TestImages.METER);
    loggerA = newProcess(Who.OWNER, TestImages.LOGGER);
    connectionA = ok(call(Who.OWNER, "POST", "/connection", connectionBody(meterA, METER_IFACE, loggerA, LOGGER_IFACE)),
        201).path("id").asText();
    changeA = newPendingChange();
    failedA = newFailedChange();

    nodeId = "authz-alices-node";
    fixture.store().insertNode(new Node(nodeId, "alices-box", "amd64", NodeStatus.MISSING, NodeKind.UNIDENTIFIED,
        Optional.empty(), Optional.empty(), java.time.Instant.parse("2026-01-01T00:00:00Z"), Resources.NONE));
    ok(call(Who.ADMIN, "PUT", "/node/" + nodeId, "{\"kind\": \"private\", \"userId\": \"" + aliceId + "\"}"), 200);
    poolId = newPool("authz-pool");
  }

  /** The store's database: an H2 file here, PostgreSQL in {@link AuthorizationPostgresTest}. */
  ApiFixture.Database database() {
    return ApiFixture.Database.H2;
  }

  @AfterAll
  void stop() throws Exception {
    fixture.close();
  }

  // ---- the matrix

  /** One request of a case: the path (with query), a body, and an Authorization header instead of the caller's own. */
  record Req(String path, String body, String authorization, Map<String, String> headers) {
    static Req of(String path) {
      return new Req(path, null, null, Map.of());
    }

    Req body(String b) {
      return new Req(path, b, authorization, headers);
    }

    Req authorization(String a) {
      return new Req(path, body, a, headers);
    }
  }

  @FunctionalInterface
  interface RequestFor {
    Req make(Who who) throws Exception;
  }

  @FunctionalInterface
  interface State {
    Object read() throws Exception;
  }

  @FunctionalInterface
  interface Effect {
    void check(Who who, Req req, HttpResponse<String> response) throws Exception;
  }

  /** One row: a route of the table, the status each identity must get, and how to ask. */
  static final class Case {
    final String route;
    final String method;
    final String template;
    final Map<Who, Integer> expected = new EnumMap<>(Who.class);
    RequestFor request;
    /** What the refused calls must leave as it was; read before and after them. */
    State unchanged;
    /** What an allowed call must have done, checked after it. */
    Effect effect = (who, req, response) -> { };

    Case(String route, int anonymous, int owner, int other, int admin) {
      this.route = route;
      this.method = route.substring(0, route.indexOf(' '));
      this.template = route.substring(route.indexOf(' ') + 1);
      expected.put(Who.ANONYMOUS, anonymous);
      expected.put(Who.OWNER, owner);
      expected.put(Who.OTHER, other);
      expected.put(Who.ADMIN, admin);
      request = who -> {
        if (template.contains("{")) {
          throw new IllegalStateException(route + " has a path parameter: its case must say which id to ask for");
        }
        return Req.of(template);
      };
    }

    Case request(RequestFor r) {
      this.request = r;
      return this;
    }

    Case unchanged(State s) {
      this.unchanged = s;
      return this;
    }

    Case effect(Effect e) {
      this.effect = e;
      return this;
    }

    boolean allowed(Who who) {
      return expected.get(who) < 400;
    }

    /** Refused identities first (their side effects must not happen), then the allowed ones. */
    List<Who> order() {
      return Stream.concat(Stream.of(Who.values()).filter(w -> !allowed(w)), Stream.of(Who.values()).filter(this::allowed))
          .toList();
    }
  }

  private List<Case> matrix() {
    List<Case> m = new ArrayList<>();

    // ---- public
    m.add(new Case("GET /health", 200, 200, 200, 200)
        .effect((w, q, r) -> assertThat(json(r).path("status").asText()).isEqualTo("UP")));
    m.add(new Case("GET /version", 200, 200, 200, 200)
        .effect((w, q, r) -> assertThat(json(r).path("version").asText()).isEqualTo("1.2.3")));
    m.add(new Case("GET /openapi.json", 200, 200, 200, 200)
        .effect((w, q, r) -> assertThat(json(r).path("openapi").asText()).startsWith("3.1")));
    m.add(new Case("GET /docs", 200, 200, 200, 200)
        .effect((w, q, r) -> assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
            t -> assertThat(t).startsWith("text/html"))));
    m.add(new Case("GET /docs/{file}", 200, 200, 200, 200).request(w -> Req.of(docsAsset())));
    m.add(new Case("GET /", 200, 200, 200, 200)
        .effect((w, q, r) -> assertThat(r.body()).contains("<div id=\"root\">")));
    m.add(new Case("GET /assets/{file}", 200, 200, 200, 200).request(w -> Req.of(webAsset())));
    m.add(new Case("POST /login", 201, 201, 201, 201)
        .request(w -> Req.of("/login").body(loginBody("alice", ALICE_PASSWORD)))
        .effect((w, q, r) -> {
          assertThat(json(r).path("token").asText()).startsWith(UserManager.TOKEN_PREFIX);
          assertThat(json(r).path("user").path("id").asText()).isEqualTo(aliceId);
        }));

    // ---- users
    m.add(new Case("POST /logout", 401, 204, 204, 204)
        .request(w -> switch (w) {
          // Bearer callers log out a token of their own made for it, not the one the rest of the test uses.
          case OWNER -> Req.of("/logout")
              .authorization("Bearer " + (loggedOut = fixture.login("alice", ALICE_PASSWORD)));
          case OTHER -> Req.of("/logout").authorization("Bearer " + (loggedOut = fixture.login("bob", BOB_PASSWORD)));
          default -> Req.of("/logout");
        })
        .effect((w, q, r) -> {
          if (w != Who.ADMIN) {
            assertThat(send("GET", Req.of("/user/me").authorization("Bearer " + loggedOut), Who.ANONYMOUS).statusCode())
                .as("the logged-out token").isEqualTo(401);
          }
          assertThat(call(w, "GET", "/user/me", null).statusCode()).as("the caller's other credentials").isEqualTo(200);
        }));
    m.add(new Case("GET /user/me", 401, 200, 200, 200)
        .effect((w, q, r) -> assertThat(json(r).path("id").asText()).isEqualTo(idOf(w))));
    m.add(new Case("GET /user", 401, 403, 403, 200)
        .effect((w, q, r) -> assertThat(json(r).findValuesAsText("id")).contains(fixture.adminId(), aliceId, bobId)));
    m.add(new Case("POST /user", 401, 403, 403, 201)
        .request(w -> Req.of("/user").body("{\"name\": \"carol\", \"password\": \"carol-password\"}"))
        .unchanged(() -> fixture.store().users().listUsers())
        .effect((w, q, r) -> {
          assertThat(json(r).path("name").asText()).isEqualTo("carol");
          assertThat(json(r).path("role").asText()).isEqualTo("user");
        }));
    m.add(new Case("GET /user/me/layout", 401, 200, 200, 200)
        .effect((w, q, r) -> assertThat(json(r).has("positions")).isTrue()));
    // Positions are the caller's own; Bob cannot place Alice's meter.
    m.add(new Case("PUT /user/me/layout", 401, 204, 404, 204)
        .request(w -> Req.of("/user/me/layout").body("{\"positions\": [{\"processId\": \"" + meterA
            + "\", \"x\": " + w.ordinal() + ", \"y\": 1}]}"))
        .unchanged(() -> fixture.store().layouts().positions(bobId, Set.of()))
        .effect((w, q, r) -> assertThat(fixture.store().layouts().positions(idOf(w), Set.of()))
            .contains(new Position(meterA, w.ordinal(), 1))));
    m.add(new Case("GET /user/{id}", 401, 200, 404, 200)
        .request(w -> Req.of("/user/" + aliceId))
        .effect((w, q, r) -> assertThat(json(r).path("id").asText()).isEqualTo(aliceId)));
    m.add(new Case("PUT /user/{id}", 401, 200, 404, 200)
        .request(w -> Req.of("/user/" + aliceId).body("{\"email\": \"" + switch (w) {
          case OWNER -> "alice@example.org";
          case ADMIN -> "alice@defpi.example";
          default -> "mallory@example.org";
        } + "\"}"))
        .unchanged(() -> fixture.store().users().findUser(aliceId))
        .effect((w, q, r) -> assertThat(json(r).path("email").asText())
            .isEqualTo(w == Who.OWNER ? "alice@example.org" : "alice@defpi.example")));
    m.add(new Case("DELETE /user/{id}", 401, 403, 403, 204)
        .request(w -> Req.of("/user/" + (w == Who.ADMIN ? newUser("authz-victim") : aliceId)))
        .unchanged(() -> fixture.store().users().listUsers())
        .effect((w, q, r) -> assertThat(fixture.store().users().findUser(lastSegment(q))).isEmpty()));

    // ---- services
    m.add(new Case("GET /service", 401, 200, 200, 200)
        .effect((w, q, r) -> assertThat(json(r).findValuesAsText("id")).contains(TestImages.METER, TestImages.LOGGER)));
    m.add(new Case("GET /service/{id}", 401, 200, 200, 200)
        .request(w -> Req.of("/service/" + TestImages.METER)));
    m.add(new Case("GET /interface", 401, 200, 200, 200)
        .effect((w, q, r) -> assertThat(json(r).findValuesAsText("id")).contains(METER_IFACE, LOGGER_IFACE)));

    // ---- processes
    m.add(new Case("POST /process", 401, 201, 201, 201)
        .request(w -> Req.of("/process").body("{\"serviceId\": \"" + TestImages.METER + "\", \"name\": \"authz-new\""
            + (w == Who.ADMIN ? ", \"userId\": \"" + aliceId + "\"" : "") + "}"))
        .unchanged(this::processIds)
        .effect((w, q, r) -> {
          String id = json(r).path("id").asText();
          fixture.removeOnClose(id);
          // the admin creates it for Alice
          assertThat(json(r).path("userId").asText()).isEqualTo(w == Who.OTHER ? bobId : aliceId);
          assertThat(call(Who.ADMIN, "DELETE", "/process/" + id, null).statusCode()).isEqualTo(204);
        }));
    m.add(new Case("GET /process", 401, 200, 200, 200));
    m.add(new Case("GET /process/{id}", 401, 200, 404, 200)
        .request(w -> Req.of("/process/" + meterA))
        .effect((w, q, r) -> assertThat(json(r).path("id").asText()).isEqualTo(meterA)));
    m.add(new Case("PUT /process/{id}", 401, 200, 404, 200)
        .request(w -> Req.of("/process/" + meterA).body("{\"name\": \"meter-" + w.name().toLowerCase() + "\"}"))
        .unchanged(() -> fixture.store().findProcess(meterA).map(p -> p.name()))
        .effect((w, q, r) -> assertThat(json(r).path("name").asText()).isEqualTo("meter-" + w.name().toLowerCase())));
    m.add(new Case("GET /process/{id}/log", 401, 200, 404, 200)
        .request(w -> Req.of("/process/" + meterA + "/log?tail=5"))
        .effect((w, q, r) -> assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
            t -> assertThat(t).startsWith("text/plain"))));
    m.add(new Case("DELETE /process/{id}", 401, 204, 404, 204)
        .request(w -> Req.of("/process/" + (freshFor(w) ? newProcess(Who.OWNER, TestImages.METER) : meterA)))
        .unchanged(() -> List.of(fixture.store().findProcess(meterA),
            fixture.swarm().managedServices().contains(meterA)))
        .effect((w, q, r) -> {
          assertThat(fixture.store().findProcess(lastSegment(q))).isEmpty();
          assertThat(fixture.swarm().managedServices()).doesNotContain(lastSegment(q));
        }));
    // The trigger takes no user credentials: without the process's X-Auth-Token everyone is 401.
    // Its token cases are in aProcessTriggersWithItsOwnTokenOnly.
    m.add(new Case("PUT /process/trigger/{id}", 401, 401, 401, 401)
        .request(w -> Req.of("/process/trigger/" + meterA))
        .unchanged(() -> List.of(fixture.store().findProcess(meterA),
            fixture.processes().requestsTo(meterA, ProcessProto.SetConfigMessage.class).size())));
    // Traffic reports too take the process's X-Auth-Token only (TrafficApiTest has its token cases).
    m.add(new Case("PUT /process/{id}/traffic", 401, 401, 401, 401)
        .request(w -> Req.of("/process/" + meterA + "/traffic").body("{\"connections\": []}"))
        .unchanged(() -> fixture.traffic().reportingProcesses()));
    // Certificates too (CertificateApiTest has their token cases): a user's credentials get none.
    m.add(new Case("POST /process/{id}/certificate", 401, 401, 401, 401)
        .request(w -> Req.of("/process/" + meterA + "/certificate").body("{\"publicKey\": \""
            + java.util.Base64.getEncoder().encodeToString(org.defpi.orchestrator.certificate.CertificateAuthority
                .newKeyPair(new java.security.SecureRandom()).getPublic().getEncoded()) + "\"}")));
    m.add(new Case("GET /process/{id}/traffic", 401, 200, 404, 200)
        .request(w -> Req.of("/process/" + meterA + "/traffic"))
        .effect((w, q, r) -> assertThat(json(r).path("processId").asText()).isEqualTo(meterA)));
    m.add(new Case("GET /traffic", 401, 200, 200, 200));

    // ---- connections
    m.add(new Case("POST /connection", 401, 201, 422, 201)
        .request(w -> Req.of("/connection").body(connectionBody(meterA, METER_IFACE, spareLogger(), LOGGER_IFACE)))
        .unchanged(this::connectionIds)
        .effect((w, q, r) -> {
          String id = json(r).path("id").asText();
          assertThat(json(r).path("endpoint2").path("processId").asText()).isEqualTo(spareLogger);
          // frees the spare logger's interface for the next allowed call
          assertThat(call(Who.ADMIN, "DELETE", "/connection/" + id, null).statusCode()).isEqualTo(204);
        }));
    m.add(new Case("GET /connection", 401, 200, 200, 200));
    m.add(new Case("GET /connection/{id}", 401, 200, 404, 200)
        .request(w -> Req.of("/connection/" + connectionA))
        .effect((w, q, r) -> assertThat(json(r).path("id").asText()).isEqualTo(connectionA)));
    m.add(new Case("DELETE /connection/{id}", 401, 204, 404, 204)
        .request(w -> Req.of("/connection/" + (freshFor(w) ? newConnection() : connectionA)))
        .unchanged(() -> fixture.store().findConnection(connectionA))
        .effect((w, q, r) -> assertThat(fixture.store().findConnection(lastSegment(q))).isEmpty()));

    // ---- nodes and pools
    m.add(new Case("GET /node", 401, 200, 200, 200)
        .effect((w, q, r) -> assertThat(json(r).findValuesAsText("id")).containsExactlyInAnyOrderElementsOf(
            w == Who.OTHER ? List.of(fixture.nodeId()) : List.of(fixture.nodeId(), nodeId))));
    m.add(new Case("GET /node/{id}", 401, 200, 404, 200)
        .request(w -> Req.of("/node/" + nodeId))
        .effect((w, q, r) -> assertThat(json(r).path("userId").asText()).isEqualTo(aliceId)));
    m.add(new Case("PUT /node/{id}", 401, 403, 403, 200)
        .request(w -> Req.of("/node/" + nodeId).body(w == Who.ADMIN
            ? "{\"kind\": \"private\", \"userId\": \"" + aliceId + "\"}"
            : "{\"kind\": \"public\", \"poolId\": \"" + poolId + "\"}"))
        .unchanged(this::nodeAssignment)
        .effect((w, q, r) -> {
          assertThat(json(r).path("kind").asText()).isEqualTo("private");
          assertThat(json(r).path("userId").asText()).isEqualTo(aliceId);
        }));
    m.add(new Case("POST /nodepool", 401, 403, 403, 201)
        .request(w -> Req.of("/nodepool").body("{\"name\": \"authz-new-pool\"}"))
        .unchanged(() -> fixture.store().listPools())
        .effect((w, q, r) -> assertThat(fixture.store().findPool(json(r).path("id").asText()))
            .hasValueSatisfying(p -> assertThat(p.name()).isEqualTo("authz-new-pool"))));
    m.add(new Case("GET /nodepool", 401, 200, 200, 200)
        .effect((w, q, r) -> assertThat(json(r).findValuesAsText("id")).contains(poolId)));
    m.add(new Case("GET /nodepool/{id}", 401, 200, 200, 200)
        .request(w -> Req.of("/nodepool/" + poolId))
        .effect((w, q, r) -> assertThat(json(r).path("id").asText()).isEqualTo(poolId)));
    m.add(new Case("PUT /nodepool/{id}", 401, 403, 403, 200)
        .request(w -> w == Who.ADMIN
            ? Req.of("/nodepool/" + newPool("authz-rename-me")).body("{\"name\": \"authz-renamed\"}")
            : Req.of("/nodepool/" + poolId).body("{\"name\": \"hijacked\"}"))
        .unchanged(() -> fixture.store().findPool(poolId))
        .effect((w, q, r) -> assertThat(fixture.store().findPool(lastSegment(q)))
            .hasValueSatisfying(p -> assertThat(p.name()).isEqualTo("authz-renamed"))));
    m.add(new Case("DELETE /nodepool/{id}", 401, 403, 403, 204)
        .request(w -> Req.of("/nodepool/" + (w == Who.ADMIN ? newPool("authz-delete-me") : poolId)))
        .unchanged(() -> fixture.store().listPools())
        .effect((w, q, r) -> assertThat(fixture.store().findPool(lastSegment(q))).isEmpty()));

    // ---- pending changes
    m.add(new Case("GET /pendingchange", 401, 200, 200, 200));
    // ---- events: who may open the stream (what each sees is ApiTest's and EventBusTest's)
    m.add(new Case("GET /events", 401, 200, 200, 200));
    m.add(new Case("GET /metrics", 401, 403, 403, 200)
        .effect((w, q, r) -> assertThat(r.body()).contains("defpi_http_server_requests_seconds_bucket{")));
    m.add(new Case("GET /status", 401, 403, 403, 200)
        .effect((w, q, r) -> assertThat(json(r).path("pendingChanges").has("PENDING")).isTrue()));
    m.add(new Case("GET /pendingchange/{id}", 401, 200, 404, 200)
        .request(w -> Req.of("/pendingchange/" + changeA))
        .effect((w, q, r) -> assertThat(json(r).path("id").asText()).isEqualTo(changeA)));
    m.add(new Case("POST /pendingchange/{id}/retry", 401, 200, 404, 200)
        .request(w -> Req.of("/pendingchange/" + (freshFor(w) ? newFailedChange() : failedA) + "/retry"))
        .unchanged(() -> fixture.store().pendingChanges().find(failedA))
        .effect((w, q, r) -> {
          assertThat(json(r).path("state").asText()).isEqualTo("PENDING");
          assertThat(json(r).path("attempts").asInt()).isZero();
        }));
    m.add(new Case("DELETE /pendingchange/{id}", 401, 204, 404, 204)
        .request(w -> Req.of("/pendingchange/" + (freshFor(w) ? newPendingChange() : changeA)))
        .unchanged(() -> fixture.store().pendingChanges().find(changeA))
        .effect((w, q, r) -> assertThat(fixture.store().pendingChanges().find(lastSegment(q)))
            .hasValueSatisfying(c -> assertThat(c.state()).isEqualTo(PendingChange.State.CANCELLED))));
    return m;
  }

  /** Whether this identity gets a resource made for it (it may destroy it) rather than the fixture's. */
  private static boolean freshFor(Who who) {
    return who == Who.OWNER || who == Who.ADMIN;
  }

  // ---- tests

  @Test
  @Order(1)
  void theMatrixNamesExactlyTheRoutesOfTheTableWithTheirAccess() {
    Map<String, Access> table = new LinkedHashMap<>();
    for (Route r : fixture.routes().table()) {
      assertThat(table.put(key(r), r.access())).as("route %s twice in the table", key(r)).isNull();
    }
    Map<String, Case> matrix = new LinkedHashMap<>();
    for (Case c : matrix()) {
      assertThat(matrix.put(c.route, c)).as("route %s twice in the matrix", c.route).isNull();
    }
    Set<String> uncovered = new TreeSet<>(table.keySet());
    uncovered.removeAll(matrix.keySet());
    assertThat(uncovered).as("routes of Routes.table() the authorization matrix does not cover: add a row for each"
        + " to AuthorizationTest.matrix() with the status every identity must get").isEmpty();
    Set<String> stale = new TreeSet<>(matrix.keySet());
    stale.removeAll(table.keySet());
    stale.removeAll(COMING);
    assertThat(stale).as("rows of the authorization matrix for routes Routes.table() does not have").isEmpty();

    // The matrix agrees with the access each route declares.
    for (var e : table.entrySet()) {
      Case c = matrix.get(e.getKey());
      String row = e.getKey() + " (" + e.getValue() + ")";
      switch (e.getValue()) {
        case PUBLIC -> assertThat(Stream.of(Who.values()).allMatch(c::allowed)).as(row + ": everyone passes").isTrue();
        case PROCESS -> assertThat(c.expected.values()).as(row + ": without X-Auth-Token everyone is 401").containsOnly(401);
        case USER -> {
          assertThat(c.expected.get(Who.ANONYMOUS)).as(row + ": anonymous").isEqualTo(401);
          assertThat(c.allowed(Who.OWNER) && c.allowed(Who.ADMIN)).as(row + ": the owner and an admin pass").isTrue();
        }
        case ADMIN -> {
          assertThat(c.expected.get(Who.ANONYMOUS)).as(row + ": anonymous").isEqualTo(401);
          assertThat(c.expected.get(Who.OWNER)).as(row + ": the owner").isEqualTo(403);
          assertThat(c.expected.get(Who.OTHER)).as(row + ": another user").isEqualTo(403);
          assertThat(c.allowed(Who.ADMIN)).as(row + ": an admin passes").isTrue();
        }
      }
    }
  }

  @Test
  @Order(2)
  void listsShowAUserOnlyTheirOwnAndTheTotalCountsThem() throws Exception {
    // Bob has nothing yet: every list of his is empty, and says so in X-Total-Count.
    for (String list : List.of("/process", "/connection", "/pendingchange")) {
      HttpResponse<String> r = call(Who.OTHER, "GET", list, null);
      assertThat(ok(r, 200)).as("GET %s as bob", list).isEmpty();
      assertThat(r.headers().firstValue(Routes.TOTAL_COUNT)).as("GET %s as bob", list).hasValue("0");
    }
    // Of the nodes, he sees the public one only: not Alice's.
    assertThat(list(Who.OTHER, "/node")).containsExactly(fixture.nodeId());
    String bobs = newProcess(Who.OTHER, TestImages.METER);
    try {
      assertThat(list(Who.OTHER, "/process")).containsExactly(bobs);
      assertThat(list(Who.OWNER, "/process")).containsExactlyInAnyOrderElementsOf(processesOf(aliceId))
          .contains(meterA, loggerA).doesNotContain(bobs);
      assertThat(list(Who.ADMIN, "/process")).contains(meterA, loggerA, bobs)
          .hasSize(fixture.store().listProcesses().size());
      assertThat(list(Who.OWNER, "/connection")).contains(connectionA);
      assertThat(list(Who.ADMIN, "/connection")).contains(connectionA);
      assertThat(list(Who.OWNER, "/pendingchange")).contains(changeA);
      assertThat(list(Who.ADMIN, "/pendingchange")).contains(changeA);
      assertThat(list(Who.OWNER, "/node")).containsExactlyInAnyOrder(fixture.nodeId(), nodeId);
      assertThat(list(Who.ADMIN, "/user")).contains(fixture.adminId(), aliceId, bobId);

      // The total counts the matching items, not the page.
      HttpResponse<String> page = call(Who.ADMIN, "GET", "/process?limit=1", null);
      assertThat(ok(page, 200)).hasSize(1);
      assertThat(page.headers().firstValue(Routes.TOTAL_COUNT))
          .hasValue(Integer.toString(fixture.store().listProcesses().size()));
      // Filtering by another user's id does not show their things to a user.
      HttpResponse<String> peek = call(Who.OTHER, "GET", "/process?userId=" + aliceId, null);
      assertThat(ok(peek, 200)).isEmpty();
      assertThat(peek.headers().firstValue(Routes.TOTAL_COUNT)).hasValue("0");
    } finally {
      assertThat(call(Who.OTHER, "DELETE", "/process/" + bobs, null).statusCode()).isEqualTo(204);
    }
  }

  @Test
  @Order(3)
  void aUserCannotMakeThemselvesAdmin() throws Exception {
    assertRefusal(call(Who.OWNER, "PUT", "/user/" + aliceId, "{\"role\": \"admin\"}"), 403, "cannot change their own role");
    assertRefusal(call(Who.OTHER, "PUT", "/user/" + aliceId, "{\"role\": \"admin\"}"), 404, "does not exist");
    assertRefusal(call(Who.OWNER, "POST", "/user", "{\"name\": \"alice2\", \"password\": \"x-password\", \"role\": \"admin\"}"),
        403, "only an admin can POST /user");
    assertThat(fixture.store().users().findUser(aliceId)).hasValueSatisfying(u -> assertThat(u.isAdmin()).isFalse());
    assertThat(ok(call(Who.OWNER, "GET", "/user/me", null), 200).path("role").asText()).isEqualTo("user");
    // ...and an admin route stays closed to them.
    assertRefusal(call(Who.OWNER, "GET", "/user", null), 403, "only an admin");
  }

  @Test
  @Order(4)
  void bobCannotConnectHisProcessToAlices() throws Exception {
    String bobs = newProcess(Who.OTHER, TestImages.METER);
    try {
      List<String> before = connectionIds();
      HttpResponse<String> toAlices = call(Who.OTHER, "POST", "/connection",
          connectionBody(bobs, METER_IFACE, loggerA, LOGGER_IFACE));
      assertRefusal(toAlices, 422, "process '" + loggerA + "' does not exist");
      assertRefusal(call(Who.OTHER, "POST", "/connection", connectionBody(loggerA, LOGGER_IFACE, bobs, METER_IFACE)), 422,
          "process '" + loggerA + "' does not exist");
      // The same words as for a process that does not exist at all: Alice's is not revealed.
      HttpResponse<String> toNothing = call(Who.OTHER, "POST", "/connection",
          connectionBody(bobs, METER_IFACE, NO_SUCH_PROCESS, LOGGER_IFACE));
      assertRefusal(toNothing, 422, "process '" + NO_SUCH_PROCESS + "' does not exist");
      assertThat(json(toAlices).path("detail").asText().replace(loggerA, "X"))
          .isEqualTo(json(toNothing).path("detail").asText().replace(NO_SUCH_PROCESS, "X"));
      // Nor can Alice reach Bob's, and an admin cannot join two users' processes either.
      assertRefusal(call(Who.OWNER, "POST", "/connection", connectionBody(meterA, METER_IFACE, bobs, METER_IFACE)), 422,
          "process '" + bobs + "' does not exist");
      assertRefusal(call(Who.ADMIN, "POST", "/connection", connectionBody(bobs, METER_IFACE, loggerA, LOGGER_IFACE)), 422,
          "belong to different users");
      assertThat(connectionIds()).isEqualTo(before);
      assertThat(ok(call(Who.OTHER, "GET", "/connection", null), 200)).isEmpty();
    } finally {
      assertThat(call(Who.OTHER, "DELETE", "/process/" + bobs, null).statusCode()).isEqualTo(204);
    }
  }

  @Test
  @Order(5)
  void anAdminCreatesAProcessForAliceButAUserOnlyForThemselves() throws Exception {
    JsonNode forAlice = ok(call(Who.ADMIN, "POST", "/process",
        "{\"serviceId\": \"" + TestImages.METER + "\", \"userId\": \"" + aliceId + "\"}"), 201);
    String id = forAlice.path("id").asText();
    fixture.removeOnClose(id);
    try {
      assertThat(forAlice.path("userId").asText()).isEqualTo(aliceId);
      assertThat(list(Who.OWNER, "/process")).contains(id);
      assertThat(ok(call(Who.OWNER, "GET", "/process/" + id, null), 200).path("userId").asText()).isEqualTo(aliceId);
    } finally {
      assertThat(call(Who.OWNER, "DELETE", "/process/" + id, null).statusCode()).isEqualTo(204);
    }
    List<String> before = processIds();
    assertRefusal(call(Who.OWNER, "POST", "/process",
        "{\"serviceId\": \"" + TestImages.METER + "\", \"userId\": \"" + bobId + "\"}"), 403, "only an admin can act for");
    assertRefusal(call(Who.ADMIN, "POST", "/process",
        "{\"serviceId\": \"" + TestImages.METER + "\", \"userId\": \"" + NO_SUCH_PROCESS + "\"}"), 422,
        "user '" + NO_SUCH_PROCESS + "' does not exist");
    assertThat(processIds()).isEqualTo(before);
    // Naming yourself is fine.
    JsonNode own = ok(call(Who.OTHER, "POST", "/process",
        "{\"serviceId\": \"" + TestImages.METER + "\", \"userId\": \"" + bobId + "\"}"), 201);
    fixture.removeOnClose(own.path("id").asText());
    assertThat(own.path("userId").asText()).isEqualTo(bobId);
    assertThat(call(Who.OTHER, "DELETE", "/process/" + own.path("id").asText(), null).statusCode()).isEqualTo(204);
  }

  @Test
  @Order(6)
  void aProcessTriggersWithItsOwnTokenOnly() throws Exception {
    String meterToken = fixture.store().findProcess(meterA).orElseThrow().token().value();
    String loggerToken = fixture.store().findProcess(loggerA).orElseThrow().token().value();
    assertRefusal(trigger(meterA, null), 401, "needs the process's token in X-Auth-Token");
    assertRefusal(trigger(loggerA, meterToken), 403, "X-Auth-Token does not match");
    assertRefusal(trigger(meterA, loggerToken), 403, "X-Auth-Token does not match");
    // User credentials are no substitute for the process's token.
    assertRefusal(send("PUT", Req.of("/process/trigger/" + meterA), Who.ADMIN), 401, "X-Auth-Token");
    assertThat(fixture.processes().requestsTo(loggerA, ProcessProto.SetConfigMessage.class)).isEmpty();
    assertThat(fixture.processes().requestsTo(meterA, ProcessProto.SetConfigMessage.class)).isEmpty();

    assertThat(trigger(meterA, meterToken).statusCode()).isEqualTo(204);
    assertThat(fixture.processes().requestsTo(meterA, ProcessProto.SetConfigMessage.class)).hasSize(1);
    assertThat(trigger(loggerA, loggerToken).statusCode()).isEqualTo(204);
  }

  @Test
  @Order(10)
  void everyRouteForEveryIdentity() throws Exception {
    Set<String> inTable = fixture.routes().table().stream().map(AuthorizationTest::key).collect(Collectors.toSet());
    List<String> failures = new ArrayList<>();
    Map<String, Map<Who, String>> outcomes = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    int calls = 0;
    for (Case c : matrix()) {
      if (!inTable.contains(c.route)) {
        if (COMING.contains(c.route)) {
          skipped.add(c.route); // TODO: runs once the route is in the table
        } else {
          failures.add(c.route + ": in the matrix but not in Routes.table()");
        }
        continue;
      }
      Map<Who, String> row = outcomes.computeIfAbsent(c.route, r -> new EnumMap<>(Who.class));
      Object before = null;
      if (c.unchanged != null) {
        before = c.unchanged.read();
      }
      boolean checkedUnchanged = false;
      for (Who who : c.order()) {
        if (!checkedUnchanged && c.allowed(who)) {
          checkUnchanged(c, before, failures);
          checkedUnchanged = true;
        }
        int want = c.expected.get(who);
        try {
          Req req = c.request.make(who);
          HttpResponse<String> r = send(c.method, req, who);
          calls++;
          int got = r.statusCode();
          row.put(who, got == want ? Integer.toString(got) : got + "≠" + want);
          if (got != want) {
            failures.add(c.route + " as " + who + " (" + req.path() + "): expected " + want + ", got " + got + ": "
                + abbreviate(r.body()));
            continue;
          }
          if (want >= 400) {
            problemIssues(r).forEach(issue -> failures.add(c.route + " as " + who + ": " + issue));
          } else {
            totalCountIssues(r).forEach(issue -> failures.add(c.route + " as " + who + ": " + issue));
            c.effect.check(who, req, r);
          }
        } catch (Exception | AssertionError e) {
          row.putIfAbsent(who, "!");
          failures.add(c.route + " as " + who + ": " + e);
        }
      }
      if (!checkedUnchanged) {
        checkUnchanged(c, before, failures);
      }
    }
    System.out.println(render(outcomes, calls, skipped));
    assertThat(failures).as("authorization matrix: %d of %d routes × %d identities (%d calls)%n%s",
        outcomes.size(), outcomes.size() + skipped.size(), Who.values().length, calls, render(outcomes, calls, skipped))
        .isEmpty();
  }


  // ---- the matrix's helpers

  private void checkUnchanged(Case c, Object before, List<String> failures) {
    if (c.unchanged == null) {
      return;
    }
    try {
      Object after = c.unchanged.read();
      if (!Objects.equals(before, after)) {
        failures.add(c.route + ": a refused call changed what it aimed at: before " + before + ", after " + after);
      }
    } catch (Exception e) {
      failures.add(c.route + ": cannot read what the refused calls must leave unchanged: " + e);
    }
  }

  /** Every refusal: an RFC 9457 problem with a detail; a 401 also a challenge. */
  private static List<String> problemIssues(HttpResponse<String> r) {
    List<String> issues = new ArrayList<>();
    Optional<String> type = r.headers().firstValue("Content-Type");
    if (type.isEmpty() || !type.get().startsWith(Routes.PROBLEM_JSON)) {
      issues.add("refusal " + r.statusCode() + " has Content-Type " + type.orElse("(none)") + ", not " + Routes.PROBLEM_JSON);
    }
    try {
      JsonNode p = JSON.readTree(r.body());
      if (p.path("status").asInt() != r.statusCode()) {
        issues.add("problem status " + p.path("status") + " is not the HTTP status " + r.statusCode());
      }
      if (p.path("detail").asText().isBlank()) {
        issues.add("problem has no detail: " + r.body());
      }
      if (p.path("title").asText().isBlank() || !p.path("type").asText().startsWith(Routes.PROBLEM_TYPE_PREFIX)) {
        issues.add("problem has no title or a type outside " + Routes.PROBLEM_TYPE_PREFIX + ": " + r.body());
      }
    } catch (Exception e) {
      issues.add("refusal body is not JSON: " + abbreviate(r.body()));
    }
    if (r.statusCode() == 401 && r.headers().firstValue("WWW-Authenticate").filter(v -> !v.isBlank()).isEmpty()) {
      issues.add("401 without WWW-Authenticate");
    }
    return issues;
  }

  /** A list answer (a JSON array) says how many items there are in X-Total-Count; unpaged, that is its length. */
  private static List<String> totalCountIssues(HttpResponse<String> r) {
    if (!r.body().startsWith("[")) {
      return List.of();
    }
    try {
      int size = JSON.readTree(r.body()).size();
      Optional<String> total = r.headers().firstValue(Routes.TOTAL_COUNT);
      return total.equals(Optional.of(Integer.toString(size))) ? List.of()
          : List.of(Routes.TOTAL_COUNT + " is " + total.orElse("(missing)") + " for " + size + " items");
    } catch (Exception e) {
      return List.of("list body is not JSON: " + abbreviate(r.body()));
    }
  }

  private static String render(Map<String, Map<Who, String>> outcomes, int calls, List<String> skipped) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("%-30s %9s %6s %6s %6s%n", "route", "anonymous", "owner", "other", "admin"));
    outcomes.forEach((route, row) -> b.append(String.format("%-30s %9s %6s %6s %6s%n", route,
        row.getOrDefault(Who.ANONYMOUS, "-"), row.getOrDefault(Who.OWNER, "-"), row.getOrDefault(Who.OTHER, "-"),
        row.getOrDefault(Who.ADMIN, "-"))));
    b.append(outcomes.size()).append(" routes × ").append(Who.values().length).append(" identities, ").append(calls)
        .append(" calls");
    if (!skipped.isEmpty()) {
      b.append("; TODO not in the table yet, skipped: ").append(skipped);
    }
    return b.toString();
  }

  private static String key(Route r) {
    return r.method().name() + " " + r.path();
  }

  private static String lastSegment(Req req) {
    String path = req.path();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }

  /** A file the /docs page loads from under /docs/, so the asset route is asked for something that exists. */
  private String docsAsset() throws Exception {
    String html = send("GET", Req.of("/docs"), Who.ANONYMOUS).body();
    Matcher m = Pattern.compile("(?:src|href)\\s*=\\s*[\"']([^\"'#?]+)").matcher(html);
    while (m.find()) {
      for (String base : List.of("http://h/docs", "http://h/docs/")) {
        URI resolved = URI.create(base).resolve(m.group(1).strip());
        if ("h".equals(resolved.getHost()) && resolved.getPath().startsWith("/docs/") && resolved.getPath().length() > 6) {
          return resolved.getPath();
        }
      }
    }
    throw new AssertionError("the /docs page loads nothing from under /docs/: name a file for GET /docs/{file} in"
        + " AuthorizationTest.matrix()");
  }

  /** A hashed file the web UI's page loads from /assets/, so the asset route is asked for something that exists. */
  private String webAsset() throws Exception {
    Matcher m = Pattern.compile("(?:src|href)=\"(/assets/[^\"]+)\"").matcher(send("GET", Req.of("/"), Who.ANONYMOUS).body());
    if (!m.find()) {
      throw new AssertionError("the web UI's page loads nothing from /assets/: name a file for GET /assets/{file} in"
          + " AuthorizationTest.matrix()");
    }
    return m.group(1);
  }

  // ---- resources

  private String newProcess(Who owner, String serviceId) throws Exception {
    String id = ok(call(owner, "POST", "/process", "{\"serviceId\": \"" + serviceId + "\"}"), 201).path("id").asText();
    fixture.removeOnClose(id);
    return id;
  }

  /** Alice's logger whose power-measurement interface is free (the connection cases delete what they make on it). */
  private String spareLogger() throws Exception {
    if (spareLogger == null) {
      spareLogger = newProcess(Who.OWNER, TestImages.LOGGER);
    }
    return spareLogger;
  }

  /** A new connection of Alice's: her meter and the spare logger. */
  private String newConnection() throws Exception {
    return ok(call(Who.OWNER, "POST", "/connection", connectionBody(meterA, METER_IFACE, spareLogger(), LOGGER_IFACE)), 201)
        .path("id").asText();
  }

  private String newPendingChange() {
    return fixture.newPendingChange(NO_PROCESS, aliceId);
  }

  /** Alice's CREATE_CONNECTION of her connection, FAILED: one a retry runs again (telling her processes, harmlessly). */
  private String newFailedChange() {
    return fixture.newFailedChange(PendingChange.Kind.CREATE_CONNECTION, Optional.empty(), Optional.of(connectionA),
        aliceId);
  }

  private String newPool(String name) throws Exception {
    return ok(call(Who.ADMIN, "POST", "/nodepool", "{\"name\": \"" + name + "-" + serial.incrementAndGet() + "\"}"), 201)
        .path("id").asText();
  }

  private String newUser(String name) throws Exception {
    return ok(call(Who.ADMIN, "POST", "/user",
        "{\"name\": \"" + name + "-" + serial.incrementAndGet() + "\", \"password\": \"victim-password\"}"), 201)
        .path("id").asText();
  }

  private List<String> processIds() {
    return fixture.store().listProcesses().stream().map(p -> p.id()).sorted().toList();
  }

  private List<String> processesOf(String userId) {
    return fixture.store().listProcesses().stream().filter(p -> p.userId().equals(userId)).map(p -> p.id()).toList();
  }

  private List<String> connectionIds() {
    return fixture.store().listConnections().stream().map(c -> c.id()).sorted().toList();
  }

  private List<Object> nodeAssignment() {
    var n = fixture.store().findNode(nodeId).orElseThrow();
    return List.of(n.kind(), n.poolId(), n.ownerUserId());
  }

  // ---- plumbing

  private String idOf(Who who) {
    return switch (who) {
      case OWNER -> aliceId;
      case OTHER -> bobId;
      case ADMIN -> fixture.adminId();
      case ANONYMOUS -> throw new IllegalArgumentException("anonymous has no id");
    };
  }

  private String authorizationOf(Who who) {
    return switch (who) {
      case ANONYMOUS -> null;
      case OWNER -> "Bearer " + aliceToken;
      case OTHER -> "Bearer " + bobToken;
      case ADMIN -> basic("admin", PASSWORD);
    };
  }

  private HttpResponse<String> send(String method, Req req, Who who) throws Exception {
    return fixture.send(method, req.path(), req.body(),
        req.authorization() != null ? req.authorization() : authorizationOf(who), req.headers());
  }

  private HttpResponse<String> call(Who who, String method, String path, String body) throws Exception {
    return send(method, Req.of(path).body(body), who);
  }

  private HttpResponse<String> trigger(String processId, String token) throws Exception {
    Req req = Req.of("/process/trigger/" + processId);
    if (token != null) {
      req = new Req(req.path(), null, null, Map.of("X-Auth-Token", token));
    }
    HttpResponse<String> response = send("PUT", req, Who.ANONYMOUS);
    if (response.statusCode() == 204) {
      fixture.awaitQuiet(processId); // the CONFIGURE it queued has run
    }
    return response;
  }

  /** The ids of a list as this identity sees it; checks X-Total-Count on the way. */
  private List<String> list(Who who, String path) throws Exception {
    HttpResponse<String> r = call(who, "GET", path, null);
    JsonNode items = ok(r, 200);
    assertThat(r.headers().firstValue(Routes.TOTAL_COUNT)).as("GET %s as %s", path, who)
        .hasValue(Integer.toString(items.size()));
    List<String> result = new ArrayList<>();
    items.forEach(i -> result.add(i.path("id").asText()));
    return result;
  }

  private static void assertRefusal(HttpResponse<String> response, int status, String detail) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(problemIssues(response)).isEmpty();
    assertThat(json(response).path("detail").asText()).contains(detail);
  }
}
