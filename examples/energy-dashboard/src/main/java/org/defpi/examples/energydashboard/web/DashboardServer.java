package org.defpi.examples.energydashboard.web;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.sse.SseClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.defpi.examples.energydashboard.DashboardSettings;
import org.defpi.examples.energydashboard.history.History;
import org.defpi.examples.energydashboard.history.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard over HTTP (Javalin on virtual threads):
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
 * inline script and loads nothing from elsewhere (uPlot is served from its WebJar). The JDK's own
 * {@code com.sun.net.httpserver} would do too, but the base image's trimmed JRE has no
 * {@code jdk.httpserver} module.
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
  private static final String TEXT = "text/plain; charset=utf-8";

  /** Path → classpath resource and content type. */
  static final Map<String, Asset> ASSETS = Map.of(
      "/", new Asset(PAGE + "index.html", "text/html; charset=utf-8"),
      "/index.html", new Asset(PAGE + "index.html", "text/html; charset=utf-8"),
      "/dashboard.js", new Asset(PAGE + "dashboard.js", "text/javascript; charset=utf-8"),
      "/dashboard.css", new Asset(PAGE + "dashboard.css", "text/css; charset=utf-8"),
      "/favicon.svg", new Asset(PAGE + "favicon.svg", "image/svg+xml"),
      "/assets/uplot/uPlot.iife.min.js", new Asset(UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
      "/assets/uplot/uPlot.min.css", new Asset(UPLOT + "uPlot.min.css", "text/css; charset=utf-8"));

  /** A file of the page, read once at start: a missing one fails the start, not a request. */
  record Asset(String resource, String contentType) {
    byte[] read() {
      try (InputStream in = DashboardServer.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("the build lost a file of the page: " + resource);
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private final History history;
  private final Supplier<DashboardSettings> settings;
  private volatile Javalin app;
  private volatile boolean open = true;

  private DashboardServer(History history, Supplier<DashboardSettings> settings) {
    this.history = history;
    this.settings = settings;
  }

  /**
   * Starts serving on {@code port} of every interface (0: any free port, see {@link #port()}).
   *
   * @throws IOException the port cannot be bound
   */
  public static DashboardServer start(int port, History history, Supplier<DashboardSettings> settings)
      throws IOException {
    DashboardServer dashboard = new DashboardServer(history, settings);
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.concurrency.useVirtualThreads = true;
      // An event stream must reach the browser event by event: /series.json is gzipped by hand.
      config.http.compressionStrategy = CompressionStrategy.NONE;
      var r = config.routes;
      r.before(ctx -> {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        if (ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) {
          ctx.header("Allow", "GET, HEAD");
          ctx.status(405).contentType(TEXT).result("only GET and HEAD\n");
          ctx.skipRemainingHandlers();
        }
      });
      r.get("/health", ctx -> ctx.contentType(TEXT).result("ok\n"));
      r.get("/series.json", dashboard::seriesJson);
      r.sse("/events", dashboard::events);
      ASSETS.forEach((path, asset) -> {
        byte[] body = asset.read();
        r.get(path, ctx -> ctx.contentType(asset.contentType()).header("Cache-Control", "no-cache").result(body));
      });
      r.error(404, ctx -> ctx.contentType(TEXT).result("no such page: " + ctx.path() + "\n"));
      r.exception(Exception.class, (e, ctx) -> {
        // Must not throw: Javalin hands what it throws back to it (javalin/javalin#2422). Its
        // error step does throw once an event stream's page has gone (Jetty recycled the
        // response): nothing to answer then, and nothing went wrong.
        try {
          ctx.status(500).contentType(TEXT).result("the dashboard failed on this request\n");
        } catch (RuntimeException over) {
          LOG.debug("a request that is over failed: {}", e.toString());
          return;
        }
        LOG.error("{} failed", ctx.path(), e);
      });
    });
    try {
      app.start(port);
    } catch (RuntimeException e) { // JavalinBindException and what Jetty throws with it
      app.stop();
      throw new IOException(e.getMessage(), e);
    }
    dashboard.app = app;
    LOG.info("dashboard listening on port {}", app.port());
    return dashboard;
  }

  public int port() {
    return app.port();
  }

  /** Stops serving; open event streams end first. Safe to call twice. */
  @Override
  public void close() {
    if (!open) {
      return;
    }
    open = false;
    history.touch(); // wakes the event streams, which see the server closed and end
    app.stop();
  }

  private static DashboardView view(DashboardSettings s, Snapshot snapshot) {
    return new DashboardView(s.title(), s.historyHours(), s.limits(), snapshot.epoch(), snapshot.seq(),
        snapshot.full(), snapshot.clock().orElse(null), snapshot.series(), snapshot.summary());
  }

  private void seriesJson(Context ctx) throws IOException {
    DashboardSettings s = settings.get();
    String epoch = ctx.queryParam("epoch");
    String after = ctx.queryParam("after");
    Snapshot snapshot;
    try {
      snapshot = epoch != null && after != null
          ? history.since(Long.parseLong(epoch), Long.parseLong(after), s.limits())
          : history.snapshot(s.limits());
    } catch (NumberFormatException e) {
      ctx.status(400).contentType(TEXT).result("epoch and after must be whole numbers\n");
      return;
    }
    byte[] body = Json.mapper().writeValueAsBytes(view(s, snapshot));
    ctx.contentType("application/json").header("Cache-Control", "no-store").header("Vary", "Accept-Encoding");
    String accept = ctx.header("Accept-Encoding");
    if (accept != null && accept.contains("gzip") && body.length > 1024) {
      ByteArrayOutputStream zipped = new ByteArrayOutputStream(body.length / 4);
      try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
        gzip.write(body);
      }
      ctx.header("Content-Encoding", "gzip").result(zipped.toByteArray());
    } else {
      ctx.result(body);
    }
  }

  /** One page's event stream: everything, then what changed, until the page or the server goes. */
  private void events(SseClient client) {
    client.ctx().header("Cache-Control", "no-store");
    try {
      DashboardSettings s = settings.get();
      Snapshot last = history.snapshot(s.limits());
      client.sendEvent("update", Json.mapper().writeValueAsString(view(s, last)));
      long lastWrite = System.nanoTime();
      while (open && !client.terminated()) {
        boolean changed = history.awaitChange(last.epoch(), last.seq(), Duration.ofSeconds(1));
        if (!open) {
          break;
        }
        if (changed) {
          s = settings.get();
          last = history.since(last.epoch(), last.seq(), s.limits());
          client.sendEvent("update", Json.mapper().writeValueAsString(view(s, last)));
          lastWrite = System.nanoTime();
          Thread.sleep(MIN_EVENT_GAP); // a fast simulation is drawn in batches, not per sample
        } else if (System.nanoTime() - lastWrite > KEEP_ALIVE.toNanos()) {
          client.sendComment("keep-alive");
          lastWrite = System.nanoTime();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the server is stopping
    } catch (IOException e) {
      throw new UncheckedIOException(e); // Jackson on records in memory: does not fail
    } finally {
      client.close();
    }
  }
}
