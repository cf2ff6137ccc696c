package org.defpi.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.time.Instant;
import java.util.Optional;
import org.defpi.orchestrator.TestData;
import org.defpi.orchestrator.api.OpenApi.Operation;
import org.defpi.orchestrator.connection.Connection;
import org.defpi.orchestrator.connection.ConnectionManager;
import org.defpi.orchestrator.connection.ConnectionState;
import org.defpi.orchestrator.connection.Endpoint;
import org.defpi.orchestrator.layout.Position;
import org.defpi.orchestrator.node.Node;
import org.defpi.orchestrator.node.NodeKind;
import org.defpi.orchestrator.node.NodePool;
import org.defpi.orchestrator.node.NodeStatus;
import org.defpi.orchestrator.process.Mount;
import org.defpi.orchestrator.process.Placement;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.process.PublishedPort;
import org.defpi.orchestrator.node.Resources;
import org.defpi.orchestrator.process.Target;
import org.defpi.orchestrator.process.ProcessState;
import org.defpi.orchestrator.process.Token;
import org.defpi.orchestrator.traffic.ConnectionReport;
import org.defpi.orchestrator.traffic.ConnectionTraffic;
import org.defpi.orchestrator.traffic.Counters;
import org.defpi.orchestrator.traffic.EndTraffic;
import org.defpi.orchestrator.traffic.ProcessTraffic;
import org.defpi.orchestrator.traffic.Rates;
import org.junit.jupiter.api.Test;

