package org.defpi.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.defpi.orchestrator.api.ApiFixture.PASSWORD;
import static org.defpi.orchestrator.api.ApiFixture.basic;
import static org.defpi.orchestrator.api.ApiFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.defpi.orchestrator.TestImages;
import org.defpi.orchestrator.process.ProcessState;
import org.defpi.orchestrator.registry.RealRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GET /metrics over the real server, store, registry and Swarm ({@link ApiFixture}): what the API,
 * the store and the connectors did shows in the Prometheus text an admin scrapes; nobody else may
 * read it. And every answer's request id: in its header, in a problem body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsTest {
  private final ApiFixture fixture = new ApiFixture();
  private String processId;

  @BeforeAll
  void start() throws Exception {
    fixture.start(ApiFixture.Database.H2);
    HttpResponse<String> created = admin("POST", "/process",
        "{\"serviceId\": \"" + TestImages.METER + "\", \"name\": \"metered\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    processId = json(created).path("id").asText();
    fixture.removeOnClose(processId);
  }

  @AfterAll
  void stop() throws Exception {
    fixture.close();
  }

  private HttpResponse<String> admin(String method, String path, String body) throws Exception {
    return fixture.send(method, path, body, basic("admin", PASSWORD));
  }

  private String scrape() throws Exception {
    HttpResponse<String> r = admin("GET", "/metrics", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    return r.body();
  }

  /** The value of the one series of {@code name} whose labels include each of {@code labels}. */
  private static double value(String text, String name, Map<String, String> labels) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{(.*)} (\\S+)$").matcher(text);
    while (m.find()) {
      String have = m.group(1);
      if (labels.entrySet().stream().allMatch(e -> have.contains(e.getKey() + "=\"" + e.getValue() + "\""))) {
        return Double.parseDouble(m.group(2));
      }
    }
    throw new AssertionError("no series " + name + labels + " in:\n" + text.lines()
        .filter(l -> l.startsWith(name)).reduce("", (a, b) -> a + b + "\n"));
  }

  @Test
  void theApisLatencyIsAHistogramByRouteTemplateAndStatusNeverByPath() throws Exception {
    for (int i = 0; i < 3; i++) {
      admin("GET", "/process/" + processId, null);
    }
    admin("GET", "/process/65f0c0de1a2b3c4d5e6f7a8b", null); // 404: no such process
    admin("GET", "/no/such/route/65f0c0de1a2b3c4d5e6f7a8b", null);
    String text = scrape();

    assertThat(value(text, "defpi_http_server_requests_seconds_count",
        Map.of("method", "GET", "route", "/process/{id}", "status", "200"))).isGreaterThanOrEqualTo(3);
    assertThat(value(text, "defpi_http_server_requests_seconds_count",
        Map.of("method", "GET", "route", "/process/{id}", "status", "404"))).isGreaterThanOrEqualTo(1);
    assertThat(value(text, "defpi_http_server_requests_seconds_count",
        Map.of("method", "POST", "route", "/process", "status", "201"))).isEqualTo(1);
    assertThat(value(text, "defpi_http_server_requests_seconds_count",
        Map.of("route", "NOT_FOUND", "status", "404"))).isGreaterThanOrEqualTo(1);
    // fixed buckets, the same for every series
    assertThat(value(text, "defpi_http_server_requests_seconds_bucket",
        Map.of("route", "/process/{id}", "status", "200", "le", "30.0"))).isGreaterThanOrEqualTo(3);
    assertThat(value(text, "defpi_http_server_requests_seconds_bucket",
        Map.of("route", "/process/{id}", "status", "200", "le", "+Inf"))).isGreaterThanOrEqualTo(3);
    assertThat(text).doesNotContain(processId).doesNotContain("65f0c0de1a2b3c4d5e6f7a8b");
    assertThat(text).doesNotContainPattern("defpi_http_server_requests_seconds\\S*\\{[^}]*route=\"/events\"");
  }

  @Test
  void theStoreIsCountedByStateWhenScraped() throws Exception {
    String before = scrape();
    double pending = value(before, "defpi_pending_changes", Map.of("state", "PENDING"));
    fixture.newPendingChange("9a0b0c0d0000000000000001", fixture.adminId());
    String text = scrape();

    assertThat(value(text, "defpi_pending_changes", Map.of("state", "PENDING"))).isEqualTo(pending + 1);
    assertThat(value(text, "defpi_pending_changes_oldest_age_seconds", Map.of("state", "PENDING")))
        .isGreaterThanOrEqualTo(0);
    assertThat(value(text, "defpi_pending_changes", Map.of("state", "DONE")))
        .as("the CREATE_PROCESS of start()").isGreaterThanOrEqualTo(1);
    assertThat(value(text, "defpi_processes", Map.of("state", ProcessState.STARTING.name())))
        .isEqualTo(fixture.store().listProcesses().stream().filter(p -> p.state() == ProcessState.STARTING).count());
    assertThat(value(text, "defpi_processes", Map.of("state", "TERMINATED"))).isZero();
    assertThat(value(text, "defpi_connections", Map.of("state", "ACTIVE"))).isZero();
    assertThat(value(text, "defpi_pending_change_attempts_seconds_count",
        Map.of("kind", "CREATE_PROCESS", "outcome", "done"))).isGreaterThanOrEqualTo(1);
  }

  @Test
  void theSwarmAndRegistryCallsAreTimedByOperationWithTheirErrors() throws Exception {
    fixture.swarm().removeService("65f0c0de1a2b3c4d5e6f7a8b"); // none such: the engine answers 404
    // a registry connector on the same registry of meters, asked for a repository that is not there
    assertThat(new RealRegistry(new RealRegistry.Settings(URI.create("http://" + TestImages.REGISTRY),
        TestImages.REGISTRY, Duration.ofSeconds(10)), Clock.systemUTC(), fixture.meterRegistry())
        .images("defpi-test-none-such")).isEmpty();
    String text = scrape();

    assertThat(value(text, "defpi_swarm_calls_seconds_count", Map.of("operation", "GET /nodes", "outcome", "success")))
        .isGreaterThanOrEqualTo(1);
    assertThat(value(text, "defpi_swarm_calls_seconds_count",
        Map.of("operation", "POST /services/create", "outcome", "success"))).isGreaterThanOrEqualTo(1);
    assertThat(value(text, "defpi_swarm_errors_total",
        Map.of("operation", "DELETE /services/{id}", "exception", "NotFoundException"))).isGreaterThanOrEqualTo(1);
    assertThat(value(text, "defpi_registry_calls_seconds_count", Map.of("operation", "catalog", "outcome", "success")))
        .isGreaterThanOrEqualTo(1);
    assertThat(value(text, "defpi_registry_calls_seconds_count", Map.of("operation", "manifest", "outcome", "success")))
        .isGreaterThanOrEqualTo(1);
    assertThat(value(text, "defpi_registry_errors_total", Map.of("operation", "tags", "exception", "HTTP 404")))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void openMetricsIsAnsweredWhenAsked() throws Exception {
    HttpResponse<String> r = fixture.send("GET", "/metrics", null, basic("admin", PASSWORD),
        Map.of("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
    assertThat(r.body()).contains("# TYPE defpi_http_server_requests_seconds histogram").endsWith("# EOF\n");
  }

  @Test
  void onlyAnAdminMayScrapeAndARefusalIsAProblemWithItsRequestId() throws Exception {
    HttpResponse<String> anonymous = fixture.send("GET", "/metrics", null, null, Map.of("X-Request-Id", "scrape-1"));
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).isPresent();
    assertThat(anonymous.headers().firstValue("X-Request-Id")).hasValue("scrape-1");
    assertThat(json(anonymous).path("requestId").asText()).isEqualTo("scrape-1");

    admin("POST", "/user", "{\"name\": \"metrics-user\", \"password\": \"a-user-password\"}");
    HttpResponse<String> user = fixture.send("GET", "/metrics", null, basic("metrics-user", "a-user-password"));
    assertThat(user.statusCode()).isEqualTo(403);
    JsonNode problem = json(user);
    assertThat(problem.path("type").asText()).isEqualTo("urn:defpi:problem:forbidden");
    assertThat(problem.path("requestId").asText()).matches("[0-9a-f]{32}")
        .isEqualTo(user.headers().firstValue("X-Request-Id").orElseThrow());
  }

  @Test
  void everyAnswerHasARequestIdTheCallersWhenItIsSane() throws Exception {
    assertThat(fixture.send("GET", "/health", null, null, Map.of("X-Request-Id", "abc-123.4:5_6"))
        .headers().firstValue("X-Request-Id")).hasValue("abc-123.4:5_6");
    HttpResponse<String> insane = fixture.send("GET", "/health", null, null, Map.of("X-Request-Id", "x".repeat(200)));
    assertThat(insane.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{32}"));
    HttpResponse<String> none = fixture.send("GET", "/nope", null, null);
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(json(none).path("requestId").asText()).isEqualTo(none.headers().firstValue("X-Request-Id").orElseThrow());
  }

  @Test
  void aRequestJettyRefusesBeforeAnyRouteHasAnIdInTheHeaderAndTheProblemAlike() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", fixture.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET /process/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: raw-1\r\n"
          + "Connection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      // Jetty refuses this while it reads the request line, before it keeps the headers: the caller's
      // id is not known there, so the answer has one of its own, the same in header and body.
      Matcher id = Pattern.compile("(?i)X-Request-Id: ([0-9a-f]{32})\r\n").matcher(answer);
      assertThat(answer).startsWith("HTTP/1.1 400");
      assertThat(id.find()).as(answer).isTrue();
      assertThat(answer).contains("\"requestId\":\"" + id.group(1) + "\"");
    }
  }

  @Test
  void theJvmAndTheProcessAreMeasuredToo() throws Exception {
    String text = scrape();
    assertThat(text).contains("jvm_memory_used_bytes{", "jvm_threads_live_threads", "process_uptime_seconds",
        "process_cpu_usage", "jvm_classes_loaded_classes");
  }
}
