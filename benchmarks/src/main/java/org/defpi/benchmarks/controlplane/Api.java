package org.defpi.benchmarks.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The orchestrator's REST API over HTTP on loopback, as a client calls it; any unexpected status is an exception. */
final class Api {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final URI base;
  private final HttpClient http;

  Api(URI base) {
    this.base = base;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  HttpClient client() {
    return http;
  }

  URI uri(String pathAndQuery) {
    return base.resolve(pathAndQuery);
  }

  /** A bearer token for {@code name}. */
  String login(String name, String password) throws IOException, InterruptedException {
    String body = JSON.writeValueAsString(Map.of("name", name, "password", password));
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri("/login")).timeout(TIMEOUT)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), 201);
    return JSON.readTree(r.body()).path("token").asText();
  }

  HttpResponse<byte[]> get(String pathAndQuery, String token) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(TIMEOUT).header("Authorization", "Bearer " + token)
        .GET().build(), 200);
  }

  JsonNode getJson(String pathAndQuery, String token) throws IOException, InterruptedException {
    return JSON.readTree(get(pathAndQuery, token).body());
  }

  HttpResponse<byte[]> put(String pathAndQuery, Map<String, String> headers, String json, int expected)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(TIMEOUT)
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json));
    headers.forEach(b::header);
    return send(b.build(), expected);
  }

  private HttpResponse<byte[]> send(HttpRequest request, int expected) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != expected) {
      String body = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
      throw new IOException(request.method() + " " + request.uri().getRawPath() + " answered " + r.statusCode()
          + " (expected " + expected + "): " + (body.length() > 300 ? body.substring(0, 300) + "…" : body));
    }
    return r;
  }
}
