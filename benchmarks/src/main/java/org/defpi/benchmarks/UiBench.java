package org.defpi.benchmarks;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.defpi.orchestrator.Ids;
import org.defpi.orchestrator.Settings;
import org.defpi.orchestrator.Wiring;
import org.defpi.orchestrator.connection.Connection;
import org.defpi.orchestrator.connection.Endpoint;
import org.defpi.orchestrator.process.Placement;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.process.ProcessState;
import org.defpi.orchestrator.process.Token;
import org.defpi.orchestrator.store.RealStore;
import org.defpi.orchestrator.user.Role;
import org.defpi.orchestrator.user.User;
import org.defpi.wire.label.InterfaceLabel;
import org.defpi.wire.label.InterfaceVersionLabel;

/**
 * How long the web canvas takes to show a big environment, and whether it stays fluid: one user
 * with 500 RUNNING processes and 1000 ACTIVE connections between them, seeded into an H2 store of
 * its own, served by an orchestrator in this JVM that does not act on the Swarm
 * ({@code DEFPI_RECONCILE=off}: nothing is deployed, and the deployed orchestrator's services and
 * node labels are left alone). Debian's Chromium (headless, 1280×800, driven by Playwright, which is
 * told never to download a browser), a fresh browser context each run (nothing cached), logs in
 * through the login page and waits for the performance mark {@code defpi:canvas-drawn} the canvas
 * sets once it has drawn the environment; then reloads the page (the session's token is in
 * sessionStorage) and waits for the mark again. A bundle without that mark is timed until that many
 * boxes are in the page instead (said in the output). Exit status 0 whatever the numbers: it
 * measures, it does not gate.
 *
 * <p>The headline is the reload: opening the canvas with a session, from the navigation start to
 * the mark (the scripts are in the browser's cache then, as for a user who comes back). The time
 * from the login click to the mark is the second number. Then, with the view the canvas fitted,
 * the frames of a box dragged 300 px and of a zoom out from 1 to the fit, one input a frame.
 *
 * <p>Arguments (all optional): {@code runs=5 processes=500 connections=1000 chromium=/usr/bin/chromium
 * screenshot=FILE} (a PNG of the last run's canvas at the mark, to see what was measured)
 * {@code trace=FILE} (one more run, not counted, with a Chromium trace of its reload, drag and zoom,
 * for chrome://tracing or the DevTools' performance panel) {@code fluid=0} (no drag and zoom).
 * Per run it prints both times and the API calls of each; then p50 and max of each, against the
 * target, and the frame times of all runs' drags and zooms (p50, p95, max).
 */
