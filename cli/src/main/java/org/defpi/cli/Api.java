package org.defpi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The orchestrator's REST API (ARCHITECTURE.md "REST API"), either anonymous (only for the public
 * routes: POST /login) or with the bearer token of stored {@link Credentials}. Every answer outside
 * 2xx becomes a {@link CliException}: 401 to a token {@link CliException.NotLoggedIn} (it expired or
 * was revoked), other 4xx {@link CliException.Refused} with the problem's {@code detail} (429 with
 * its {@code Retry-After}), 5xx and no answer at all {@link CliException.Unavailable}.
 */
final class Api {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  /** A 2xx answer; {@link #body()} is the API's own text, which {@code --json} prints unchanged. */
  record Response(int status, String body, HttpHeaders headers) {
    /** {@code X-Total-Count}: how many items a list matched before paging, when the API said. */
    OptionalLong totalCount() {
      try {
        return headers.firstValue("X-Total-Count").map(v -> OptionalLong.of(Long.parseLong(v.strip())))
            .orElse(OptionalLong.empty());
      } catch (NumberFormatException e) {
        return OptionalLong.empty();
      }
    }

    JsonNode json() throws CliException.Unavailable {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new CliException.Unavailable("the orchestrator answered " + status + " with a body that is not JSON");
      }
    }
  }

  private final HttpClient http;
  private final URI url;
  private final Credentials credentials;

  /** With the stored token: every route the user may call. */
  Api(HttpClient http, Credentials credentials) {
    this.http = http;
    this.url = credentials.url();
    this.credentials = credentials;
  }

  private Api(HttpClient http, URI url) {
    Credentials.checkUrl(url);
    this.http = http;
    this.url = url;
    this.credentials = null;
  }

  /** Without credentials: the public routes (POST /login). */
  static Api anonymous(HttpClient http, URI url) {
    return new Api(http, url);
  }

  static HttpClient defaultHttp() {
    return HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  }

  Response get(String path) throws CliException, InterruptedException {
    return send(request(path).GET());
  }

  Response post(String path, Object body) throws CliException, InterruptedException {
    return send(request(path).header("Content-Type", "application/json").POST(json(body)));
  }

  /** POST without a body (POST /logout). */
  Response post(String path) throws CliException, InterruptedException {
    return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
  }

  Response put(String path, Object body) throws CliException, InterruptedException {
    return send(request(path).header("Content-Type", "application/json").PUT(json(body)));
  }

  private static HttpRequest.BodyPublisher json(Object body) {
    try {
      return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("a request body always serialises", e);
    }
  }

  Response delete(String path) throws CliException, InterruptedException {
    return send(request(path).DELETE());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(base().resolve(path)).timeout(REQUEST_TIMEOUT)
        .header("Accept", "application/json, application/problem+json, text/plain");
    return credentials == null ? builder : builder.header("Authorization", credentials.authorization());
  }

  /** The URL with a trailing slash, so relative paths resolve under it (a prefix path is kept). */
  private URI base() {
    String text = url.toString();
    return URI.create(text.endsWith("/") ? text : text + "/");
  }

  private Response send(HttpRequest.Builder builder) throws CliException, InterruptedException {
    HttpRequest request = builder.build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw unreachable(e);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new Response(status, response.body(), response.headers());
    }
    throw failure(request, status, response.body(), response.headers());
  }

  /**
   * GET a {@code text/event-stream} (GET /events), with {@code Last-Event-ID} when resuming: its lines
   * as they come, until the server ends it or the stream is closed (from any thread, which makes a
   * blocked reader fail with an {@link java.io.UncheckedIOException}). Any answer but 2xx is a
   * {@link CliException} as for every other call.
   */
  Stream<String> stream(String path, String lastEventId) throws CliException, InterruptedException {
    HttpRequest.Builder builder = request(path).setHeader("Accept", "text/event-stream, application/problem+json")
        .header("Cache-Control", "no-cache");
    if (lastEventId != null && !lastEventId.isEmpty()) {
      builder.header("Last-Event-ID", lastEventId);
    }
    return lines(builder.build());
  }

  /** GET a text that goes on (a followed log): its lines as they come, as {@link #stream}. */
  Stream<String> followText(String path) throws CliException, InterruptedException {
    return lines(request(path).setHeader("Accept", "text/plain, application/problem+json")
        .header("Cache-Control", "no-cache").build());
  }

  private Stream<String> lines(HttpRequest request) throws CliException, InterruptedException {
    HttpResponse<Stream<String>> response;
    try {
      // The request timeout only covers the wait for the answer's headers, not the stream after them.
      response = http.send(request, HttpResponse.BodyHandlers.ofLines());
    } catch (IOException e) {
      throw unreachable(e);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return response.body();
    }
    String body;
    try (Stream<String> lines = response.body()) {
      body = lines.limit(200).collect(Collectors.joining("\n"));
    } catch (UncheckedIOException e) {
      body = "";
    }
    throw failure(request, status, body, response.headers());
  }

  private CliException unreachable(IOException e) {
    if (e instanceof HttpTimeoutException) {
      return new CliException.Unavailable("the orchestrator at " + url + " did not answer in time");
    }
    if (e instanceof ConnectException) {
      return new CliException.Unavailable("cannot reach the orchestrator at " + url
          + ": " + (e.getMessage() == null ? "connection refused" : e.getMessage()));
    }
    return new CliException.Unavailable("cannot reach the orchestrator at " + url + ": " + e);
  }

  /** Any answer outside 2xx, as the {@link CliException} the class comment lists. */
  private CliException failure(HttpRequest request, int status, String body, HttpHeaders headers) {
    String detail = detail(status, body);
    if (status >= 500) {
      return new CliException.Unavailable("the orchestrator failed (" + status + "): " + detail);
    }
    if (status == 401 && credentials != null) {
      return new CliException.NotLoggedIn(expired(credentials));
    }
    if (status == 429) {
      return new CliException.Refused(status, detail + headers.firstValue("Retry-After")
          .map(Api::retryAfter).orElse(""));
    }
    if (status >= 400) {
      return new CliException.Refused(status, detail);
    }
    return new CliException.Unavailable("unexpected answer " + status + " from " + request.uri());
  }

  /** The one line for a stored token the orchestrator no longer takes. */
  static String expired(Credentials c) {
    return c.expiry().filter(at -> at.isBefore(Instant.now()))
        .map(at -> "your login as " + c.user() + " to " + c.url() + " expired at " + c.expiresAt() + ": " + c.loginHint())
        .orElse("your login as " + c.user() + " to " + c.url()
            + " is no longer accepted (the token expired or was revoked): " + c.loginHint());
  }

  /** {@code Retry-After} is seconds by the API's contract; anything else (an HTTP date) is shown as is. */
  private static String retryAfter(String value) {
    String v = value.strip();
    if (v.matches("\\d{1,9}")) {
      return " (retry after " + v + (v.equals("1") ? " second)" : " seconds)");
    }
    return " (retry after " + v + ")";
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
