package org.defpi.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.defpi.orchestrator.api.ApiFixture.JSON;
import static org.defpi.orchestrator.api.ApiFixture.LOGGER_IFACE;
import static org.defpi.orchestrator.api.ApiFixture.METER_IFACE;
import static org.defpi.orchestrator.api.ApiFixture.PASSWORD;
import static org.defpi.orchestrator.api.ApiFixture.connectionBody;
import static org.defpi.orchestrator.api.ApiFixture.ok;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.HandlerType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.defpi.orchestrator.TestImages;
import org.defpi.orchestrator.api.Routes.Access;
import org.defpi.orchestrator.api.Routes.Route;
import org.defpi.orchestrator.process.FakeProcesses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The issue's promise, over the whole API: "Errors are RFC 9457 problem+json with a reason a person
 * can act on. A malformed body, a wrong type, an unknown id, a forbidden action: 4xx, never 5xx."
 *
 * <p>The bad requests are generated from {@link Routes#table()} and the OpenAPI document, so a new
 * route gets them without anyone remembering to: every path parameter gets junk ids; every request
 * body (its schema in {@code openapi.yaml}) gets malformed JSON, wrong types and bad strings for each
 * of its fields; every list ({@link Routes#LIST_FILTERS}) gets bad paging and sorting; every other
 * declared query parameter gets values outside its schema. A route with a body needs a valid body in
 * {@link #validBodies()} (each probe breaks one thing of it), else the test fails naming it.
 *
 * <p>Everything is sent as an admin (a bearer token), so authorization is not what refuses. Each
 * answer must be a 4xx (a few probes that are legal, such as {@code null} for an optional field, may
 * also pass), with an {@code application/problem+json} body whose {@code status} is the HTTP status
 * and whose {@code detail} says what was wrong in words, not in class names, stack traces or SQL.
 * Every answer that breaks this is collected, and the test fails once with all of them.
 *
 * <p>The fixture is {@link ApiFixture}, as {@link AuthorizationTest}'s: the real H2 store (PostgreSQL
 * in {@link MalformedRequestPostgresTest}), registry and Swarm, and {@link FakeProcesses}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MalformedRequestTest {
  private static final String VICTIM_PASSWORD = "victim-password";
  private static final String LOGGER_OTHER_IFACE = TestImages.LOGGER + "/other";
  private static final String UNKNOWN_ID = "65a1b2c300000000000000ff";
  /** Prints every probe and its answer: {@code -Ddefpi.test.malformed.verbose=true}. */
  private static final boolean VERBOSE = Boolean.getBoolean("defpi.test.malformed.verbose");
  private static final int LONG = 100_000;
  private static final int HUGE = 5 * 1024 * 1024;
  private static final int DEEP = 10_000;
  /** Stands for invalid UTF-8 in a body's text: replaced by the bytes FF FE C3 28 when sent. */
  private static final String BAD_UTF8 = "\uE000bad-utf8\uE000";
  private static final byte[] BAD_UTF8_BYTES = {(byte) 0xFF, (byte) 0xFE, (byte) 0xC3, (byte) 0x28};
  /** Stands for a raw JSON value in a body while it is built. */
  private static final String PLACEHOLDER = "\uE001placeholder\uE001";

  /** Path parameter values: what they say, and the path segment as sent (escaped, or raw bytes). */
  private static final Map<String, String> JUNK_IDS = junkIds();

  /**
   * Fields a valid request may give anything for, because the server ignores them there: with the
   * reason. Only string values; a wrong type is still refused.
   */
  private static final Map<String, String> IGNORED_FIELDS = Map.of(
      "PUT /user/{id} /currentPassword",
      "an admin changing another user's password needs no currentPassword, and it is not read");

  /** What a detail must not contain: what the code or the database said instead of a sentence. */
  private static final Map<String, Pattern> LEAKS = leaks();

  private final ApiFixture fixture = new ApiFixture();
  private JsonNode openApi;
  private final AtomicInteger serial = new AtomicInteger();
  /** The routes a process calls with its X-Auth-Token: probes send a junk one, so the token is not what refuses. */
  private final Set<String> processRoutes = new HashSet<>();

  private String adminToken;
  private String victimId;
  private String victimName;
  /** The admin's: a meter and two loggers; the meter is connected to the second logger. */
  private String meter;
  private String logger;
  private String spareLogger;
  private String connectionId;
  private String changeId;
  private String nodeId;
  /** The pool the node is put in by PUT /node/{id}, and the pool PUT /nodepool/{id} renames. */
  private String poolId;
  private String renamedPoolId;

  @BeforeAll
  void start() throws Exception {
    fixture.start(database());
    fixture.routes().table().stream().filter(r -> r.access() == Access.PROCESS).forEach(r -> processRoutes.add(key(r)));
    openApi = JSON.readTree(new OpenApi("1.2.3").json());

    adminToken = fixture.login("admin", PASSWORD);
    victimName = "victim";
    victimId = ok(admin("POST", "/user", "{\"name\": \"" + victimName + "\", \"password\": \"" + VICTIM_PASSWORD + "\"}"),
        201).path("id").asText();
    meter = newProcess(TestImages.METER);
    logger = newProcess(TestImages.LOGGER);
    spareLogger = newProcess(TestImages.LOGGER);
    connectionId = ok(admin("POST", "/connection", connectionBody(meter, METER_IFACE, spareLogger, LOGGER_IFACE)), 201)
        .path("id").asText();
    changeId = fixture.newPendingChange(meter, fixture.adminId());
    JsonNode nodeList = ok(admin("GET", "/node", null), 200);
    assertThat(nodeList).as("the Swarm of scripts/env.sh has a node").isNotEmpty();
    nodeId = nodeList.get(0).path("id").asText();
    fixture.unidentifyOnClose(nodeId);
    poolId = newPool();
    renamedPoolId = newPool();
  }

  /** The store's database: an H2 file here, PostgreSQL in {@link MalformedRequestPostgresTest}. */
  ApiFixture.Database database() {
    return ApiFixture.Database.H2;
  }

  @AfterAll
  void stop() throws Exception {
    fixture.close();
  }

  // ---- the probes

  /**
   * One bad request: the route of the table it is for, the request-target exactly as sent (escapes and
   * all), a body (null for none) and its Content-Type, and whether it may also succeed.
   */
  record Probe(String route, String method, String target, byte[] body, String contentType,
      Map<String, String> headers, String what, boolean mayPass) {
    String summary() {
      String t = target.length() > 90 ? target.substring(0, 60) + "…(" + target.length() + " chars)" : target;
      return method + " " + t + " [" + what + "]";
    }
  }

  /** An answer: status, Content-Type (or null) and body. */
  record Answer(int status, String contentType, String body) {}

  /** A valid body of each route that has one; every body probe breaks one thing of it. */
  private Map<String, Supplier<ObjectNode>> validBodies() {
    Map<String, Supplier<ObjectNode>> b = new LinkedHashMap<>();
    b.put("POST /login", () -> object("name", victimName, "password", VICTIM_PASSWORD));
    b.put("POST /user", () -> object("name", "malformed-" + serial.incrementAndGet(), "password", "malformed-password",
        "role", "user", "email", "malformed@example.org"));
    b.put("PUT /user/{id}", () -> object("email", "victim@example.org", "role", "user", "password", VICTIM_PASSWORD));
    b.put("POST /process", () -> {
      ObjectNode o = object("serviceId", TestImages.METER, "name", "malformed-" + serial.incrementAndGet(),
          "version", TestImages.VERSION);
      o.putObject("configuration").put("count", "3");
      o.put("userId", fixture.adminId());
      // No mounts or ports: a probe that may pass (a null field) would leave a volume on the node, or take a port.
      o.put("nodePoolId", fixture.poolId());
      o.put("memoryMb", 16);
      o.put("cpus", 0.1);
      return o;
    });
    b.put("PUT /process/{id}", () -> object("name", "meter-renamed-" + serial.incrementAndGet()));
    b.put("POST /connection", () -> (ObjectNode) readTree(connectionBody(meter, METER_IFACE, logger, LOGGER_IFACE)));
    b.put("PUT /node/{id}", () -> object("kind", "public", "poolId", poolId));
    b.put("POST /nodepool", () -> object("name", "malformed-pool-" + serial.incrementAndGet()));
    b.put("PUT /nodepool/{id}", () -> object("name", "malformed-pool-" + serial.incrementAndGet()));
    b.put("PUT /process/{id}/traffic", () -> {
      ObjectNode o = JSON.createObjectNode();
      o.putArray("connections").addObject().put("connectionId", connectionId).put("state", "CONNECTED")
          .put("messagesIn", 1).put("messagesOut", 2).put("bytesIn", 30).put("bytesOut", 40).put("dropped", 0)
          .put("errors", 0).put("stateChanges", 1);
      return o;
    });
    b.put("POST /process/{id}/certificate", () -> object("publicKey", java.util.Base64.getEncoder().encodeToString(
        org.defpi.orchestrator.certificate.CertificateAuthority.newKeyPair(new java.security.SecureRandom()).getPublic()
            .getEncoded())));
    b.put("PUT /user/me/layout", () -> {
      ObjectNode o = JSON.createObjectNode();
      o.putArray("positions").addObject().put("processId", meter).put("x", 12.5).put("y", -3);
      return o;
    });
    return b;
  }

  /** A real value for a path parameter, so that what a probe breaks is the one thing it breaks. */
  private Optional<String> realValue(String path, String param) {
    String first = path.split("/")[1];
    return Optional.ofNullable(switch (path.startsWith("/process/trigger/") ? "trigger" : first) {
      case "user" -> victimId;
      case "process", "trigger" -> meter;
      case "connection" -> connectionId;
      case "node" -> nodeId;
      case "nodepool" -> renamedPoolId;
      case "pendingchange" -> changeId;
      case "service" -> TestImages.METER;
      default -> null;
    });
  }

  /** Every probe of one route; problems with the battery itself (a body without a valid example) go to {@code gaps}. */
  private List<Probe> battery(Route route, List<String> gaps) throws Exception {
    List<Probe> probes = new ArrayList<>();
    String key = key(route);
    JsonNode operation = openApi.path("paths").path(route.path()).path(route.method().name().toLowerCase(Locale.ROOT));
    JsonNode bodySchema = resolve(operation.path("requestBody").path("content").path("application/json").path("schema"));
    Supplier<ObjectNode> valid = null;
    if (!bodySchema.isMissingNode()) {
      valid = validBodies().get(key);
      if (valid == null) {
        gaps.add(key + " takes a body but MalformedRequestTest.validBodies() has no valid one: add it");
        return probes;
      }
    }
    List<String> params = pathParams(route.path());
    Map<String, String> real = new LinkedHashMap<>();
    for (String p : params) {
      realValue(route.path(), p).ifPresent(v -> real.put(p, v));
    }

    // Path parameters: junk in each, the others real; a body route gets its valid body.
    for (String param : params) {
      for (Map.Entry<String, String> junk : JUNK_IDS.entrySet()) {
        Map<String, String> values = new LinkedHashMap<>(real);
        values.put(param, junk.getValue());
        if (!values.keySet().containsAll(params)) {
          gaps.add(key + ": no real value for a path parameter; add one to MalformedRequestTest.realValue()");
          break;
        }
        probes.add(new Probe(key, route.method().name(), fill(route.path(), values),
            valid == null ? null : bytes(JSON.writeValueAsString(valid.get())), valid == null ? null : "application/json",
            Map.of(), "{" + param + "} = " + junk.getKey(), false));
      }
    }

    String target = null;
    if (!real.keySet().containsAll(params)) {
      if (valid != null || Routes.LIST_FILTERS.containsKey(route.path()) || hasQueryParameters(route.path(), operation)) {
        gaps.add(key + ": no real value for its path parameters; add one to MalformedRequestTest.realValue()");
      }
    } else {
      target = fill(route.path(), real);
    }

    if (valid != null && target != null) {
      probes.addAll(bodyProbes(route, key, target, bodySchema, valid));
    }
    if (target != null && route.method() == HandlerType.GET && Routes.LIST_FILTERS.containsKey(route.path())) {
      for (String query : List.of("bogus=1", "limit=0", "limit=-1", "limit=1001", "limit=abc", "limit=",
          "limit=99999999999999999999", "limit=1.5", "limit=%00", "limit=%zz", "offset=-1", "offset=abc",
          "offset=99999999999999999999", "sort=bogus", "sort=", "sort=-", "sort=,", "sort=bogus,bogus",
          "limit=1&limit=2", "offset=1&offset=2", "%zz=1", "=1")) {
        probes.add(new Probe(key, "GET", target + "?" + query, null, null, Map.of(), "query " + query, false));
      }
    }
    if (target != null && !Routes.LIST_FILTERS.containsKey(route.path())) {
      for (JsonNode parameter : parameters(route.path(), operation)) {
        if (!"query".equals(parameter.path("in").asText())) {
          continue;
        }
        String name = parameter.path("name").asText();
        for (String value : badValues(resolve(parameter.path("schema")))) {
          probes.add(new Probe(key, route.method().name(), target + "?" + name + "=" + value, null, null, Map.of(),
              "query " + name + "=" + value, false));
        }
      }
    }
    return probes;
  }

  private List<Probe> bodyProbes(Route route, String key, String target, JsonNode schema, Supplier<ObjectNode> valid)
      throws Exception {
    List<Probe> probes = new ArrayList<>();
    String method = route.method().name();
    String base = JSON.writeValueAsString(valid.get());
    String firstText = firstText(valid.get(), "");
    Map<String, String> texts = new LinkedHashMap<>();
    texts.put("empty body", "");
    texts.put("blank body", " \n\t ");
    texts.put("body null", "null");
    texts.put("body []", "[]");
    texts.put("body \"str\"", "\"str\"");
    texts.put("body 42", "42");
    texts.put("body true", "true");
    texts.put("truncated JSON", base.substring(0, base.length() / 2));
    texts.put("body {", "{");
    texts.put("missing value", "{\"name\":}");
    texts.put("trailing garbage", base + " x");
    texts.put("two documents", base + base);
    texts.put("single quotes", base.replace('"', '\''));
    texts.put("a comment", "/* note */ " + base);
    texts.put("duplicate field", duplicateFirstField(valid.get()));
    texts.put("unknown extra field", withRaw(valid.get(), "/bogus", "1"));
    texts.put(DEEP + " nested arrays", "[".repeat(DEEP) + "]".repeat(DEEP));
    texts.put(DEEP + " nested objects", "{\"a\":".repeat(DEEP) + "1" + "}".repeat(DEEP));
    texts.put(DEEP + " nested arrays in " + firstText, withRaw(valid.get(), firstText, "[".repeat(DEEP) + "]".repeat(DEEP)));
    texts.put("5 MB string in " + firstText, withRaw(valid.get(), firstText, JSON.writeValueAsString("a".repeat(HUGE))));
    texts.put("5 MB of spaces", " ".repeat(HUGE) + base);
    texts.put("a 100000-digit number in " + firstText, withRaw(valid.get(), firstText, "1".repeat(LONG)));
    texts.put("1e999999999 in " + firstText, withRaw(valid.get(), firstText, "1e999999999"));
    texts.put("invalid UTF-8 outside strings", BAD_UTF8 + base);
    for (Map.Entry<String, String> t : texts.entrySet()) {
      probes.add(new Probe(key, method, target, bytes(t.getValue()), "application/json", Map.of(), t.getKey(), false));
    }
    // The right body in the wrong form.
    for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded")) {
      probes.add(new Probe(key, method, target, bytes(base), type, Map.of(), "valid JSON as " + type, false));
    }
    probes.add(new Probe(key, method, target, bytes("<name>x</name>"), "application/xml", Map.of(), "an XML body", false));
    probes.add(new Probe(key, method, target, bytes("name=x&password=y"), "application/x-www-form-urlencoded", Map.of(),
        "a form body", false));

    // Each field: every type it is not, and strings it must not take.
    for (Field f : fields(schema, "", valid.get())) {
      String ignoredWhy = IGNORED_FIELDS.get(key + " " + f.pointer());
      for (Map.Entry<String, String> sample : List.of(Map.entry("number", "42"), Map.entry("boolean", "true"),
          Map.entry("array", "[\"x\"]"), Map.entry("object", "{\"x\": \"y\"}"), Map.entry("null", "null"),
          Map.entry("string", "\"text\""))) {
        if (f.kinds().isEmpty() || allows(f.kinds(), sample.getKey())) {
          continue;
        }
        // null for an optional field is read as the field being absent
        boolean mayPass = sample.getKey().equals("null") && !f.required();
        probes.add(new Probe(key, method, target, bytes(withRaw(valid.get(), f.pointer(), sample.getValue())),
            "application/json", Map.of(), f.pointer() + " = " + sample.getKey(), mayPass));
      }
      if (f.kinds().contains("string")) {
        String current = valid.get().at(f.pointer()).isTextual() ? valid.get().at(f.pointer()).asText() : "x";
        Map<String, String> strings = new LinkedHashMap<>();
        if (f.schema().has("enum")) {
          strings.put("not one of " + f.schema().get("enum"), "no-such-value");
        }
        if (f.schema().has("pattern")) {
          strings.put("not matching " + f.schema().get("pattern").asText(), "zz-not-matching");
        }
        strings.put("empty string", "");
        strings.put("blank string", "   ");
        strings.put(LONG + "-char string", "a".repeat(LONG));
        strings.put("invalid UTF-8 in the string", current.substring(0, current.length() / 2) + BAD_UTF8
            + current.substring(current.length() / 2));
        strings.put("NUL in the string", current + "\u0000");
        for (Map.Entry<String, String> s : strings.entrySet()) {
          boolean mayPass = ignoredWhy != null && !s.getValue().isEmpty();
          probes.add(new Probe(key, method, target, bytes(withRaw(valid.get(), f.pointer(), JSON.writeValueAsString(
              s.getValue()))), "application/json", Map.of(), f.pointer() + " = " + s.getKey(), mayPass));
        }
      }
      if (f.kinds().equals(Set.of("object")) && f.schema().has("properties")) {
        probes.add(new Probe(key, method, target, bytes(withRaw(valid.get(), f.pointer() + "/bogus", "1")),
            "application/json", Map.of(), "unknown field " + f.pointer() + "/bogus", false));
      }
    }
    return probes;
  }

  /** One field of a body schema: where it is, its schema, the JSON types it takes, and whether it is required. */
  record Field(String pointer, JsonNode schema, Set<String> kinds, boolean required) {}

  /** The fields of an object schema, and of the objects in it, depth first. */
  private List<Field> fields(JsonNode schema, String at, ObjectNode valid) {
    List<Field> fields = new ArrayList<>();
    Set<String> required = new HashSet<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
      JsonNode s = resolve(p.getValue());
      String pointer = at + "/" + p.getKey();
      Set<String> kinds = kinds(s);
      fields.add(new Field(pointer, s, kinds, required.contains(p.getKey())));
      if (kinds.equals(Set.of("object"))) {
        if (s.has("properties")) {
          fields.addAll(fields(s, pointer, valid));
        } else if (s.path("additionalProperties").isObject() && valid.at(pointer) instanceof ObjectNode map
            && map.size() > 0) {
          // a map: its first entry stands for all
          String entry = map.fieldNames().next();
          JsonNode es = resolve(s.get("additionalProperties"));
          fields.add(new Field(pointer + "/" + entry, es, kinds(es), false));
        }
      }
    }
    return fields;
  }

  /** Values outside a query parameter's schema. */
  private static List<String> badValues(JsonNode schema) {
    List<String> values = new ArrayList<>();
    Set<String> kinds = kinds(schema);
    if (kinds.contains("integer") || kinds.contains("number")) {
      values.addAll(List.of("abc", "", "1.5", "-1", "99999999999999999999", "-", "%00", "%zz", "1%20"));
      if (schema.has("minimum")) {
        values.add(Long.toString(schema.get("minimum").asLong() - 1));
      }
      if (schema.has("maximum")) {
        values.add(Long.toString(schema.get("maximum").asLong() + 1));
      }
    }
    if (schema.has("enum")) {
      values.add("no-such-value");
    }
    return values;
  }

  // ---- the tests

  @Test
  @Order(1)
  void everyRouteRefusesBadRequestsWithAProblem() throws Exception {
    long started = System.nanoTime();
    List<String> gaps = new ArrayList<>();
    Map<String, List<Probe>> batteries = new LinkedHashMap<>();
    for (Route route : fixture.routes().table()) {
      batteries.put(key(route), battery(route, gaps));
    }
    assertThat(gaps).as("the battery cannot be built for every route").isEmpty();

    List<String> failures = new ArrayList<>();
    Map<String, Map<Integer, Integer>> statuses = new LinkedHashMap<>();
    // Not failures, but worth knowing: refusals that echo a huge input back in full.
    List<String> echoes = new ArrayList<>();
    int sent = 0;
    for (Map.Entry<String, List<Probe>> b : batteries.entrySet()) {
      Map<Integer, Integer> seen = statuses.computeIfAbsent(b.getKey(), k -> new TreeMap<>());
      for (Probe probe : b.getValue()) {
        Answer answer = send(probe);
        sent++;
        seen.merge(answer.status(), 1, Integer::sum);
        failures.addAll(issues(probe, answer));
        if (VERBOSE) {
          System.out.printf("%4d  %s  %s%n", answer.status(), probe.summary(), abbreviate(answer.body()));
        }
        if (answer.status() >= 400 && answer.body().length() > 2_000) {
          echoes.add(probe.route() + " [" + probe.what() + "]: " + answer.body().length() + " chars");
        }
        undo(probe, answer);
      }
    }
    Route logout = fixture.routes().table().stream().filter(r -> key(r).equals("POST /logout")).findFirst().orElseThrow();
    assertThat(logout.access()).isEqualTo(Access.USER); // sanity: it takes no input and is not probed (it would end our token)

    List<String> untouched = batteries.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey)
        .toList();
    String report = report(statuses, batteries, untouched, sent, started);
    System.out.println(report);
    System.out.println("Refusals longer than 2000 characters (they echo the input): " + echoes.size() + "\n  "
        + String.join("\n  ", echoes));
    assertThat(failures).as("%d of %d bad requests over %d routes were not answered with a 4xx problem:%n%s%n%s",
        failures.size(), sent, batteries.size(), String.join("\n", failures), report).isEmpty();
  }

  @Test
  @Order(2)
  void requestsThatReadWellButAskForTheImpossibleAre4xxProblems() throws Exception {
    List<Probe> probes = new ArrayList<>();
    // connections
    probes.add(semantic("POST /connection", "POST", "/connection", connectionBody(meter, METER_IFACE, meter, METER_IFACE),
        "both endpoints the same process and interface"));
    probes.add(semantic("POST /connection", "POST", "/connection",
        connectionBody(logger, LOGGER_IFACE, logger, LOGGER_OTHER_IFACE), "both endpoints the same process"));
    probes.add(semantic("POST /connection", "POST", "/connection",
        connectionBody(meter, METER_IFACE, logger, LOGGER_OTHER_IFACE), "incompatible interfaces"));
    probes.add(semantic("POST /connection", "POST", "/connection",
        connectionBody(meter, METER_IFACE, logger, TestImages.LOGGER + "/no-such-interface"), "unknown interface"));
    probes.add(semantic("POST /connection", "POST", "/connection",
        connectionBody(meter, METER_IFACE, logger, METER_IFACE), "the other service's interface"));
    probes.add(semantic("POST /connection", "POST", "/connection",
        connectionBody(meter, METER_IFACE, spareLogger, LOGGER_IFACE), "the same connection again"));
    probes.add(semantic("POST /connection", "POST", "/connection",
        connectionBody(meter, METER_IFACE, UNKNOWN_ID, LOGGER_IFACE), "unknown process"));
    // processes
    probes.add(semantic("POST /process", "POST", "/process", "{\"serviceId\": \"defpi-test-no-such-service\"}",
        "unknown serviceId"));
    probes.add(semantic("POST /process", "POST", "/process", "{\"serviceId\": \"Not/A Service\"}",
        "serviceId that cannot be an image name"));
    probes.add(semantic("POST /process", "POST", "/process",
        "{\"serviceId\": \"" + TestImages.METER + "\", \"version\": \"9.9.9\"}", "unknown version"));
    probes.add(semantic("POST /process", "POST", "/process",
        "{\"serviceId\": \"" + TestImages.METER + "\", \"version\": \"not a tag!\"}", "version that cannot be a tag"));
    probes.add(semantic("POST /process", "POST", "/process",
        "{\"serviceId\": \"" + TestImages.METER + "\", \"configuration\": {\"no-such-key\": \"1\"}}",
        "unknown configuration key"));
    probes.add(semantic("POST /process", "POST", "/process",
        "{\"serviceId\": \"" + TestImages.METER + "\", \"configuration\": {\"count\": \"many\"}}",
        "configuration value of the wrong type"));
    probes.add(semantic("POST /process", "POST", "/process",
        "{\"serviceId\": \"" + TestImages.METER + "\", \"userId\": \"" + UNKNOWN_ID + "\"}", "unknown userId"));
    String gone = newProcess(TestImages.METER);
    ok(admin("DELETE", "/process/" + gone, null), 204);
    probes.add(semantic("DELETE /process/{id}", "DELETE", "/process/" + gone, null, "a process deleted already"));
    probes.add(semantic("GET /process/{id}", "GET", "/process/" + gone, null, "a process deleted already"));
    probes.add(semantic("GET /process/{id}/log", "GET", "/process/" + gone + "/log", null, "a process deleted already"));
    probes.add(new Probe("PUT /process/trigger/{id}", "PUT", "/process/trigger/" + meter, null, null,
        Map.of("X-Auth-Token", "not-the-token"), "the wrong process token", false));
    // nodes and pools
    probes.add(semantic("PUT /node/{id}", "PUT", "/node/" + nodeId, "{\"kind\": \"public\"}", "public without poolId"));
    probes.add(semantic("PUT /node/{id}", "PUT", "/node/" + nodeId, "{\"kind\": \"public\", \"poolId\": \"" + UNKNOWN_ID
        + "\"}", "public in an unknown pool"));
    probes.add(semantic("PUT /node/{id}", "PUT", "/node/" + nodeId, "{\"kind\": \"private\"}", "private without userId"));
    probes.add(semantic("PUT /node/{id}", "PUT", "/node/" + nodeId, "{\"kind\": \"private\", \"userId\": \"" + UNKNOWN_ID
        + "\"}", "private for an unknown user"));
    probes.add(semantic("PUT /node/{id}", "PUT", "/node/" + nodeId, "{\"kind\": \"unidentified\", \"poolId\": \""
        + poolId + "\"}", "unidentified with a poolId"));
    probes.add(semantic("GET /node", "GET", "/node?kind=bogus", null, "unknown kind filter"));
    String taken = ok(admin("GET", "/nodepool/" + poolId, null), 200).path("name").asText();
    probes.add(semantic("POST /nodepool", "POST", "/nodepool", "{\"name\": \"" + taken + "\"}", "a name taken already"));
    probes.add(semantic("PUT /nodepool/{id}", "PUT", "/nodepool/" + renamedPoolId, "{\"name\": \"" + taken + "\"}",
        "a name taken already"));
    String goneAway = newPool();
    ok(admin("DELETE", "/nodepool/" + goneAway, null), 204);
    probes.add(semantic("DELETE /nodepool/{id}", "DELETE", "/nodepool/" + goneAway, null, "a pool deleted already"));
    // users
    probes.add(semantic("POST /user", "POST", "/user", "{\"name\": \"shorty\", \"password\": \"x\"}", "a 1-char password"));
    probes.add(semantic("POST /user", "POST", "/user", "{\"name\": \"" + victimName + "\", \"password\": \"long-enough-1\"}",
        "a name taken already"));
    probes.add(semantic("POST /user", "POST", "/user", "{\"name\": \"me\", \"password\": \"long-enough-1\"}", "the name me"));
    probes.add(semantic("POST /user", "POST", "/user", "{\"name\": \"Upper Case\", \"password\": \"long-enough-1\"}",
        "a name outside a-z0-9._-"));
    probes.add(semantic("PUT /user/{id}", "PUT", "/user/" + victimId, "{\"email\": \"not-an-email\"}", "not an email"));
    probes.add(semantic("PUT /user/{id}", "PUT", "/user/" + victimId, "{\"password\": \"short\"}", "a short password"));
    probes.add(semantic("PUT /user/{id}", "PUT", "/user/me", "{\"password\": \"another-password\"}",
        "own password without currentPassword"));
    probes.add(semantic("DELETE /user/{id}", "DELETE", "/user/" + fixture.adminId(), null, "deleting yourself"));
    probes.add(semantic("POST /login", "POST", "/login", "{\"name\": \"" + victimName + "\", \"password\": \"wrong-one\"}",
        "a wrong password"));
    probes.add(semantic("POST /login", "POST", "/login", "{\"name\": \"nobody\", \"password\": \"wrong-one\"}",
        "an unknown user"));
    // credentials that are not even well-formed: 401, whatever the store makes of them
    for (Map.Entry<String, String> authorization : Map.of(
        "Basic with a NUL in the name", "Basic " + base64("adm\u0000in:" + PASSWORD),
        "Basic that is not base64", "Basic !!!not-base64!!!",
        "Basic without a colon", "Basic " + base64("admin"),
        "Basic with a 4 000-char name", "Basic " + base64("a".repeat(4_000) + ":x"),
        "Bearer without a token", "Bearer",
        "Bearer with a 5 000-char token", "Bearer " + "a".repeat(5_000),
        "an unknown scheme", "Digest username=admin").entrySet()) {
      probes.add(new Probe("GET /user/me", "GET", "/user/me", null, null,
          Map.of("Authorization", authorization.getValue()), authorization.getKey(), false));
    }
    // pending changes
    String change = fixture.newPendingChange(meter, fixture.adminId());
    ok(admin("DELETE", "/pendingchange/" + change, null), 204);
    probes.add(semantic("DELETE /pendingchange/{id}", "DELETE", "/pendingchange/" + change, null,
        "a change cancelled already"));

    // The pool with the node in it cannot go; the fixture puts the node back when it closes.
    ok(admin("PUT", "/node/" + nodeId, "{\"kind\": \"public\", \"poolId\": \"" + poolId + "\"}"), 200);
    probes.add(semantic("DELETE /nodepool/{id}", "DELETE", "/nodepool/" + poolId, null, "a pool with a node in it"));

    List<String> failures = new ArrayList<>();
    StringBuilder seen = new StringBuilder();
    for (Probe probe : probes) {
      Answer answer = send(probe);
      failures.addAll(issues(probe, answer));
      undo(probe, answer);
      seen.append(String.format("%4d  %s%n", answer.status(), probe.summary()));
    }
    System.out.println(seen);
    assertThat(failures).as("%d of %d requests asking for the impossible were not answered with a 4xx problem:%n%s",
        failures.size(), probes.size(), String.join("\n", failures)).isEmpty();
  }

  private Probe semantic(String route, String method, String target, String body, String what) throws IOException {
    return new Probe(route, method, target, body == null ? null : bytes(body), body == null ? null : "application/json",
        Map.of(), what, false);
  }

  // ---- judging an answer

  /** What is wrong with an answer to a probe, as one line (route | request | status | issues | body); empty if nothing. */
  private static List<String> issues(Probe probe, Answer a) {
    List<String> issues = new ArrayList<>();
    if (a.status() >= 200 && a.status() < 300) {
      if (!probe.mayPass()) {
        issues.add("accepted, should be refused with a 4xx");
      }
    } else {
      if (a.status() < 400 || a.status() >= 500) {
        issues.add(a.status() >= 500 ? "server error" : "not a 4xx");
      }
      issues.addAll(problemIssues(a));
    }
    return issues.isEmpty() ? List.of() : List.of(probe.route() + " | " + probe.summary() + " | " + a.status() + " | "
        + String.join("; ", issues) + " | " + abbreviate(a.body()));
  }

  private static List<String> problemIssues(Answer a) {
    List<String> issues = new ArrayList<>();
    if (a.contentType() == null || !a.contentType().startsWith(Routes.PROBLEM_JSON)) {
      issues.add("Content-Type " + a.contentType() + ", not " + Routes.PROBLEM_JSON);
    }
    JsonNode p;
    try {
      p = JSON.readTree(a.body());
    } catch (Exception e) {
      issues.add("body is not JSON");
      return issues;
    }
    if (p == null || !p.isObject()) {
      issues.add("body is not a JSON object");
      return issues;
    }
    for (String field : List.of("type", "title", "detail")) {
      if (!p.path(field).isTextual() || p.path(field).asText().isBlank()) {
        issues.add("problem has no " + field);
      }
    }
    if (!p.path("type").asText().startsWith(Routes.PROBLEM_TYPE_PREFIX)) {
      issues.add("problem type " + p.path("type") + " is not under " + Routes.PROBLEM_TYPE_PREFIX);
    }
    if (!p.path("status").isInt() || p.path("status").asInt() != a.status()) {
      issues.add("problem status " + p.path("status") + " is not the HTTP status " + a.status());
    }
    String detail = p.path("detail").asText();
    for (Map.Entry<String, Pattern> leak : LEAKS.entrySet()) {
      Matcher m = leak.getValue().matcher(detail);
      if (m.find()) {
        issues.add("detail shows " + leak.getKey() + " ('" + m.group() + "'): " + abbreviate(detail));
      }
    }
    return issues;
  }

  private static Map<String, Pattern> leaks() {
    Map<String, Pattern> l = new LinkedHashMap<>();
    l.put("an exception", Pattern.compile("Exception|\\b[A-Z][A-Za-z0-9]*Error\\b"));
    l.put("a stack trace", Pattern.compile("\\bat (org|java|com|io|jdk|sun)\\.|\\.java:\\d+\\)"));
    l.put("a Java package", Pattern.compile("\\b(java|javax|jdk|sun)\\.[a-z]"));
    l.put("a qualified class name", Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.){2,}[A-Z][A-Za-z0-9_$]*"));
    l.put("a Java member", Pattern.compile("`[A-Z][A-Za-z0-9]*[.`]|\\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\\.[a-z][A-Za-z0-9]*\\("));
    l.put("a parser's source location", Pattern.compile("\\[Source: |REDACTED"));
    l.put("SQL", Pattern.compile("\\b(SELECT|INSERT INTO|DELETE FROM|UPDATE \\w+ SET|WHERE)\\b"
        + "|(?i)sqlstate|jdbc|\\bh2\\b|org\\.postgresql|primary key|unique index|\\bconstraint\\b"));
    return l;
  }

  /** After a probe that was let through: take back what it made, so later probes meet the same world. */
  private void undo(Probe probe, Answer a) throws Exception {
    if (!probe.method().equals("POST") || a.status() != 201 || probe.route().equals("POST /login")) {
      return;
    }
    String id = JSON.readTree(a.body()).path("id").asText();
    if (id.isEmpty()) {
      return;
    }
    String path = probe.target().contains("?") ? probe.target().substring(0, probe.target().indexOf('?')) : probe.target();
    if (path.equals("/process")) {
      fixture.removeOnClose(id);
    }
    admin("DELETE", path + "/" + id, null);
  }

  private String report(Map<String, Map<Integer, Integer>> statuses, Map<String, List<Probe>> batteries,
      List<String> untouched, int sent, long started) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("%-28s %6s  %s%n", "route", "probes", "statuses"));
    statuses.forEach((route, seen) -> {
      if (!batteries.get(route).isEmpty()) {
        b.append(String.format("%-28s %6d  %s%n", route, batteries.get(route).size(), seen));
      }
    });
    b.append(String.format("%d probes over %d of %d routes in %.1f s; no input to break: %s",
        sent, batteries.size() - untouched.size(), batteries.size(), (System.nanoTime() - started) / 1e9, untouched));
    return b.toString();
  }

  // ---- sending

  private Answer send(Probe p) throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Bearer " + adminToken);
    if (processRoutes.contains(p.route())) {
      headers.put("X-Auth-Token", "junk-token");
    }
    headers.putAll(p.headers());
    if (p.contentType() != null) {
      headers.put("Content-Type", p.contentType());
    }
    URI uri;
    try {
      uri = new URI("http://127.0.0.1:" + fixture.port() + p.target());
      if (!uri.toASCIIString().equals(uri.toString())) {
        uri = null; // non-ASCII: HttpClient would escape it; sent raw below
      }
    } catch (Exception e) {
      uri = null; // not a URI (a malformed escape): sent as is below
    }
    if (uri == null) {
      return raw(p.method(), p.target(), headers, p.body());
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .method(p.method(), p.body() == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(p.body()));
    headers.forEach(b::header);
    try {
      HttpResponse<String> r = fixture.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body());
    } catch (IOException e) {
      // e.g. the server answered before reading a big body and closed: read its answer the raw way
      return raw(p.method(), p.target(), headers, p.body());
    }
  }

  /** HTTP/1.1 over a plain socket, for request-targets java.net.http will not send as they are. */
  private Answer raw(String method, String target, Map<String, String> headers, byte[] body) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", fixture.port())) {
      socket.setSoTimeout(30_000);
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      head.write((method + " ").getBytes(StandardCharsets.US_ASCII));
      head.write(target.getBytes(StandardCharsets.UTF_8));
      StringBuilder h = new StringBuilder(" HTTP/1.1\r\nHost: 127.0.0.1:" + fixture.port() + "\r\nConnection: close\r\n");
      headers.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
      h.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n\r\n");
      head.write(h.toString().getBytes(StandardCharsets.US_ASCII));
      OutputStream out = socket.getOutputStream();
      out.write(head.toByteArray());
      try {
        if (body != null) {
          out.write(body);
        }
        out.flush();
      } catch (IOException e) {
        // the server may answer and close before reading it all
      }
      byte[] all;
      try (InputStream in = socket.getInputStream()) {
        all = in.readAllBytes();
      } catch (IOException e) {
        return new Answer(-1, null, "no answer: " + e.getMessage());
      }
      return parse(all);
    }
  }

  private static Answer parse(byte[] all) {
    String text = new String(all, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return new Answer(-1, null, "no answer: " + abbreviate(text));
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
    }
    byte[] rest = java.util.Arrays.copyOfRange(all, end + 4, all.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      int i = 0;
      while (i < rest.length) {
        int lineEnd = indexOf(rest, i);
        int size = Integer.parseInt(new String(rest, i, lineEnd - i, StandardCharsets.US_ASCII).split(";")[0].strip(), 16);
        if (size == 0) {
          break;
        }
        body.write(rest, lineEnd + 2, size);
        i = lineEnd + 2 + size + 2;
      }
      rest = body.toByteArray();
    }
    return new Answer(status, headers.get("content-type"), new String(rest, StandardCharsets.UTF_8));
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i < bytes.length - 1; i++) {
      if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
        return i;
      }
    }
    return bytes.length;
  }

  private HttpResponse<String> admin(String method, String path, String body) throws Exception {
    return fixture.send(method, path, body, "Bearer " + adminToken);
  }

  // ---- building

  private String newProcess(String serviceId) throws Exception {
    String id = ok(admin("POST", "/process", "{\"serviceId\": \"" + serviceId + "\"}"), 201).path("id").asText();
    fixture.removeOnClose(id);
    return id;
  }

  private String newPool() throws Exception {
    return ok(admin("POST", "/nodepool", "{\"name\": \"malformed-pool-" + serial.incrementAndGet() + "\"}"), 201)
        .path("id").asText();
  }

  private static ObjectNode object(String... namesAndValues) {
    ObjectNode o = JSON.createObjectNode();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      o.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return o;
  }

  private static JsonNode readTree(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  /** The body's text with the value at {@code pointer} (made if missing) replaced by raw JSON text. */
  private static String withRaw(ObjectNode body, String pointer, String raw) throws IOException {
    ObjectNode copy = body.deepCopy();
    JsonPointer p = JsonPointer.compile(pointer);
    ObjectNode parent = p.head().matches() ? copy : copy.withObject(p.head());
    parent.put(p.last().getMatchingProperty(), PLACEHOLDER);
    return JSON.writeValueAsString(copy).replace(JSON.writeValueAsString(PLACEHOLDER), raw);
  }

  /** The body's text with its first field given twice. */
  private static String duplicateFirstField(ObjectNode body) throws IOException {
    String name = body.fieldNames().next();
    return "{" + JSON.writeValueAsString(name) + ": " + JSON.writeValueAsString(body.get(name)) + ", "
        + JSON.writeValueAsString(body).substring(1);
  }

  /** The pointer of the first string value in a body, depth first. */
  private static String firstText(JsonNode node, String at) {
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (e.getValue().isTextual()) {
        return at + "/" + e.getKey();
      }
      if (e.getValue().isObject()) {
        String inner = firstText(e.getValue(), at + "/" + e.getKey());
        if (inner != null) {
          return inner;
        }
      }
    }
    return at.isEmpty() ? "/name" : null;
  }

  /** UTF-8, with each {@link #BAD_UTF8} as bytes that are never UTF-8. */
  private static byte[] bytes(String text) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 16);
    String[] parts = text.split(Pattern.quote(BAD_UTF8), -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        out.write(BAD_UTF8_BYTES);
      }
      out.write(parts[i].getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  // ---- reading the OpenAPI document

  private JsonNode resolve(JsonNode schema) {
    JsonNode s = schema;
    while (s.has("$ref")) {
      s = openApi.at(s.get("$ref").asText().substring(1));
    }
    if (s.has("allOf")) {
      ObjectNode merged = JSON.createObjectNode();
      s.get("allOf").forEach(part -> merged.setAll((ObjectNode) resolve(part)));
      s.properties().forEach(e -> {
        if (!e.getKey().equals("allOf")) {
          merged.set(e.getKey(), e.getValue());
        }
      });
      return merged;
    }
    return s;
  }

  /** The JSON types a schema takes; empty if it does not say. */
  private static Set<String> kinds(JsonNode schema) {
    Set<String> kinds = new TreeSet<>();
    JsonNode type = schema.path("type");
    if (type.isTextual()) {
      kinds.add(type.asText());
    } else if (type.isArray()) {
      type.forEach(t -> kinds.add(t.asText()));
    } else if (schema.has("enum")) {
      schema.get("enum").forEach(v -> kinds.add(v.isTextual() ? "string" : v.isNumber() ? "number"
          : v.isBoolean() ? "boolean" : v.isNull() ? "null" : "object"));
    }
    return kinds;
  }

  private static boolean allows(Set<String> kinds, String kind) {
    return kinds.contains(kind) || kind.equals("number") && kinds.contains("integer");
  }

  private List<JsonNode> parameters(String path, JsonNode operation) {
    List<JsonNode> all = new ArrayList<>();
    openApi.path("paths").path(path).path("parameters").forEach(p -> all.add(resolve(p)));
    operation.path("parameters").forEach(p -> all.add(resolve(p)));
    return all;
  }

  private boolean hasQueryParameters(String path, JsonNode operation) {
    return parameters(path, operation).stream().anyMatch(p -> "query".equals(p.path("in").asText()));
  }

  private static List<String> pathParams(String path) {
    List<String> names = new ArrayList<>();
    Matcher m = Pattern.compile("\\{([^}]+)}").matcher(path);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static String fill(String path, Map<String, String> values) {
    String result = path;
    for (Map.Entry<String, String> v : values.entrySet()) {
      result = result.replace("{" + v.getKey() + "}", v.getValue());
    }
    return result;
  }

  private static Map<String, String> junkIds() {
    Map<String, String> j = new LinkedHashMap<>();
    j.put("an unknown id", UNKNOWN_ID);
    j.put("a non-hex id", "zzzzzzzzzzzzzzzzzzzzzzzz");
    j.put("a word", "not-an-id");
    j.put("a 1 000-char id", "a".repeat(1_000)); // still fits in the request line: reaches the route
    j.put("a 10 000-char id", "a".repeat(10_000));
    j.put("%00", "%00");
    j.put("%ff", "%ff");
    j.put("%2e%2e", "%2e%2e");
    j.put("an escaped slash", "a%2fb");
    j.put("a malformed escape %zz", "%zz");
    j.put("escaped unicode", "%C3%BCn%C3%AFc%C3%B8d%C3%A9-%E2%98%83");
    j.put("raw unicode", "ünïcødé-☃");
    j.put("spaces", "with%20spaces%20in%20it");
    j.put("a blank", "%20");
    return Collections.unmodifiableMap(j);
  }

  // ---- plumbing

  private static String base64(String text) {
    return java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String key(Route r) {
    return r.method().name() + " " + r.path();
  }

  /** On one line, runs of one character shortened ("a…(100000×)"), at most 200 characters. */
  private static String abbreviate(String s) {
    String oneLine = REPEATS.matcher(s.replace('\n', ' ').replace('\r', ' '))
        .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "…(" + m.group().length() + "×)"));
    return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
  }

  private static final Pattern REPEATS = Pattern.compile("(.)\\1{19,}");
}
