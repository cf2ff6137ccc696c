package org.defpi.benchmarks.controlplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import org.defpi.wire.label.ImageLabels;
import org.defpi.wire.label.InterfaceLabel;
import org.defpi.wire.label.InterfaceVersionLabel;
import org.defpi.wire.label.ServiceLabels;

/**
 * Just enough of the Registry HTTP API v2 on loopback for the orchestrator's registry reader:
 * {@code services} repositories {@code services/svc-NNNN} with {@code tags} tags each, paged as
 * Distribution pages them ({@code n}, {@code last}, a {@code Link} header), every tag a
 * single-platform image manifest whose config blob carries valid dEF-Pi labels. No auth. It counts
 * the requests it answered, so the bench can say how many one catalog refresh costs.
 */
final class SimulatedRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";

  private final HttpServer http;
  private final ExecutorService executor;
  private final List<String> repositories = new ArrayList<>();
  private final List<String> tags = new ArrayList<>();
  private final byte[] config;
  private final String configDigest;
  private final byte[] manifest;
  private final String manifestDigest;
  private final LongAdder requests = new LongAdder();

  SimulatedRegistry(int services, int tagsPerService) throws IOException {
    for (int s = 0; s < services; s++) {
      repositories.add(String.format(Locale.ROOT, "services/svc-%04d", s));
    }
    for (int t = 0; t < tagsPerService; t++) {
      tags.add(String.format(Locale.ROOT, "1.0.%d", t));
    }
    String hash = "a".repeat(64);
    ServiceLabels labels = new ServiceLabels("Bench service", List.of(new InterfaceLabel("bench/measurement",
        "measurement", "bench", List.of(new InterfaceVersionLabel("v1", hash, hash)), true, false)), List.of());
    ObjectNode configJson = JSON.createObjectNode().put("os", "linux").put("architecture", "amd64");
    ObjectNode labelsJson = configJson.putObject("config").putObject("Labels");
    ImageLabels.write(labels).forEach(labelsJson::put);
    config = JSON.writeValueAsBytes(configJson);
    configDigest = digest(config);
    ObjectNode manifestJson = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MANIFEST);
    manifestJson.putObject("config").put("mediaType", "application/vnd.docker.container.image.v1+json")
        .put("size", config.length).put("digest", configDigest);
    manifestJson.putArray("layers");
    manifest = JSON.writeValueAsBytes(manifestJson);
    manifestDigest = digest(manifest);
    executor = Executors.newVirtualThreadPerTaskExecutor();
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.setExecutor(executor);
    http.createContext("/v2/", this::answer);
    http.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
  }

  /** Requests answered so far. */
  long requests() {
    return requests.sum();
  }

  private void answer(HttpExchange exchange) throws IOException {
    requests.increment();
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      if (path.equals("/v2/")) {
        send(exchange, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
      } else if (path.equals("/v2/_catalog")) {
        page(exchange, "/v2/_catalog", "repositories", repositories, query);
      } else if (path.startsWith("/v2/services/")) {
        String rest = path.substring("/v2/".length());
        int at = rest.indexOf('/', "services/".length());
        String repository = at < 0 ? rest : rest.substring(0, at);
        String what = at < 0 ? "" : rest.substring(at + 1);
        if (!repositories.contains(repository)) {
          send(exchange, 404, "application/json", "{\"errors\":[{\"code\":\"NAME_UNKNOWN\"}]}".getBytes());
        } else if (what.equals("tags/list")) {
          page(exchange, "/v2/" + repository + "/tags/list", "tags", tags, query);
        } else if (what.startsWith("manifests/")) {
          exchange.getResponseHeaders().set("Docker-Content-Digest", manifestDigest);
          send(exchange, 200, MANIFEST, manifest);
        } else if (what.equals("blobs/" + configDigest)) {
          send(exchange, 200, "application/octet-stream", config);
        } else {
          send(exchange, 404, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        }
      } else {
        send(exchange, 404, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /** One page of {@code all} after {@code last}, at most {@code n}, with a Link to the next when there is more. */
  private static void page(HttpExchange exchange, String path, String field, List<String> all, Map<String, String> query)
      throws IOException {
    int n = Integer.parseInt(query.getOrDefault("n", "100"));
    String last = query.get("last");
    int from = last == null ? 0 : all.indexOf(last) + 1;
    int to = Math.min(all.size(), from + n);
    ObjectNode body = JSON.createObjectNode();
    ArrayNode items = body.putArray(field);
    all.subList(from, to).forEach(items::add);
    if (to < all.size()) {
      exchange.getResponseHeaders().set("Link", "<" + path + "?last=" + all.get(to - 1) + "&n=" + n + ">; rel=\"next\"");
    }
    send(exchange, 200, "application/json", JSON.writeValueAsBytes(body));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  private static String digest(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public void close() {
    http.stop(0);
    executor.close();
  }
}
