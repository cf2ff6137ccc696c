package org.defpi.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the orchestrator's REST API on loopback: answers that a test sets per
 * {@code "METHOD /path"}, HTTP Basic for admin/secret like the real one, and a record of the
 * requests (with their bodies) so tests can check what the CLI sent.
 */
final class FakeOrchestrator implements AutoCloseable {
  static final String AUTHORIZATION = new Credentials(URI.create("http://x"), "admin", "secret").authorization();

  record Answer(int status, String contentType, String body) {}

  record Request(String method, String path, String body) {}

  private final HttpServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
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
    answers.put(route, new Answer(status, "application/json", body));
    return this;
  }

  FakeOrchestrator text(String route, int status, String body) {
    answers.put(route, new Answer(status, "text/plain", body));
    return this;
  }

  FakeOrchestrator problem(String route, int status, String detail) {
    answers.put(route, new Answer(status, "application/problem+json", problemBody(status, detail)));
    return this;
  }

  private static String problemBody(int status, String detail) {
    return "{\"type\":\"urn:defpi:problem:x\",\"title\":\"T\",\"status\":" + status + ",\"detail\":"
        + Api.JSON.valueToTree(detail) + ",\"instance\":\"/\"}";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getRawPath()
          + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
      requests.add(new Request(exchange.getRequestMethod(), path, body));
      Answer answer;
      if (!AUTHORIZATION.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        answer = new Answer(401, "application/problem+json", problemBody(401, "wrong user name or password"));
      } else {
        answer = answers.getOrDefault(exchange.getRequestMethod() + " " + path,
            new Answer(404, "application/problem+json", problemBody(404, "no route " + path)));
      }
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", answer.contentType());
      exchange.sendResponseHeaders(answer.status(), answer.status() == 204 ? -1 : bytes.length);
      if (answer.status() != 204) {
        exchange.getResponseBody().write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
