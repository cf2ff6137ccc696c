package org.defpi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The orchestrator's REST API (ARCHITECTURE.md "REST API") for one set of credentials. Every answer
 * outside 2xx becomes a {@link CliException}: 4xx {@link CliException.Refused} with the problem's
 * {@code detail}, 5xx and no answer at all {@link CliException.Unavailable}.
 */
final class Api {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  /** A 2xx answer; {@link #body()} is the API's own text, which {@code --json} prints unchanged. */
  record Response(int status, String body) {
    JsonNode json() throws CliException.Unavailable {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new CliException.Unavailable("the orchestrator answered " + status + " with a body that is not JSON");
      }
    }
  }

  private final HttpClient http;
  private final Credentials credentials;

  Api(HttpClient http, Credentials credentials) {
    this.http = http;
    this.credentials = credentials;
  }

  static HttpClient defaultHttp() {
    return HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  }

  Response get(String path) throws CliException, InterruptedException {
    return send(request(path).GET());
  }

  Response post(String path, Object body) throws CliException, InterruptedException {
    String text;
    try {
      text = JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalStateException("a request body always serialises", e);
    }
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)));
  }

  Response delete(String path) throws CliException, InterruptedException {
    return send(request(path).DELETE());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base().resolve(path)).timeout(REQUEST_TIMEOUT)
        .header("Authorization", credentials.authorization())
        .header("Accept", "application/json, application/problem+json, text/plain");
  }

  /** The URL with a trailing slash, so relative paths resolve under it (a prefix path is kept). */
  private URI base() {
    String url = credentials.url().toString();
    return URI.create(url.endsWith("/") ? url : url + "/");
  }

  private Response send(HttpRequest.Builder builder) throws CliException, InterruptedException {
    HttpRequest request = builder.build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw new CliException.Unavailable("the orchestrator at " + credentials.url() + " did not answer in time");
    } catch (ConnectException e) {
      throw new CliException.Unavailable("cannot reach the orchestrator at " + credentials.url()
          + ": " + (e.getMessage() == null ? "connection refused" : e.getMessage()));
    } catch (IOException e) {
      throw new CliException.Unavailable("cannot reach the orchestrator at " + credentials.url() + ": " + e);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new Response(status, response.body());
    }
    String detail = detail(status, response.body());
    if (status >= 500) {
      throw new CliException.Unavailable("the orchestrator failed (" + status + "): " + detail);
    }
    if (status >= 400) {
      throw new CliException.Refused(status, detail);
    }
    throw new CliException.Unavailable("unexpected answer " + status + " from " + request.uri());
  }

  /** The RFC 9457 problem's {@code detail}, else its {@code title}, else the start of the body. */
  static String detail(int status, String body) {
    try {
      JsonNode problem = JSON.readTree(body);
      if (problem != null && problem.isObject()) {
        for (String field : new String[] {"detail", "title"}) {
          if (problem.path(field).isTextual() && !problem.path(field).asText().isBlank()) {
            return problem.path(field).asText();
          }
        }
      }
    } catch (IOException notJson) {
      // a proxy's or another server's error page: fall through to its first characters
    }
    String text = body == null ? "" : CliException.oneLine(body);
    if (text.isEmpty()) {
      return "HTTP " + status;
    }
    return "HTTP " + status + ": " + (text.length() > 200 ? text.substring(0, 200) + "…" : text);
  }
}