/** The OpenAPI document against the API contract: complete, valid, and saying who may call what. */
class OpenApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OpenApi API = new OpenApi("9.8.7-test");

  /** The contract's route table: method, path, access. */
  private static final List<Operation> CONTRACT = List.of(
      op("GET", "/health", "public"),
      op("GET", "/version", "public"),
      op("GET", "/openapi.json", "public"),
      op("GET", "/docs", "public"),
      op("POST", "/login", "public"),
      op("POST", "/logout", "user"),
      op("GET", "/user/me", "user"),
      op("GET", "/user", "admin"),
      op("POST", "/user", "admin"),
      op("GET", "/user/{id}", "user"),
      op("PUT", "/user/{id}", "user"),
      op("DELETE", "/user/{id}", "admin"),
      op("GET", "/service", "user"),
      op("GET", "/service/{id}", "user"),
      op("GET", "/interface", "user"),
      op("POST", "/process", "user"),
      op("GET", "/process", "user"),
      op("GET", "/process/{id}", "user"),
      op("GET", "/process/{id}/log", "user"),
      op("DELETE", "/process/{id}", "user"),
      op("PUT", "/process/trigger/{id}", "process"),
      op("POST", "/connection", "user"),
      op("GET", "/connection", "user"),
      op("GET", "/connection/{id}", "user"),
      op("DELETE", "/connection/{id}", "user"),
      op("GET", "/node", "user"),
      op("GET", "/node/{id}", "user"),
      op("PUT", "/node/{id}", "admin"),
      op("GET", "/nodepool", "user"),
      op("POST", "/nodepool", "admin"),
      op("GET", "/nodepool/{id}", "user"),
      op("PUT", "/nodepool/{id}", "admin"),
      op("DELETE", "/nodepool/{id}", "admin"),
      op("GET", "/pendingchange", "user"),
      op("GET", "/pendingchange/{id}", "user"),
      op("DELETE", "/pendingchange/{id}", "user"));

  /** Routes the document has beyond the contract's table; the web UI's pages are not API, but served as /docs is. */
  private static final List<Operation> EXTRA = List.of(op("GET", "/docs/{file}", "public"), op("GET", "/events", "user"),
      op("PUT", "/process/{id}", "user"), op("GET", "/status", "admin"), op("GET", "/", "public"),
      op("GET", "/assets/{file}", "public"), op("GET", "/user/me/layout", "user"), op("PUT", "/user/me/layout", "user"),
      op("POST", "/pendingchange/{id}/retry", "user"), op("GET", "/metrics", "admin"),
      op("PUT", "/process/{id}/traffic", "process"), op("GET", "/process/{id}/traffic", "user"),
      op("GET", "/traffic", "user"), op("POST", "/process/{id}/certificate", "process"));

  private static final Set<String> PROBLEM_STATUSES = Set.of("400", "401", "403", "404", "409", "422", "429", "502");

  private static Operation op(String method, String path, String access) {
    return new Operation(method, path, access);
  }

  private static JsonNode document() throws Exception {
    return JSON.readTree(API.json());
  }

  /** Calls {@code each} with every operation's method and node. */
  private static void forEachOperation(JsonNode document, BiConsumer<String, JsonNode> each) {
    for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
      for (Map.Entry<String, JsonNode> item : path.getValue().properties()) {
        if (!item.getKey().equals("parameters")) {
          each.accept(item.getKey().toUpperCase() + " " + path.getKey(), item.getValue());
        }
      }
    }
  }

  /** {@code node}, or what its {@code $ref} points at in the document. */
  private static JsonNode resolve(JsonNode document, JsonNode node) {
    while (node.has("$ref")) {
      String ref = node.get("$ref").asText();
      assertThat(ref).startsWith("#/");
      JsonNode target = document.at(ref.substring(1));
      assertThat(target.isMissingNode()).as("%s resolves", ref).isFalse();
      node = target;
    }
    return node;
  }

  @Test
  void theDocumentIsValidOpenApi31WithNoMessages() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIParser().readContents(API.json(), null, options);

    assertThat(result.getMessages()).isEmpty();
    assertThat(result.getOpenAPI()).isNotNull();
    assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
    assertThat(result.getOpenAPI().getInfo().getVersion()).isEqualTo("9.8.7-test");
  }

  @Test
  void theYamlAsWrittenIsValidToo() throws Exception {
    String yaml;
    try (var in = OpenApi.class.getResourceAsStream(OpenApi.RESOURCE)) {
      yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    SwaggerParseResult result = new OpenAPIParser().readContents(yaml, null, new ParseOptions());

    assertThat(result.getMessages()).isEmpty();
    assertThat(result.getOpenAPI().getPaths()).hasSize(API.operations().stream().map(Operation::path)
        .distinct().toList().size());
  }

  @Test
  void jsonCarriesEachInstancesBuildVersion() throws Exception {
    assertThat(document().at("/info/version").asText()).isEqualTo("9.8.7-test");
    assertThat(JSON.readTree(new OpenApi("1.0.0").json()).at("/info/version").asText()).isEqualTo("1.0.0");
    // another instance does not change the first
    assertThat(document().at("/info/version").asText()).isEqualTo("9.8.7-test");
    assertThat(document().at("/openapi").asText()).isEqualTo("3.1.0");
  }

  @Test
  void everyRouteOfTheContractIsDocumentedWithItsAccess() {
    assertThat(API.operations()).containsAll(CONTRACT);
    List<Operation> all = new ArrayList<>(CONTRACT);
    all.addAll(EXTRA);
    assertThat(API.operations()).containsExactlyInAnyOrderElementsOf(all);
  }

  @Test
  void operationsHaveUpperCaseMethodsAndJavalinPaths() {
    assertThat(API.operations()).allSatisfy(o -> {
      assertThat(o.method()).isIn("GET", "POST", "PUT", "DELETE");
      assertThat(o.path()).matches("/[a-z.]*(/([a-z]+|\\{[a-z]+\\}))*");
      assertThat(o.access()).isIn(OpenApi.ACCESS_LEVELS);
    });
    assertThat(API.operations()).doesNotHaveDuplicates();
  }

  @Test
  void everyOperationHasAnIdASummaryAccessA2xxAnd401UnlessPublic() throws Exception {
    JsonNode document = document();
    Set<String> ids = new HashSet<>();
    List<String> checked = new ArrayList<>();
    forEachOperation(document, (name, operation) -> {
      checked.add(name);
      assertThat(operation.path("operationId").asText()).as(name).matches("[a-z][A-Za-z]+");
      assertThat(ids.add(operation.get("operationId").asText())).as("unique operationId of %s", name).isTrue();
      String summary = operation.path("summary").asText();
      assertThat(summary).as(name).isNotBlank().doesNotContain("\n");
      String access = operation.path(OpenApi.ACCESS).asText();
      assertThat(access).as(name).isIn(OpenApi.ACCESS_LEVELS);

      List<String> statuses = new ArrayList<>();
      operation.get("responses").fieldNames().forEachRemaining(statuses::add);
      assertThat(statuses).as(name).anyMatch(s -> s.startsWith("2"));
      if (access.equals("public")) {
        assertThat(operation.get("security")).as(name).isEmpty();
      } else {
        assertThat(statuses).as(name).contains("401");
        assertThat(operation.get("security")).as(name).isNotEmpty();
      }
      if (access.equals("admin")) {
        assertThat(statuses).as("an admin route refuses users: %s", name).contains("403");
      }
    });
    assertThat(checked).hasSize(API.operations().size());
  }

  @Test
  void securityMatchesAccess() throws Exception {
    JsonNode document = document();
    JsonNode schemes = document.at("/components/securitySchemes");
    assertThat(schemes.at("/bearer/type").asText()).isEqualTo("http");
    assertThat(schemes.at("/bearer/scheme").asText()).isEqualTo("bearer");
    assertThat(schemes.at("/basic/type").asText()).isEqualTo("http");
    assertThat(schemes.at("/basic/scheme").asText()).isEqualTo("basic");
    assertThat(schemes.at("/processToken/type").asText()).isEqualTo("apiKey");
    assertThat(schemes.at("/processToken/in").asText()).isEqualTo("header");
    assertThat(schemes.at("/processToken/name").asText()).isEqualTo("X-Auth-Token");

    forEachOperation(document, (name, operation) -> {
      Set<String> used = new HashSet<>();
      operation.get("security").forEach(requirement -> requirement.fieldNames().forEachRemaining(used::add));
      switch (operation.get(OpenApi.ACCESS).asText()) {
        case "public" -> assertThat(used).as(name).isEmpty();
        case "process" -> assertThat(used).as(name).containsExactly("processToken");
        default -> assertThat(used).as(name).containsExactlyInAnyOrder("bearer", "basic");
      }
    });
  }

  @Test
  void errorsAreProblems() throws Exception {
    JsonNode document = document();
    forEachOperation(document, (name, operation) -> operation.get("responses").properties().forEach(r -> {
      if (PROBLEM_STATUSES.contains(r.getKey())) {
        JsonNode response = resolve(document, r.getValue());
        assertThat(response.path("content").has("application/problem+json")).as("%s %s", name, r.getKey()).isTrue();
        assertThat(response.at("/content/application~1problem+json/schema/$ref").asText())
            .isEqualTo("#/components/schemas/Problem");
      }
    }));
    JsonNode problem = document.at("/components/schemas/Problem");
    assertThat(problem.get("required")).extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("type", "title", "status", "detail", "instance");
    assertThat(resolve(document, document.at("/components/responses/Unauthorized")).at("/headers").has("WWW-Authenticate"))
        .isTrue();
    assertThat(document.at("/paths/~1login/post/responses/429/$ref").asText())
        .isEqualTo("#/components/responses/TooManyRequests");
    assertThat(document.at("/components/responses/TooManyRequests/headers").has("Retry-After")).isTrue();
  }

  @Test
  void theStatusesTheContractNamesAreDocumented() throws Exception {
    JsonNode document = document();
    Map<String, List<String>> expected = Map.ofEntries(
        Map.entry("POST /login", List.of("201", "400", "401", "429")),
        Map.entry("POST /logout", List.of("204", "401")),
        Map.entry("POST /user", List.of("201", "400", "401", "403", "409")),
        Map.entry("GET /user/{id}", List.of("200", "401", "404")),
        Map.entry("PUT /user/{id}", List.of("200", "400", "401", "403", "404")),
        Map.entry("DELETE /user/{id}", List.of("204", "401", "403", "404", "409")),
        Map.entry("GET /service", List.of("200", "400", "401", "502")),
        Map.entry("POST /process", List.of("201", "400", "401", "403", "422", "502")),
        Map.entry("GET /process/{id}/log", List.of("200", "400", "401", "404")),
        Map.entry("DELETE /process/{id}", List.of("204", "401", "404")),
        Map.entry("PUT /process/trigger/{id}", List.of("204", "401", "403")),
        Map.entry("PUT /process/{id}/traffic", List.of("204", "400", "401", "403", "404")),
        Map.entry("GET /process/{id}/traffic", List.of("200", "401", "404")),
        Map.entry("GET /traffic", List.of("200", "400", "401", "403")),
        Map.entry("POST /connection", List.of("201", "400", "401", "409", "422")),
        Map.entry("PUT /node/{id}", List.of("200", "400", "401", "403", "404", "422")),
        Map.entry("POST /nodepool", List.of("201", "400", "401", "403", "409")),
        Map.entry("PUT /nodepool/{id}", List.of("200", "400", "401", "403", "404", "409")),
        Map.entry("DELETE /nodepool/{id}", List.of("204", "401", "403", "404", "409")),
        Map.entry("DELETE /pendingchange/{id}", List.of("204", "401", "404", "409")),
        Map.entry("POST /pendingchange/{id}/retry", List.of("200", "401", "404", "409")),
        Map.entry("GET /user/me/layout", List.of("200", "400", "401")),
        Map.entry("PUT /user/me/layout", List.of("204", "400", "401", "404")));
    forEachOperation(document, (name, operation) -> {
      List<String> statuses = new ArrayList<>();
      operation.get("responses").fieldNames().forEachRemaining(statuses::add);
      if (expected.containsKey(name)) {
        assertThat(statuses).as(name).containsAll(expected.get(name));
      }
      if (name.contains("{")) {
        assertThat(statuses).as("%s has an id to look up", name).contains("404");
      }
    });
  }

  @Test
  void listsArePagedSortedFilteredAndCounted() throws Exception {
    JsonNode document = document();
    List<String> lists = new ArrayList<>();
    forEachOperation(document, (name, operation) -> {
      JsonNode ok = resolve(document, operation.path("responses").path("200"));
      JsonNode schema = ok.at("/content/application~1json/schema");
      // GET /traffic is a live snapshot, answered whole (what the canvas and defpi top poll), not a list
      if (!schema.path("type").asText().equals("array") || name.equals("GET /traffic")) {
        return;
      }
      lists.add(name);
      List<String> refs = new ArrayList<>();
      operation.get("parameters").forEach(p -> refs.add(p.path("$ref").asText()));
      assertThat(refs).as(name).allMatch(r -> r.startsWith("#/components/parameters/"))
          .contains("#/components/parameters/offset", "#/components/parameters/limit", "#/components/parameters/sort");
      assertThat(ok.at("/headers/X-Total-Count/$ref").asText()).as(name).isEqualTo("#/components/headers/X-Total-Count");
      assertThat(operation.get("responses").has("400")).as("%s refuses unknown parameters", name).isTrue();
      for (String ref : refs) {
        JsonNode parameter = resolve(document, JSON.createObjectNode().put("$ref", ref));
        assertThat(parameter.get("in").asText()).isEqualTo("query");
        if (!Set.of("offset", "limit", "sort").contains(parameter.get("name").asText())) {
          assertThat(parameter.at("/schema/type").asText()).as("filter %s repeats", ref).isEqualTo("array");
        }
      }
    });
    assertThat(lists).containsExactlyInAnyOrder("GET /user", "GET /service", "GET /interface", "GET /process",
        "GET /connection", "GET /node", "GET /nodepool", "GET /pendingchange");
    assertThat(document.at("/components/parameters/limit/schema/maximum").asInt()).isEqualTo(1000);
    assertThat(document.at("/components/parameters/limit/schema/default").asInt()).isEqualTo(100);
    assertThat(document.at("/components/parameters/offset/schema/default").asInt()).isEqualTo(0);
    assertThat(document.at("/components/parameters/nodeKindFilter/name").asText()).isEqualTo("kind");
  }

  @Test
  void requestBodiesRefuseUnknownFields() throws Exception {
    JsonNode document = document();
    List<String> withBodies = new ArrayList<>();
    forEachOperation(document, (name, operation) -> {
      if (!operation.has("requestBody")) {
        return;
      }
      withBodies.add(name);
      assertThat(operation.path("responses").has("413")).as(name + " documents 413 (body too large)").isTrue();
      assertThat(operation.path("responses").has("415")).as(name + " documents 415 (not JSON)").isTrue();
      JsonNode schema = resolve(document, operation.at("/requestBody/content/application~1json/schema"));
      assertClosed(document, schema, name);
    });
    assertThat(withBodies).containsExactlyInAnyOrder("POST /login", "POST /user", "PUT /user/{id}", "POST /process", "PUT /process/{id}",
        "POST /connection", "PUT /node/{id}", "POST /nodepool", "PUT /nodepool/{id}", "PUT /user/me/layout",
        "PUT /process/{id}/traffic", "POST /process/{id}/certificate");
  }

  /** The object and every object in its properties have {@code additionalProperties: false}. */
  private static void assertClosed(JsonNode document, JsonNode schema, String where) {
    assertThat(schema.path("type").asText()).as(where).isEqualTo("object");
    assertThat(schema.path("additionalProperties").isBoolean() && !schema.get("additionalProperties").asBoolean())
        .as("%s has additionalProperties: false", where).isTrue();
    schema.path("properties").properties().forEach(p -> {
      JsonNode property = resolve(document, p.getValue());
      if (property.path("type").asText().equals("object") && property.has("properties")) {
        assertClosed(document, property, where + "." + p.getKey());
      }
    });
  }

  @Test
  void theComponentsTheContractNamesExist() throws Exception {
    JsonNode schemas = document().at("/components/schemas");
    assertThat(schemas.has("User")).isTrue();
    assertThat(schemas.has("LoginRequest")).isTrue();
    assertThat(schemas.has("LoginAnswer")).isTrue();
    assertThat(schemas.has("Process")).isTrue();
    assertThat(schemas.has("NewProcess")).isTrue();
    assertThat(schemas.has("Connection")).isTrue();
    assertThat(schemas.has("NewConnection")).isTrue();
    assertThat(schemas.has("Node")).isTrue();
    assertThat(schemas.has("NodeAssignment")).isTrue();
    assertThat(schemas.has("Pool")).isTrue();
    assertThat(schemas.has("PendingChange")).isTrue();
    assertThat(schemas.has("Interface")).isTrue();
    assertThat(schemas.has("Problem")).isTrue();
    assertThat(fieldNames(schemas.at("/Service/properties")))
        .containsExactlyInAnyOrder("id", "name", "version", "interfaces", "parameters", "versions");
    assertThat(fieldNames(schemas.at("/User/properties")))
        .containsExactlyInAnyOrder("id", "name", "role", "email", "createdAt")
        .doesNotContain("password", "passwordHash");
    assertThat(fieldNames(schemas.at("/Process/properties"))).containsExactlyInAnyOrder(
        "id", "serviceId", "name", "version", "userId", "state", "reason", "configuration", "createdAt", "nodeId",
        "nodePoolId", "memoryMb", "cpus", "mounts", "ports", "runsOn", "tls", "interfaces");
    assertThat(fieldNames(schemas.at("/Connection/properties"))).containsExactlyInAnyOrder("id", "userId", "endpoint1",
        "endpoint2", "interfaceVersions", "state", "reason", "encrypted", "createdAt");
    // the TLS addition (docs/wire-additions.md): the answer holds certificates only, never a key
    assertThat(fieldNames(schemas.at("/IssuedCertificate/properties")))
        .containsExactlyInAnyOrder("certificate", "caCertificate", "notAfter", "renewAfter");
    assertThat(fieldNames(schemas.at("/CertificateRequest/properties"))).containsExactly("publicKey");
    assertThat(fieldNames(schemas.at("/Layout/properties"))).containsExactly("positions");
    assertThat(fieldNames(schemas.at("/PendingChange/properties"))).containsExactlyInAnyOrder("id", "kind",
        "processId", "connectionId", "userId", "state", "attempts", "maxAttempts", "lastError", "createdAt",
        "updatedAt", "notBefore");
  }

  @Test
  void everyPathParameterIsDeclared() throws Exception {
    JsonNode document = document();
    Pattern braces = Pattern.compile("\\{([a-z]+)\\}");
    for (Operation o : API.operations()) {
      JsonNode item = document.get("paths").get(o.path());
      Set<String> declared = new HashSet<>();
      for (JsonNode list : List.of(item.path("parameters"), item.path(o.method().toLowerCase()).path("parameters"))) {
        list.forEach(p -> {
          JsonNode parameter = resolve(document, p);
          if (parameter.get("in").asText().equals("path")) {
            declared.add(parameter.get("name").asText());
          }
        });
      }
      Set<String> inPath = new HashSet<>();
      Matcher m = braces.matcher(o.path());
      while (m.find()) {
        inPath.add(m.group(1));
      }
      assertThat(declared).as(o.toString()).isEqualTo(inPath);
    }
  }

  @Test
  void todaysViewsHaveTheDocumentedShapes() throws Exception {
    JsonNode document = document();
    Endpoint e1 = new Endpoint("65f0c0de1a2b3c4d5e6f7a8b", "meter/power", "v1", "aaaa", "bbbb", true, Optional.empty());
    Endpoint e2 = new Endpoint("65f0c0de1a2b3c4d5e6f7a8c", "logger/power", "v1", "bbbb", "aaaa", false,
        Optional.of("refused"));
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    Process failed = new Process("65f0c0de1a2b3c4d5e6f7a8b", "meter", "meter-1", "0.1.0", "65f0c0de1a2b3c4d5e6f7a80",
        ProcessState.FAILED, Optional.of("it crashed"), Map.of("interval", "10"), now,
        "127.0.0.1:5000/services/meter:0.1.0@sha256:00", List.of(TestData.meterInterface(true)), new Token("t"),
        Placement.ANY_PUBLIC_NODE, List.of("amd64"), Optional.empty());
    assertShape(document, "Process", Views.process(failed));
    Process placed = new Process("65f0c0de1a2b3c4d5e6f7a8b", "meter", "meter-1", "0.1.0", "65f0c0de1a2b3c4d5e6f7a80",
        ProcessState.RUNNING, Optional.empty(), Map.of(), now, "127.0.0.1:5000/services/meter:0.1.0@sha256:00",
        List.of(), new Token("t"), new Placement(new Target.PrivateNode("n0deid"),
            new Resources(512 * Resources.MIB, Resources.NANOS_PER_CPU / 2),
            List.of(new Mount(Mount.Type.VOLUME, "data", "/data", false), new Mount(Mount.Type.BIND, "/srv", "/srv", true)),
            List.of(new PublishedPort(80, 8080, PublishedPort.Protocol.TCP))), List.of("amd64", "arm64"),
        Optional.of("n0deid"));
    assertShape(document, "Process", Views.process(placed));
    assertThat(Views.process(placed).path("cpus").decimalValue()).isEqualByComparingTo("0.5");
    assertShape(document, "Process", Views.process(new Process(placed.id(), "meter", "meter-1", "0.1.0", placed.userId(),
        ProcessState.RUNNING, Optional.empty(), Map.of(), now, placed.image(), List.of(), new Token("t"),
        new Placement(new Target.Pool("65f0c0de1a2b3c4d5e6f7a8e"), Resources.NONE, List.of(), List.of()), List.of(),
        Optional.empty())));
    assertShape(document, "Connection", Views.connection(new ConnectionManager.Owned(
        new Connection("65f0c0de1a2b3c4d5e6f7a8d", e1, e2, 5000, now), "65f0c0de1a2b3c4d5e6f7a80")));
    assertShape(document, "Connection", Views.connection(new ConnectionManager.Owned(
        new Connection("65f0c0de1a2b3c4d5e6f7a8d", e1, e2, 5000, now, true), "65f0c0de1a2b3c4d5e6f7a80")));
    Endpoint tls1 = e1.withOutcome(true, true, Optional.empty());
    Endpoint tls2 = e2.withOutcome(true, true, Optional.empty());
    JsonNode encrypted = Views.connection(new ConnectionManager.Owned(
        new Connection("65f0c0de1a2b3c4d5e6f7a8d", tls1, tls2, 5000, now), "65f0c0de1a2b3c4d5e6f7a80"));
    assertShape(document, "Connection", encrypted);
    assertThat(encrypted.path("encrypted").asBoolean()).isTrue();
    assertShape(document, "Process", Views.process(failed.withTls(true)));
    assertThat(Views.process(failed.withTls(true)).path("tls").asBoolean()).isTrue();
    var authority = org.defpi.orchestrator.certificate.CertificateAuthority.create(now, new java.security.SecureRandom());
    assertShape(document, "IssuedCertificate", Views.certificate(authority.issue(
        org.defpi.orchestrator.certificate.CertificateAuthority.newKeyPair(new java.security.SecureRandom()).getPublic(),
        "65f0c0de1a2b3c4d5e6f7a8b", List.of(java.net.URI.create("urn:defpi:process:65f0c0de1a2b3c4d5e6f7a8b")), now,
        java.time.Duration.ofHours(1))));
    assertShape(document, "Node", Views.node(new Node("n0deid", "host", "amd64", NodeStatus.READY, NodeKind.PUBLIC,
        Optional.of("65f0c0de1a2b3c4d5e6f7a8e"), Optional.empty(), now,
        new Resources(2048 * Resources.MIB, 2 * Resources.NANOS_PER_CPU))));
    assertShape(document, "Node", Views.node(new Node("n0deid", "host", "amd64", NodeStatus.MISSING,
        NodeKind.UNIDENTIFIED, Optional.empty(), Optional.empty(), now, Resources.NONE)));
    assertShape(document, "Layout", Views.layout(List.of()));
    assertShape(document, "Layout", Views.layout(List.of(new Position("65f0c0de1a2b3c4d5e6f7a8b", 12.5, -1e6),
        new Position("65f0c0de1a2b3c4d5e6f7a8c", 0, 0))));
    assertShape(document, "Pool", Views.nodePool(new NodePool("65f0c0de1a2b3c4d5e6f7a8e", "pool")));
    assertShape(document, "Problem", Views.problem("not-found", "Not found", 404, "no such process", "/process/x",
        Optional.empty()));
    assertShape(document, "Problem", Views.problem("not-found", "Not found", 404, "no such process", "/process/x",
        Optional.of("0123456789abcdef0123456789abcdef")));
    EndTraffic end = new EndTraffic("65f0c0de1a2b3c4d5e6f7a8b", "65f0c0de1a2b3c4d5e6f7a8d", "CONNECTED",
        new Counters(1, 2, 3, 4, 5, 6, 7), new Rates(0.5, 1, 100, 200.25), now);
    assertShape(document, "ProcessTraffic", Views.processTraffic(new ProcessTraffic(end.processId(), Optional.of(now),
        List.of(end))));
    assertShape(document, "ProcessTraffic", Views.processTraffic(new ProcessTraffic(end.processId(), Optional.empty(),
        List.of())));
    assertShape(document, "ConnectionTraffic", Views.connectionTraffic(new ConnectionTraffic(end.connectionId(),
        "65f0c0de1a2b3c4d5e6f7a80", List.of(end))));
  }

  @Test
  void everyEndStateOfTheSdkIsDocumented() throws Exception {
    assertThat(fieldValues(document().at("/components/schemas/EndState/enum")))
        .containsExactlyInAnyOrderElementsOf(ConnectionReport.STATES);
  }

  @Test
  void everyConnectionStateIsDocumented() throws Exception {
    assertThat(fieldValues(document().at("/components/schemas/ConnectionState/enum")))
        .containsExactlyElementsOf(Arrays.stream(ConnectionState.values()).map(Enum::name).toList());
  }

  @Test
  void removalsThatMayTakeLongerDocumentTheir202WithThePendingChange() throws Exception {
    JsonNode document = document();
    for (String path : List.of("/process/{id}", "/connection/{id}")) {
      JsonNode accepted = document.path("paths").path(path).path("delete").path("responses").path("202");
      assertThat(accepted.at("/content/application~1json/schema/$ref").asText()).as(path)
          .isEqualTo("#/components/schemas/PendingChange");
    }
  }

  /** The view has no field the schema does not name, and every field the schema requires; nested objects too. */
  private static void assertShape(JsonNode document, String schemaName, JsonNode view) {
    assertShape(document, document.at("/components/schemas/" + schemaName), view, schemaName);
  }

  private static void assertShape(JsonNode document, JsonNode schema, JsonNode view, String where) {
    schema = resolve(document, schema);
    if (schema.has("allOf")) {
      schema = resolve(document, schema.get("allOf").get(0));
    }
    String type = schema.path("type").asText();
    if (type.equals("object") && schema.has("properties")) {
      assertThat(view.isObject()).as(where).isTrue();
      assertThat(fieldNames(schema.get("properties"))).as("fields of %s", where).containsAll(fieldNames(view));
      schema.path("required").forEach(r -> assertThat(view.has(r.asText())).as("%s.%s", where, r.asText()).isTrue());
      JsonNode properties = schema.get("properties");
      view.properties().forEach(f ->
          assertShape(document, properties.get(f.getKey()), f.getValue(), where + "." + f.getKey()));
    } else if (type.equals("object")) {
      assertThat(view.isObject()).as(where).isTrue();
    } else if (type.equals("string")) {
      assertThat(view.isTextual()).as(where).isTrue();
      if (schema.has("enum")) {
        assertThat(fieldValues(schema.get("enum"))).as(where).contains(view.asText());
      }
      if (schema.has("pattern")) {
        assertThat(view.asText()).as(where).matches(schema.get("pattern").asText());
      }
    } else if (type.equals("integer")) {
      assertThat(view.isIntegralNumber()).as(where).isTrue();
    } else if (type.equals("number")) {
      assertThat(view.isNumber()).as(where).isTrue();
    } else if (type.equals("boolean")) {
      assertThat(view.isBoolean()).as(where).isTrue();
    } else if (type.equals("array")) {
      assertThat(view.isArray()).as(where).isTrue();
      JsonNode items = schema.get("items");
      view.forEach(item -> assertShape(document, items, item, where + "[]"));
    }
  }

  private static List<String> fieldValues(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
