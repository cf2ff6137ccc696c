package org.defpi.examples.energydashboard.web;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.defpi.examples.energydashboard.DashboardSettings;
import org.defpi.examples.energydashboard.history.History;
import org.defpi.examples.energydashboard.history.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard over HTTP (JDK {@code HttpServer}, one virtual thread per exchange):
 *
 * <pre>
 * GET /                  the page (index.html; its script and style are files, see {@link #ASSETS})
 * GET /series.json       the whole history: a {@link DashboardView}; ?epoch=E&amp;after=S for what
 *                        changed after seq S of epoch E (everything if E is not the current epoch)
 * GET /events            Server-Sent Events: an "update" event (a DashboardView) first with
 *                        everything, then with what changed, at most every {@link #MIN_EVENT_GAP}
 * GET /health            200 "ok"
 * </pre>
 *
 * Every answer carries a Content-Security-Policy that allows only this origin, so the page runs no
 * inline script and loads nothing from elsewhere (uPlot is served from its WebJar).
 */
public final class DashboardServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);

  public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
      + "form-action 'none'; frame-ancestors 'none'";
  static final Duration MIN_EVENT_GAP = Duration.ofMillis(250);
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
  private static final String PAGE = "org/defpi/examples/energydashboard/web/";

  /** Path → classpath resource and content type. */
  static final Map<String, Asset> ASSETS = Map.of(
      "/", new Asset(PAGE + "index.html", "text/html; charset=utf-8"),
      "/dashboard.js", new Asset(PAGE + "dashboard.js", "text/javascript; charset=utf-8"),
      "/dashboard.css", new Asset(PAGE + "dashboard.css", "text/css; charset=utf-8"),
      "/favicon.svg", new Asset(PAGE + "favicon.svg", "image/svg+xml"),
      "/assets/uplot/uPlot.iife.min.js", new Asset(UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
      "/assets/uplot/uPlot.min.css", new Asset(UPLOT + "uPlot.min.css", "text/css; charset=utf-8"));

  record Asset(String resource, String contentType) {}

  private final History history;
  private final Supplier<DashboardSettings> settings;
  private final HttpServer server;
  private final ExecutorService executor;
  private volatile boolean open = true;

  private DashboardServer(History history, Supplier<DashboardSettings> settings, HttpServer server,
      ExecutorService executor) {
    this.history = history;
    this.settings = settings;
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving on {@code port} of every interface (0: any free port, see {@link #port()}).
   *
   * @throws IOException the port cannot be bound
   */
  public static DashboardServer start(int port, History history, Supplier<DashboardSettings> settings)
      throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(port), 50);
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    http.setExecutor(executor);
    DashboardServer dashboard = new DashboardServer(history, settings, http, executor);
    http.createContext("/", dashboard::handle);
    http.start();
    LOG.info("dashboard listening on port {}", dashboard.port());
    return dashboard;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops serving; open event streams end within a second. Safe to call twice. */
  @Override
  public void close() {
    if (!open) {
      return;
    }
    open = false;
    history.touch(); // wakes the event streams, which see the server closed
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Headers headers = exchange.getResponseHeaders();
      headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
      headers.set("X-Content-Type-Options", "nosniff");
      headers.set("Referrer-Policy", "no-referrer");
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        headers.set("Allow", "GET, HEAD");
        text(exchange, 405, "only GET and HEAD\n");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      switch (path) {
        case "/health" -> text(exchange, 200, "ok\n");
        case "/series.json" -> seriesJson(exchange);
        case "/events" -> events(exchange);
        case "/index.html" -> asset(exchange, ASSETS.get("/"));
        default -> {
          Asset asset = ASSETS.get(path);
          if (asset == null) {
            text(exchange, 404, "no such page: " + path + "\n");
          } else {
            asset(exchange, asset);
          }
        }
      }
    } catch (IOException e) {
      // The browser went away mid-answer (a closed tab, a reload): nothing to answer any more.
      LOG.debug("answer to {} cut short: {}", exchange.getRequestURI(), e.getMessage());
    }
  }

  private static DashboardView view(DashboardSettings s, Snapshot snapshot) {
    return new DashboardView(s.title(), s.historyHours(), s.limits(), snapshot.epoch(), snapshot.seq(),
        snapshot.full(), snapshot.clock().orElse(null), snapshot.series(), snapshot.summary());
  }

  private void seriesJson(HttpExchange exchange) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI());
    DashboardSettings s = settings.get();
    Snapshot snapshot;
    try {
      snapshot = query.containsKey("after") && query.containsKey("epoch")
          ? history.since(Long.parseLong(query.get("epoch")), Long.parseLong(query.get("after")), s.limits())
          : history.snapshot(s.limits());
    } catch (NumberFormatException e) {
      text(exchange, 400, "epoch and after must be whole numbers\n");
      return;
    }
    byte[] body = Json.mapper().writeValueAsBytes(view(s, snapshot));
    Headers headers = exchange.getResponseHeaders();
    headers.set("Content-Type", "application/json");
    headers.set("Cache-Control", "no-store");
    String accept = exchange.getRequestHeaders().getFirst("Accept-Encoding");
    if (accept != null && accept.contains("gzip") && body.length > 1024) {
      headers.set("Content-Encoding", "gzip");
      headers.set("Vary", "Accept-Encoding");
      send(exchange, 200, 0, out -> {
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
          gzip.write(body);
        }
      });
    } else {
      send(exchange, 200, body.length, out -> out.write(body));
    }
  }

  private void events(HttpExchange exchange) throws IOException {
    Headers headers = exchange.getResponseHeaders();
    headers.set("Content-Type", "text/event-stream; charset=utf-8");
    headers.set("Cache-Control", "no-store");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(200, -1);
      return;
    }
    exchange.sendResponseHeaders(200, 0); // chunked: the stream lasts as long as the page
    OutputStream out = exchange.getResponseBody();
    // Ask a browser that lost the stream to come back after 2 s (its default is 3 s).
    out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
    DashboardSettings s = settings.get();
    Snapshot last = history.snapshot(s.limits());
    writeEvent(out, view(s, last));
    long lastWrite = System.nanoTime();
    try {
      while (open) {
        boolean changed = history.awaitChange(last.epoch(), last.seq(), Duration.ofSeconds(1));
        if (!open) {
          break;
        }
        if (changed) {
          s = settings.get();
          last = history.since(last.epoch(), last.seq(), s.limits());
          writeEvent(out, view(s, last));
          lastWrite = System.nanoTime();
          Thread.sleep(MIN_EVENT_GAP); // a fast simulation is drawn in batches, not per sample
        } else if (System.nanoTime() - lastWrite > KEEP_ALIVE.toNanos()) {
          out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          lastWrite = System.nanoTime();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the server is stopping
    }
  }

  private static void writeEvent(OutputStream out, DashboardView view) throws IOException {
    byte[] json = Json.mapper().writeValueAsBytes(view); // one line: JSON escapes every newline
    out.write("event: update\ndata: ".getBytes(StandardCharsets.UTF_8));
    out.write(json);
    out.write("\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private void asset(HttpExchange exchange, Asset asset) throws IOException {
    byte[] body;
    try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(asset.resource())) {
      if (in == null) {
        throw new IllegalStateException("the build lost a resource of the page: " + asset.resource());
      }
      body = in.readAllBytes();
    }
    Headers headers = exchange.getResponseHeaders();
    headers.set("Content-Type", asset.contentType());
    headers.set("Cache-Control", "no-cache");
    send(exchange, 200, body.length, out -> out.write(body));
  }

  private static void text(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    send(exchange, status, body.length, out -> out.write(body));
  }

  private interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Sends status and body; a HEAD request gets the headers only. {@code length} 0 is chunked. */
  private static void send(HttpExchange exchange, int status, long length, Body body) throws IOException {
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, length == 0 ? 0 : length);
    try (OutputStream out = exchange.getResponseBody()) {
      body.writeTo(out);
    }
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> params = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        params.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return params;
  }
}
