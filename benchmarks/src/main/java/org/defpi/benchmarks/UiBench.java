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
 * How long the web canvas takes to show a big environment: one user with 500 RUNNING processes
 * and 1000 ACTIVE connections between them, seeded into an H2 store of its own, served by an
 * orchestrator in this JVM that does not act on the Swarm ({@code DEFPI_RECONCILE=off}: nothing
 * is deployed, and the deployed orchestrator's services and node labels are left alone). Debian's
 * Chromium (headless, 1280×800, driven by Playwright, which is told never to download a browser)
 * logs in through the login page, a fresh browser context each run (nothing cached), and the run
 * ends at the performance mark {@code defpi:canvas-drawn} that the canvas sets once React Flow has
 * drawn every process box. A bundle without that mark is timed until that many boxes are in the
 * page instead (said in the output). Exit status 0 whatever the numbers: it measures, it does not gate.
 *
 * <p>Arguments (all optional): {@code runs=5 processes=500 connections=1000 chromium=/usr/bin/chromium
 * screenshot=FILE} (a PNG of the last run's canvas, to see what was measured).
 * Per run it prints the time from the login click and from the navigation start to the mark; then
 * p50 and max of each, against the target.
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
            Optional.ofNullable(options.get("screenshot")).map(Path::of));
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

  /** One run: from the login click and from the navigation start to the canvas drawn, in ms. */
  record Run(double fromLogin, double fromNavigation, String detail) {}

  private static void measure(String base, Path chromium, int runs, int processes, int connections,
      Optional<Path> screenshot) throws Exception {
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
        Run run = once(browser, base, byMark, processes, i == runs ? screenshot : Optional.empty());
        all.add(run);
        log("run %d/%d: login→drawn %4.0f ms, navigation→drawn %4.0f ms%s", i, runs, run.fromLogin(),
            run.fromNavigation(), run.detail().isEmpty() ? "" : "  " + run.detail());
      }
      double[] login = all.stream().mapToDouble(Run::fromLogin).sorted().toArray();
      double[] nav = all.stream().mapToDouble(Run::fromNavigation).sorted().toArray();
      double p50 = p50(login);
      System.out.printf(Locale.ROOT, "canvas   %d processes, %d connections: login→drawn p50 %4.0f ms max %4.0f ms"
          + " | navigation→drawn p50 %4.0f ms max %4.0f ms (target p50 < %d ms: %s)   [%d runs, %s]%n",
          processes, connections, p50, login[login.length - 1], p50(nav), nav[nav.length - 1], TARGET_MS,
          p50 < TARGET_MS ? "met" : "missed", runs, byMark ? "mark " + MARK : "boxes in the DOM, no mark yet");
    }
  }

  private static Run once(Browser browser, String base, boolean byMark, int processes, Optional<Path> screenshot) {
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
      if (byMark) {
        page.waitForFunction("name => performance.getEntriesByName(name).length > 0", MARK);
      } else {
        page.waitForFunction("n => { if (document.querySelectorAll('.react-flow__node').length >= n) {"
            + " performance.mark('" + MARK + "', { detail: 'boxes' }); return true; } return false; }", processes);
      }
      @SuppressWarnings("unchecked")
      List<Object> at = (List<Object>) page.evaluate("name => { const m = performance.getEntriesByName(name)[0];"
          + " const c = performance.getEntriesByName('bench:login-click')[0];"
          + " return [m.startTime, c.startTime, JSON.stringify(m.detail ?? null)]; }", MARK);
      double drawn = ((Number) at.get(0)).doubleValue();
      double click = ((Number) at.get(1)).doubleValue();
      String detail = (byMark ? "detail " + at.get(2) + " " : "") + apiTimes(page, click);
      screenshot.ifPresent(file -> page.screenshot(new Page.ScreenshotOptions().setPath(file)));
      return new Run(drawn - click, drawn, detail);
    }
  }

  /**
   * Where the time went: each API call after the login click, as "path start→end" in ms from the
   * click (the event stream's end is its first byte, since it stays open).
   */
  private static String apiTimes(Page page, double click) {
    @SuppressWarnings("unchecked")
    List<String> calls = (List<String>) page.evaluate("click => performance.getEntriesByType('resource')"
        + ".filter(r => r.startTime >= click && !r.name.includes('/assets/'))"
        + ".map(r => { const u = new URL(r.name); const end = u.pathname === '/events' ? r.responseStart : r.responseEnd;"
        + " return u.pathname + ' ' + Math.round(r.startTime - click) + '→' + Math.round(end - click); })", click);
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
          throw new IllegalArgumentException("arguments are name=value (runs, processes, connections, chromium), not '"
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
