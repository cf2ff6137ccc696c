package org.defpi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the orchestrator's REST API on loopback: POST /login for admin/secret answers a
 * fresh bearer token (token-1, token-2, …), POST /logout revokes the token it came with, GET /user/me
 * answers the admin, and every other route answers what a test set per {@code "METHOD /path?query"}
 * — to a valid bearer token only, else 401 like the real one. Records the requests (with their bodies
 * and Authorization headers) so tests can check what the CLI sent.
 */
final class FakeOrchestrator implements AutoCloseable {
  static final String ADMIN_ID = "0123456789abcdef01234567";
  static final String ADMIN = "{\"id\":\"" + ADMIN_ID + "\",\"name\":\"admin\",\"role\":\"admin\",\"createdAt\":\"2026-01-01T00:00:00Z\"}";
  static final String EXPIRES_AT = "2030-01-01T00:00:00Z";

  record Answer(int status, String contentType, String body, Map<String, String> headers) {}

  record Request(String method, String path, String body, String authorization) {
    String route() {
      return method + " " + path;
    }
  }

  private final HttpServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final AtomicInteger issued = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Integer retryAfter;
  final List<Request> requests = new CopyOnWriteArrayList<>();

  FakeOrchestrator() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  FakeOrchestrator json(String route, int status, String body) {
    answers.put(route, new Answer(status, "application/json", body, Map.of()));
    return this;
  }

  /** A list answer with {@code X-Total-Count: total}. */
  FakeOrchestrator page(String route, String body, long total) {
    answers.put(route, new Answer(200, "application/json", body, Map.of("X-Total-Count", Long.toString(total))));
    return this;
  }

  FakeOrchestrator text(String route, int status, String body) {
    answers.put(route, new Answer(status, "text/plain", body, Map.of()));
    return this;
  }

  FakeOrchestrator problem(String route, int status, String detail) {
    answers.put(route, new Answer(status, "application/problem+json", problemBody(status, detail), Map.of()));
    return this;
  }

  /** From now on POST /login answers 429 with {@code Retry-After: seconds}, as after too many failures. */
  FakeOrchestrator rateLimitLogins(int seconds) {
    retryAfter = seconds;
    return this;
  }

  /** Every token issued so far stops working, as when they expire or the password changes. */
  void revokeAll() {
    tokens.clear();
  }

  boolean accepts(String token) {
    return tokens.contains(token);
  }

  /** Requests to this route, in order. */
  List<Request> requests(String route) {
    return requests.stream().filter(r -> r.route().equals(route)).toList();
  }

  private static String problemBody(int status, String detail) {
    return "{\"type\":\"urn:defpi:problem:x\",\"title\":\"T\",\"status\":" + status + ",\"detail\":"
        + Api.JSON.valueToTree(detail) + ",\"instance\":\"/\"}";
  }

  private static Answer problem(int status, String detail) {
    return new Answer(status, "application/problem+json", problemBody(status, detail), Map.of());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getRawPath()
          + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      Request request = new Request(exchange.getRequestMethod(), path, body, authorization);
      requests.add(request);
      String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
      Answer answer;
      if (request.route().equals("POST /login")) {
        answer = login(body);
      } else if (token == null || !tokens.contains(token)) {
        answer = new Answer(401, "application/problem+json",
            problemBody(401, "the token has expired or was revoked"), Map.of("WWW-Authenticate", "Bearer"));
      } else if (request.route().equals("POST /logout")) {
        tokens.remove(token);
        answer = new Answer(204, "application/json", "", Map.of());
      } else {
        answer = answers.getOrDefault(request.route(), request.route().equals("GET /user/me")
            ? new Answer(200, "application/json", ADMIN, Map.of())
            : problem(404, "no route " + path));
      }
      answer.headers().forEach(exchange.getResponseHeaders()::set);
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", answer.contentType());
      exchange.sendResponseHeaders(answer.status(), answer.status() == 204 ? -1 : bytes.length);
      if (answer.status() != 204) {
        exchange.getResponseBody().write(bytes);
      }
    }
  }

  private Answer login(String body) throws IOException {
    JsonNode b = Api.JSON.readTree(body);
    if (retryAfter != null) {
      return new Answer(429, "application/problem+json",
          problemBody(429, "too many failed logins for " + b.path("name").asText()),
          Map.of("Retry-After", retryAfter.toString()));
    }
    if (!"admin".equals(b.path("name").asText()) || !"secret".equals(b.path("password").asText())) {
      return problem(401, "wrong user name or password");
    }
    String token = "token-" + issued.incrementAndGet();
    tokens.add(token);
    return new Answer(201, "application/json", "{\"token\":\"" + token + "\",\"expiresAt\":\"" + EXPIRES_AT
        + "\",\"user\":" + ADMIN + "}", Map.of());
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
    }
  }
}