public final class UiBench {
  static final String MARK = "defpi:canvas-drawn";
  static final long TARGET_MS = 1000;
  private static final String PASSWORD = "bench-password";
  private static final String SERVICE = "bench-hub";
  private static final List<String> CHROMIUM_ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic",
      "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");

  private UiBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    int runs = Integer.parseInt(options.getOrDefault("runs", "5"));
    int processCount = Integer.parseInt(options.getOrDefault("processes", "500"));
    int connectionCount = Integer.parseInt(options.getOrDefault("connections", "1000"));
    Path chromium = Path.of(options.getOrDefault("chromium", "/usr/bin/chromium"));
    if (!Files.isExecutable(chromium)) {
      throw new IllegalStateException(chromium + " is not there: apt-get install chromium (scripts/env.sh up does)");
    }
    Path data = Files.createTempDirectory("defpi-bench-ui");
    try {
      long seeding = System.nanoTime();
      seed(data, processCount, connectionCount);
      log("seeded %d processes and %d connections of user 'bench' in %d ms", processCount, connectionCount,
          msSince(seeding));
      try (Wiring orchestrator = Wiring.start(Settings.fromEnv(Map.of(
          "DEFPI_PORT", "0",
          "DEFPI_DATA_DIR", data.toString(),
          "DEFPI_ADMIN_PASSWORD_FILE", data.resolve("unused").toString(), // read only when there are no users
          "DEFPI_RECONCILE", "off",
          "DEFPI_REGISTRY_URL", "http://127.0.0.1:5000")))) {
        String base = "http://127.0.0.1:" + orchestrator.port();
        log("orchestrator on %s (DEFPI_RECONCILE=off: nothing is deployed)", base);
        measure(base, chromium, runs, processCount, connectionCount,
            Optional.ofNullable(options.get("screenshot")).map(Path::of),
            Optional.ofNullable(options.get("trace")).map(Path::of),
            !"0".equals(options.getOrDefault("fluid", "1")));
      }
    } finally {
      try (var files = Files.walk(data)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  // ---- the store

  /** One user, {@code processes} RUNNING processes of a service with four interfaces, {@code connections} ACTIVE ones. */
  static void seed(Path data, int processes, int connections) {
    if (connections > 2 * processes || processes < 3) {
      throw new IllegalArgumentException("at most two connections per process, and at least 3 processes");
    }
    Clock clock = Clock.systemUTC();
    Ids ids = Ids.secure(clock);
    Instant t0 = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    try (RealStore store = RealStore.open(data)) {
      User user = new User(ids.newId(), "bench", Role.USER, Optional.empty(), t0);
      String hash = new String(BCrypt.withDefaults().hash(10, PASSWORD.getBytes(StandardCharsets.UTF_8)),
          StandardCharsets.US_ASCII);
      if (!store.users().insertUser(user, hash)) {
        throw new IllegalStateException("the fresh store already has a user 'bench'");
      }
      List<InterfaceLabel> interfaces = List.of(
          iface("measurement", "a", "b"), iface("log", "b", "a"), iface("control", "c", "d"), iface("status", "d", "c"));
      List<String> processIds = new ArrayList<>();
      for (int i = 0; i < processes; i++) {
        String id = ids.newId();
        processIds.add(id);
        store.insert(new Process(id, SERVICE, String.format(Locale.ROOT, "hub-%03d", i), "1.0.0", user.id(),
            ProcessState.RUNNING, Optional.empty(), Map.of("interval", Integer.toString(1000 + i)), t0.plusMillis(i),
            "127.0.0.1:5000/services/" + SERVICE + ":1.0.0@sha256:" + "0".repeat(64), interfaces,
            new Token(ids.newToken()), Placement.ANY_PUBLIC_NODE, List.of("amd64"), Optional.empty()));
      }
      // i-th connection: process a's measurement to its neighbour's log, then to one 7 further on: no
      // process to itself, no pair twice, two lines out of and into each process at most
      for (int i = 0; i < connections; i++) {
        int a = i % processes;
        int b = (a + (i < processes ? 1 : 8)) % processes;
        store.insert(new Connection(ids.newId(),
            new Endpoint(processIds.get(a), SERVICE + "/measurement", "v1", hash("b"), hash("a"), true, Optional.empty()),
            new Endpoint(processIds.get(b), SERVICE + "/log", "v1", hash("a"), hash("b"), true, Optional.empty()),
            5000 + i % 5000, t0.plusMillis(processes + i)));
      }
    }
  }

  private static InterfaceLabel iface(String name, String receives, String sends) {
    return new InterfaceLabel(SERVICE + "/" + name, name, SERVICE,
        List.of(new InterfaceVersionLabel("v1", hash(receives), hash(sends))), true, false);
  }

  /** A message type's hash as the labels carry one: 64 hex digits. */
  private static String hash(String seed) {
    return seed.repeat(64).substring(0, 64);
  }

  // ---- the browser

  /**
   * One run: opening the canvas with a session (navigation start of a reload to the mark, the
   * headline) and from the login click to the mark, in ms; the API calls of each; the frames of a
   * drag and of a zoom out (ms between frames).
   */
  record Run(double fromNavigation, double fromLogin, String navigationApi, String loginApi, String detail,
      List<Double> dragFrames, List<Double> zoomFrames, String fluidNote) {}

  private static void measure(String base, Path chromium, int runs, int processes, int connections,
      Optional<Path> screenshot, Optional<Path> trace, boolean fluid) throws Exception {
    String bundleMark = bundleHasMark();
    try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
            .setExecutablePath(chromium).setHeadless(true).setArgs(CHROMIUM_ARGS))) {
      boolean byMark = bundleMark == null;
      if (!byMark) {
        log("%s: timed until %d process boxes are in the page instead", bundleMark, processes);
      }
      List<Run> all = new ArrayList<>();
      for (int i = 1; i <= runs; i++) {
        long started = System.nanoTime();
        Run run = once(browser, base, byMark, processes, fluid, i == runs ? screenshot : Optional.empty(),
            Optional.empty());
        all.add(run);
        log("run %d/%d (%.1f s): navigation→drawn %4.0f ms (reload with a session), login→drawn %4.0f ms%s", i, runs,
            msSince(started) / 1000.0, run.fromNavigation(), run.fromLogin(), run.detail().isEmpty() ? "" : "  " + run.detail());
        log("  reload api from navigation start %s", run.navigationApi());
        log("  login  api from the click        %s", run.loginApi());
        if (fluid) {
          log("  drag %d frames %s | zoom out %d frames %s%s", run.dragFrames().size(), frames(run.dragFrames()),
              run.zoomFrames().size(), frames(run.zoomFrames()), run.fluidNote());
        }
      }
      if (trace.isPresent()) {
        Run traced = once(browser, base, byMark, processes, fluid, Optional.empty(), trace);
        log("traced run (not counted, tracing slows it): navigation→drawn %4.0f ms; trace in %s",
            traced.fromNavigation(), trace.get());
      }
      double[] nav = all.stream().mapToDouble(Run::fromNavigation).sorted().toArray();
      double[] login = all.stream().mapToDouble(Run::fromLogin).sorted().toArray();
      double p50 = p50(nav);
      System.out.printf(Locale.ROOT, "canvas   %d processes, %d connections: navigation→drawn p50 %4.0f ms max %4.0f ms"
          + " (opening the canvas with a session; target p50 < %d ms: %s) | login→drawn p50 %4.0f ms max %4.0f ms"
          + "   [%d runs, %s]%n",
          processes, connections, p50, nav[nav.length - 1], TARGET_MS, p50 < TARGET_MS ? "met" : "missed",
          p50(login), login[login.length - 1], runs, byMark ? "mark " + MARK : "boxes in the DOM, no mark yet");
      if (fluid) {
        List<Double> drag = all.stream().flatMap(r -> r.dragFrames().stream()).toList();
        List<Double> zoom = all.stream().flatMap(r -> r.zoomFrames().stream()).toList();
        System.out.printf(Locale.ROOT, "fluid    %d boxes, %d lines, the view the canvas fitted: drag a box 300 px: ms per frame %s"
            + " | zoom out to fit from 1: ms per frame %s   [frames of %d runs; 60 Hz is 16.7 ms]%n",
            processes, connections, frames(drag), frames(zoom), runs);
      }
    }
  }

  private static Run once(Browser browser, String base, boolean byMark, int processes, boolean fluid,
      Optional<Path> screenshot, Optional<Path> trace) {
    try (BrowserContext context = browser.newContext(new Browser.NewContextOptions()
        .setBaseURL(base).setViewportSize(1280, 800))) {
      context.setDefaultTimeout(60_000);
      Page page = context.newPage();
      page.navigate("/");
      page.getByLabel("Name").fill("bench");
      page.getByLabel("Password").fill(PASSWORD);
      Locator logIn = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in"));
      // marked by the page itself, on the click's own event: no round trip between the mark and the click
      logIn.evaluate("b => b.addEventListener('click', () => performance.mark('bench:login-click'), { once: true })");
      logIn.click();
      waitForDrawn(page, byMark, processes);
      double click = ((Number) page.evaluate("() => performance.getEntriesByName('bench:login-click')[0].startTime"))
          .doubleValue();
      double fromLogin = drawnAt(page) - click;
      String loginApi = apiTimes(page, click);
      // the headline: opening the canvas with a session (the token is in sessionStorage), as a
      // user who comes back to it, from the navigation start (the new document's time origin)
      trace.ifPresent(file -> browser.startTracing(page, new Browser.StartTracingOptions().setPath(file)
          .setCategories(List.of("devtools.timeline", "disabled-by-default-devtools.timeline",
              "disabled-by-default-devtools.timeline.frame", "blink.user_timing", "v8.execute",
              "disabled-by-default-v8.cpu_profiler", "loading", "latencyInfo"))));
      page.reload();
      waitForDrawn(page, byMark, processes);
      double fromNavigation = drawnAt(page);
      String navigationApi = apiTimes(page, 0);
      String detail = byMark ? "detail " + page.evaluate("name => JSON.stringify(performance.getEntriesByName(name)[0].detail ?? null)", MARK) : "";
      screenshot.ifPresent(file -> page.screenshot(new Page.ScreenshotOptions().setPath(file)));
      List<Double> drag = List.of();
      List<Double> zoom = List.of();
      String note = "";
      if (fluid) {
        Fluid f = fluidity(page);
        drag = f.drag();
        zoom = f.zoom();
        note = f.note();
      }
      if (trace.isPresent()) {
        browser.stopTracing();
      }
      return new Run(fromNavigation, fromLogin, navigationApi, loginApi, detail, drag, zoom, note);
    }
  }

  private static void waitForDrawn(Page page, boolean byMark, int processes) {
    if (byMark) {
      page.waitForFunction("name => performance.getEntriesByName(name).length > 0", MARK);
    } else {
      page.waitForFunction("n => { if (document.querySelectorAll('.react-flow__node').length >= n) {"
          + " performance.mark('" + MARK + "', { detail: 'boxes' }); return true; } return false; }", processes);
    }
  }

  private static double drawnAt(Page page) {
    return ((Number) page.evaluate("name => performance.getEntriesByName(name)[0].startTime", MARK)).doubleValue();
  }

  // ---- fluidity: the frames of a drag and of a zoom, one input a frame, timed by requestAnimationFrame

  record Fluid(List<Double> drag, List<Double> zoom, String note) {}

  private static final int DRAG_PX = 300;
  private static final int DRAG_STEPS = 30;

  /**
   * In the page: one input event a frame, as a mouse or wheel gives them (Chromium hands the page at
   * most one mouse move a frame), each sent at the start of a frame; the answer is the ms between
   * the frames, one a step. Dispatched by the page rather than sent over the DevTools protocol,
   * whose round trips would leave idle frames between the steps. React Flow's drag (d3-drag) and
   * zoom (d3-zoom) take them as they take a user's.
   */
  private static final String DRIVE = """
      async ({ kind, x, y, steps, px, delta, until }) => {
        const frame = () => new Promise((r) => requestAnimationFrame(r));
        const zoom = () => { const m = /scale\\(([0-9.e-]+)\\)/.exec(document.querySelector('.react-flow__viewport').style.transform);
          return m ? Number(m[1]) : 1; };
        const at = (cx, cy) => document.elementFromPoint(cx, cy);
        const mouse = (type, target, cx, cy) => target.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true,
          view: window, clientX: cx, clientY: cy, button: 0, buttons: type === 'mouseup' ? 0 : 1 }));
        const wheel = (target, cx, cy, dy) => target.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true,
          view: window, clientX: cx, clientY: cy, deltaY: dy, deltaMode: 0 }));
        const times = [];
        performance.mark('bench:' + kind + '-start');
        let last = await frame();
        const step = async (input) => { input(); const t = await frame(); times.push(t - last); last = t; };
        if (kind === 'drag') {
          // pressed, and picked up 2 px down (React Flow starts a drag once the pointer has moved,
          // and does not move the box for that move): neither is timed; then the moves, and let go
          const box = at(x, y);
          await step(() => mouse('mousedown', box, x, y));
          await step(() => mouse('mousemove', box, x, y + 2));
          times.length = 0;
          for (let i = 1; i <= steps; i++) await step(() => mouse('mousemove', box, x + px * i / steps, y + 2));
          await step(() => mouse('mouseup', box, x + px, y + 2));
        } else {
          const pane = at(x, y);
          for (let i = 0; i < 60 && (delta > 0 ? zoom() > until * 1.0001 : zoom() < until); i++) {
            await step(() => wheel(pane, x, y, delta));
          }
        }
        performance.mark('bench:' + kind + '-end');
        for (let i = 0; i < 3; i++) await frame();
        return { times, zoom: zoom() };
      }""";

  /**
   * With the view as the canvas fitted it (the whole environment in view): a box dragged 300 px to
   * the right in 30 moves, one a frame; then (after a zoom in to 1 at the middle, not timed) one
   * wheel step out a frame until the zoom is back where the fit had it. The box goes back after
   * (not timed), so the next run's kept layout is the same.
   */
  @SuppressWarnings("unchecked")
  private static Fluid fluidity(Page page) {
    Map<String, Object> pane = (Map<String, Object>) page.evaluate("() => { const r = document"
        + ".querySelector('.react-flow__pane').getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; }");
    double cx = ((Number) pane.get("x")).doubleValue();
    double cy = ((Number) pane.get("y")).doubleValue();
    // the box nearest the point left of the middle, grabbed at the middle of its head (not on a port's dot)
    Map<String, Object> box = (Map<String, Object>) page.evaluate("([x, y]) => { let best = null, d = Infinity;"
        + " for (const n of document.querySelectorAll('.react-flow__node')) { const r = n.getBoundingClientRect();"
        + " const e = Math.hypot(r.x + r.width / 2 - x, r.y + r.height / 2 - y); if (e < d) { d = e; best = n; } }"
        + " const r = best.getBoundingClientRect();"
        + " return { id: best.dataset.id, x: r.x + r.width / 2, y: r.y + Math.max(1, Math.min(8, r.height * 0.15)) }; }",
        List.of(cx - DRAG_PX / 2.0, cy));
    String id = (String) box.get("id");
    double bx = ((Number) box.get("x")).doubleValue();
    double by = ((Number) box.get("y")).doubleValue();
    Locator node = page.locator("[data-id='" + id + "']");
    String left = "el => el.getBoundingClientRect().x";
    double before = ((Number) node.evaluate(left)).doubleValue();
    Map<String, Object> dragged = (Map<String, Object>) page.evaluate(DRIVE,
        Map.of("kind", "drag", "x", bx, "y", by, "steps", DRAG_STEPS, "px", DRAG_PX));
    double moved = ((Number) node.evaluate(left)).doubleValue() - before;
    page.evaluate(DRIVE, Map.of("kind", "drag", "x", bx + moved, "y", by, "steps", 3, "px", -moved)); // back
    double fitted = ((Number) dragged.get("zoom")).doubleValue();
    // in, not timed: big steps to 0.5, then wheel steps to 1
    page.evaluate(DRIVE, Map.of("kind", "zoom", "x", cx, "y", cy, "delta", -400, "until", 0.5));
    Map<String, Object> in = (Map<String, Object>) page.evaluate(DRIVE,
        Map.of("kind", "zoom", "x", cx, "y", cy, "delta", -100, "until", 1));
    Map<String, Object> out = (Map<String, Object>) page.evaluate(DRIVE,
        Map.of("kind", "zoom", "x", cx, "y", cy, "delta", 100, "until", fitted));
    List<Double> drag = toDoubles((List<Object>) dragged.get("times"));
    List<Double> zoom = toDoubles((List<Object>) out.get("times"));
    String note = String.format(Locale.ROOT, "  [box moved %.0f px; zoom %.3f → %.2f → %.3f]", moved, fitted,
        ((Number) in.get("zoom")).doubleValue(), ((Number) out.get("zoom")).doubleValue());
    return new Fluid(drag, zoom, note);
  }

  private static List<Double> toDoubles(List<Object> values) {
    return values.stream().map(v -> ((Number) v).doubleValue()).toList();
  }

  /** "p50 X p95 Y max Z ms" of frame times. */
  private static String frames(List<Double> ms) {
    if (ms.isEmpty()) {
      return "(none)";
    }
    double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return String.format(Locale.ROOT, "p50 %.1f p95 %.1f max %.0f", p50(sorted),
        sorted[(int) Math.ceil(sorted.length * 0.95) - 1], sorted[sorted.length - 1]);
  }

  /**
   * Where the time went: each API call that started after {@code from} (ms on the page's clock), as
   * "path start→end" in ms from it. The event stream stays open, so it is not listed (an entry comes
   * only once a response ends).
   */
  private static String apiTimes(Page page, double from) {
    @SuppressWarnings("unchecked")
    List<String> calls = (List<String>) page.evaluate("from => performance.getEntriesByType('resource')"
        + ".filter(r => r.startTime >= from && !r.name.includes('/assets/') && new URL(r.name).pathname !== '/')"
        + ".map(r => { const u = new URL(r.name);"
        + " return u.pathname + ' ' + Math.round(r.startTime - from) + '→' + Math.round(r.responseEnd - from); })", from);
    return "[" + String.join(", ", calls) + "]";
  }

  /** Null when the built main bundle sets the mark; else why not. */
  private static String bundleHasMark() {
    String built = "web/target/classes/org/defpi/web/assets";
    // from the project's root, or from this module's (exec:exec runs there)
    Path assets = Path.of(System.getProperty("defpi.web.assets",
        Files.isDirectory(Path.of(built)) ? built : "../" + built));
    try (var files = Files.list(assets)) {
      for (Path js : files.filter(p -> p.toString().endsWith(".js")).toList()) {
        if (Files.readString(js).contains(MARK)) {
          return null;
        }
      }
      return "the web bundle in " + assets + " sets no " + MARK + " mark";
    } catch (java.io.IOException e) {
      return "cannot read the web bundle in " + assets + " (" + e.getMessage() + ")";
    }
  }

  // ---- helpers

  private static double p50(double[] sorted) {
    return sorted[(sorted.length + 1) / 2 - 1]; // nearest rank, as the lifecycle bench
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new java.util.HashMap<>();
    for (String arg : args) {
      for (String word : arg.trim().split("\\s+")) {
        if (word.isEmpty()) {
          continue;
        }
        int eq = word.indexOf('=');
        if (eq < 1) {
          throw new IllegalArgumentException("arguments are name=value (runs, processes, connections, chromium,"
              + " screenshot, trace, fluid), not '"
              + word + "'");
        }
        options.put(word.substring(0, eq), word.substring(eq + 1));
      }
    }
    return options;
  }

  private static long msSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private static void log(String format, Object... args) {
    System.err.printf(Locale.ROOT, "[bench] " + format + "%n", args);
  }
}
