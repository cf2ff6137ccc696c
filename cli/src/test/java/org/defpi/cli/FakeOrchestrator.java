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
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the orchestrator's REST API on loopback: POST /login for admin/secret answers a
 * fresh bearer token (token-1, token-2, …), POST /logout revokes the token it came with, GET /user/me
 * answers the admin, and every other route answers what a test set per {@code "METHOD /path?query"}
 * — to a valid bearer token only, else 401 like the real one. Records the requests (with their bodies,
 * Authorization and Last-Event-ID headers) so tests can check what the CLI sent.
 *
 * <p>GET /events answers the streams a test queued, one per connection, in order: {@link #stream}
 * writes its chunks and then stays open (until the fake closes), {@link #streamThenDrop} ends after
 * them (a cut connection, or the end after a {@code reset}), {@link #streamRefused} answers a problem
 * instead (401, 503). A connection beyond the queue gets an open stream that says nothing.
 */
final class FakeOrchestrator implements AutoCloseable {
  static final String ADMIN_ID = "0123456789abcdef01234567";
  static final String ADMIN = "{\"id\":\"" + ADMIN_ID + "\",\"name\":\"admin\",\"role\":\"admin\",\"createdAt\":\"2026-01-01T00:00:00Z\"}";
  static final String EXPIRES_AT = "2030-01-01T00:00:00Z";

  record Answer(int status, String contentType, String body, Map<String, String> headers) {}

  record Request(String method, String path, String body, String authorization, String lastEventId) {
    String route() {
      return method + " " + path;
    }
  }

  private final HttpServer server;
  /** One connection to GET /events: chunks written (and flushed) one by one, or a problem when status is not 200. */
  private record Stream(int status, List<String> chunks, boolean drop) {}

  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final Map<String, Queue<Answer>> sequences = new ConcurrentHashMap<>();
  private final Queue<Stream> streams = new ConcurrentLinkedQueue<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-orchestrator");
    t.setDaemon(true);
    return t;
  });
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final AtomicInteger issued = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Integer retryAfter;
  final List<Request> requests = new CopyOnWriteArrayList<>();

  /** admin's password here, and the start of the tokens it issues. */
  private final String password;
  private final String tokenPrefix;

  FakeOrchestrator() throws IOException {
    this("secret", "token-");
  }

  /** admin logs in with {@code password}; tokens are {@code tokenPrefix} and a number. */
  FakeOrchestrator(String password, String tokenPrefix) throws IOException {
    this.password = password;
    this.tokenPrefix = tokenPrefix;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    // streams hold their thread: every exchange gets its own, so lists are answered meanwhile
    server.setExecutor(executor);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** GET /process/{id} answers a process of the service (what commands that take a process look up first). */
  FakeOrchestrator process(String id, String serviceId) {
    return json("GET /process/" + id, 200, "{\"id\":\"" + id + "\",\"serviceId\":\"" + serviceId + "\",\"name\":\""
        + id + "\",\"state\":\"RUNNING\"}");
  }

  FakeOrchestrator json(String route, int status, String body) {
    answers.put(route, new Answer(status, "application/json", body, Map.of()));
    return this;
  }

  /** 200 with these bodies in turn, one per request; the last one stays. */
  FakeOrchestrator jsonInTurn(String route, String... bodies) {
    Queue<Answer> queue = new ConcurrentLinkedQueue<>();
    for (String body : bodies) {
      queue.add(new Answer(200, "application/json", body, Map.of()));
    }
    sequences.put(route, queue);
    return this;
  }

  /** The next connection to GET /events gets these chunks, then stays open. */
  FakeOrchestrator stream(String... chunks) {
    streams.add(new Stream(200, List.of(chunks), false));
    return this;
  }

  /** The next connection to GET /events gets these chunks, then the server ends it. */
  FakeOrchestrator streamThenDrop(String... chunks) {
    streams.add(new Stream(200, List.of(chunks), true));
    return this;
  }

  /** The next connection to GET /events is answered with this problem (a 401, a 503). */
  FakeOrchestrator streamRefused(int status, String detail) {
    streams.add(new Stream(status, List.of(problemBody(status, detail)), true));
    return this;
  }

  /** {@code event: NAME / id: ID / data: DATA} and the blank line that ends it. */
  static String sse(String name, String id, String data) {
    return "event: " + name + "\nid: " + id + "\ndata: " + data + "\n\n";
  }

  /** The first event of a stream: it listens after {@code <run>-<seq>}. */
  static String ready(String run, long seq) {
    return sse("ready", run + "-" + seq, "{\"seq\":" + seq + "}");
  }

  /** A change of run {@code run}, at 12:03:{@code seq} UTC on 2026-01-01; {@code reason} may be null. */
  static String change(String run, long seq, String subject, String action, String id, String state, String reason) {
    return sse(subject, run + "-" + seq, eventData(seq, subject, action, id, state, reason));
  }

  static String eventData(long seq, String subject, String action, String id, String state, String reason) {
    return "{\"seq\":" + seq + ",\"at\":\"" + at(seq) + "\",\"subject\":\"" + subject + "\",\"action\":\"" + action
        + "\",\"id\":\"" + id + "\",\"userId\":\"" + ADMIN_ID + "\",\"state\":\"" + state + "\""
        + (reason == null ? "" : ",\"reason\":" + Api.JSON.valueToTree(reason)) + "}";
  }

  static String at(long seq) {
    return "2026-01-01T12:03:%02dZ".formatted(seq % 60);
  }

  /** The stream's last words before the server ends it. */
  static String reset(String run, long seq, String reason) {
    return sse("reset", run + "-" + seq, "{\"reason\":" + Api.JSON.valueToTree(reason) + "}");
  }

  /** Requests to GET /events, in order. */
  List<Request> eventRequests() {
    return requests.stream().filter(r -> r.method().equals("GET") && r.path().startsWith("/events")).toList();
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
      Request request = new Request(exchange.getRequestMethod(), path, body, authorization,
          exchange.getRequestHeaders().getFirst("Last-Event-ID"));
      requests.add(request);
      String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
      Answer answer;
      if (request.route().equals("POST /login")) {
        answer = login(body);
      } else if (token == null || !tokens.contains(token)) {
        answer = new Answer(401, "application/problem+json",
            problemBody(401, "the token has expired or was revoked"), Map.of("WWW-Authenticate", "Bearer"));
      } else if (request.method().equals("GET") && exchange.getRequestURI().getRawPath().equals("/events")) {
        stream(exchange);
        return;
      } else if (request.route().equals("POST /logout")) {
        tokens.remove(token);
        answer = new Answer(204, "application/json", "", Map.of());
      } else {
        Queue<Answer> inTurn = sequences.get(request.route());
        Answer next = inTurn == null ? null : inTurn.size() > 1 ? inTurn.poll() : inTurn.peek();
        answer = next != null ? next : answers.getOrDefault(request.route(), request.route().equals("GET /user/me")
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

  private void stream(HttpExchange exchange) throws IOException {
    Stream stream = streams.poll();
    if (stream == null) {
      stream = new Stream(200, List.of(), false);
    }
    if (stream.status() != 200) {
      byte[] bytes = stream.chunks().getFirst().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
      if (stream.status() == 401) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      }
      exchange.sendResponseHeaders(stream.status(), bytes.length);
      exchange.getResponseBody().write(bytes);
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    try {
      for (String chunk : stream.chunks()) {
        exchange.getResponseBody().write(chunk.getBytes(StandardCharsets.UTF_8));
        exchange.getResponseBody().flush();
      }
      if (!stream.drop()) {
        closing.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException clientLeft) {
      // the CLI closed the stream: nothing more to write
    }
  }

  private Answer login(String body) throws IOException {
    JsonNode b = Api.JSON.readTree(body);
    if (retryAfter != null) {
      return new Answer(429, "application/problem+json",
          problemBody(429, "too many failed logins for " + b.path("name").asText()),
          Map.of("Retry-After", retryAfter.toString()));
    }
    if (!"admin".equals(b.path("name").asText()) || !password.equals(b.path("password").asText())) {
      return problem(401, "wrong user name or password");
    }
    String token = tokenPrefix + issued.incrementAndGet();
    tokens.add(token);
    return new Answer(201, "application/json", "{\"token\":\"" + token + "\",\"expiresAt\":\"" + EXPIRES_AT
        + "\",\"user\":" + ADMIN + "}", Map.of());
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      closing.countDown();
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
