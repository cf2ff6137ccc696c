package org.defpi.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/** A small client of the orchestrator's REST API, as a third party would write one. */
final class OrchestratorClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A response: status, content type and body, the body parsed when it is JSON. */
  record Response(int status, String contentType, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }
  }

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** For the try… calls, which poll an orchestrator that may be down: give up connecting soon. */
  private final HttpClient quickHttp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final URI base;
  private final String authorization;

  OrchestratorClient(URI base, String user, String password) {
    this.base = base;
    this.authorization = "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  Response get(String path) {
    return send(request(path).GET());
  }

  Response post(String path, Object body) {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(toJson(body))));
  }

  Response put(String path, Object body) {
    return send(request(path).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(toJson(body))));
  }

  Response delete(String path) {
    return send(request(path).DELETE());
  }

  /** POST /process, which must answer 201; the new process's id. */
  String createProcess(String serviceId, String name, java.util.Map<String, String> configuration) {
    Response created = post("process", java.util.Map.of("serviceId", serviceId, "name", name,
        "configuration", configuration));
    org.assertj.core.api.Assertions.assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().path("id").asText();
  }

  /** Waits until the process is RUNNING; fails at once if it is FAILED (with its reason). */
  void awaitRunning(String processId, Duration atMost) {
    org.awaitility.Awaitility.await(processId + " RUNNING").atMost(atMost).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          JsonNode process = get("process/" + processId).json();
          org.assertj.core.api.Assertions.assertThat(process.path("state").asText()).as(process.toString())
              .isNotEqualTo("FAILED");
          return process.path("state").asText();
        }, "RUNNING"::equals);
  }

  /**
   * GET that tolerates an orchestrator that is down or restarting: empty when it does not answer
   * within {@code timeout} (connecting included), rather than an AssertionError.
   */
  Optional<Response> tryGet(String path, Duration timeout) {
    return trySend(request(path).timeout(timeout).GET());
  }

  /** POST that tolerates an orchestrator that dies meanwhile: empty when no answer came. */
  Optional<Response> tryPost(String path, Object body, Duration timeout) {
    return trySend(request(path).timeout(timeout).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(toJson(body))));
  }

  /** DELETE that tolerates an orchestrator that does not answer. */
  Optional<Response> tryDelete(String path, Duration timeout) {
    return trySend(request(path).timeout(timeout).DELETE());
  }

  private Optional<Response> trySend(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = quickHttp.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return Optional.of(new Response(response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""), response.body()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", authorization);
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""), response.body());
    } catch (IOException e) {
      throw new AssertionError("orchestrator unreachable at " + base + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String toJson(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
