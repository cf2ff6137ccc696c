package org.defpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.Position;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web UI in Debian's Chromium (headless, driven by Playwright), against the deployed
 * orchestrator: log in, watch processes and a connection made through the API appear on the
 * canvas and change state from the event stream alone (no reload), watch a terminated process
 * go, log out, and a wrong password refused with a readable message; no console errors on the way.
 *
 * <p>Playwright never downloads anything: its driver is told to skip the browser download and is
 * given {@value #CHROMIUM} (installed by {@code scripts/env.sh up}). Screenshots go to
 * {@code e2e/target/screenshots/}.
 */
class WebUiTest {
  static final String CHROMIUM = "/usr/bin/chromium";
  private static final Path SCREENSHOTS = Platform.PROJECT_DIR.resolve("e2e/target/screenshots");
  /** Launch flags for Chromium as root in a container-like machine (ENVIRONMENT, "Front end and browser tests"). */
  private static final List<String> CHROMIUM_ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic",
      "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");
  /** Chromium's own line for the deliberately wrong login's 401: the one console error allowed. */
  private static final Pattern WRONG_LOGIN_401 = Pattern.compile("Failed to load resource: .*\\b401\\b.*");

  private static OrchestratorClient api;
  private static String adminPassword;
  private static Playwright playwright;
  private static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    api = Platform.up();
    adminPassword = Files.readString(Platform.ADMIN_PASSWORD).strip();
    assertThat(Path.of(CHROMIUM)).as("Debian's chromium (scripts/env.sh up installs it)").isExecutable();
    Files.createDirectories(SCREENSHOTS);
    playwright = Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(Path.of(CHROMIUM)).setHeadless(true).setArgs(CHROMIUM_ARGS));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
  }

  @Test
  void loginCanvasFollowsTheEventStreamLogoutAndWrongPassword() throws Exception {
    List<String> consoleErrors = new ArrayList<>();
    boolean[] wrongLoginSent = {false};
    List<String> processes = new ArrayList<>();
    try (BrowserContext context = browser.newContext(new Browser.NewContextOptions()
        .setBaseURL(Platform.ORCHESTRATOR.toString()).setViewportSize(1280, 800))) {
      context.setDefaultTimeout(30_000);
      Page page = context.newPage();
      page.onConsoleMessage(m -> {
        if (m.type().equals("error") && !(wrongLoginSent[0] && WRONG_LOGIN_401.matcher(m.text()).matches())) {
          consoleErrors.add(m.text() + " @ " + m.location());
        }
      });
      page.onPageError(e -> consoleErrors.add("uncaught: " + e));
      try {
        // 1. The login page; log in as the admin; who is logged in.
        page.navigate("/");
        Locator name = page.getByLabel("Name");
        Locator password = page.getByLabel("Password");
        Locator logIn = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in"));
        PlaywrightAssertions.assertThat(logIn).isVisible();
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("login.png")));
        name.fill("admin");
        password.fill(adminPassword);
        logIn.click();
        PlaywrightAssertions.assertThat(page.locator("header .who")).hasText("admin admin"); // name, then role
        PlaywrightAssertions.assertThat(page.locator(".react-flow")).isVisible();
        // a mark on this document: still there at the end means nothing below reloaded the page
        page.evaluate("() => { window.__defpiNoReload = true; }");

        // 2. Two processes and a connection through the API; the canvas follows them.
        long t = System.nanoTime();
        String meter = api.createProcess("power-meter", "ui-meter", Map.of("intervalMillis", "500"));
        processes.add(meter);
        long meterCreated = System.nanoTime();
        String logger = api.createProcess("power-logger", "ui-logger", Map.of());
        processes.add(logger);
        long loggerCreated = System.nanoTime();
        System.out.printf("web-ui: processes created through the API in %d ms%n", ms(t, loggerCreated));

        Locator meterBox = box(page, meter);
        Locator loggerBox = box(page, logger);
        meterBox.waitFor();
        long meterShown = System.nanoTime();
        loggerBox.waitFor();
        long loggerShown = System.nanoTime();
        PlaywrightAssertions.assertThat(meterBox.locator(".process-name")).hasText("ui-meter");
        PlaywrightAssertions.assertThat(meterBox).containsText("power-meter");
        PlaywrightAssertions.assertThat(loggerBox.locator(".process-name")).hasText("ui-logger");
        System.out.printf("web-ui: box shown %d ms (meter) and %d ms (logger) after the API's 201%n",
            ms(meterCreated, meterShown), ms(loggerCreated, loggerShown));

        running(meterBox).waitFor(new Locator.WaitForOptions().setTimeout(90_000));
        long meterRunning = System.nanoTime();
        running(loggerBox).waitFor(new Locator.WaitForOptions().setTimeout(90_000));
        long loggerRunning = System.nanoTime();
        System.out.printf("web-ui: box shows running %d ms (meter) and %d ms (logger) after the API's 201%n",
            ms(meterCreated, meterRunning), ms(loggerCreated, loggerRunning));
        // what the canvas shows is what the API says
        assertThat(api.get("process/" + meter).json().path("state").asText()).isEqualTo("RUNNING");
        assertThat(api.get("process/" + logger).json().path("state").asText()).isEqualTo("RUNNING");

        OrchestratorClient.Response connection = api.post("connection", Map.of(
            "endpoint1", Map.of("processId", meter, "interfaceId", "power-meter/power-measurement"),
            "endpoint2", Map.of("processId", logger, "interfaceId", "power-logger/power-measurement")));
        long connected = System.nanoTime();
        assertThat(connection.status()).as(connection.body()).isEqualTo(201);
        assertThat(connection.json().path("state").asText()).as(connection.body()).isEqualTo("ACTIVE");
        String connectionId = connection.json().path("id").asText();
        // React Flow's line: an SVG group labelled with the connection's state. Playwright takes an SVG
        // group, and a level line (a box of height 0), for hidden: wait for it to be there instead,
        // and see below that its path has a length.
        Locator edge = page.locator("[data-testid='rf__edge-" + connectionId + "'][aria-label='connection active']");
        edge.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.ATTACHED));
        long edgeShown = System.nanoTime();
        System.out.printf("web-ui: edge shown as connected %d ms after the API's 201 (ACTIVE)%n",
            ms(connected, edgeShown));

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Fit View")).click();
        var line = edge.locator("path.react-flow__edge-path").boundingBox();
        assertThat(line.width + line.height).as("the line's extent on the screen").isGreaterThan(10);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("canvas.png")));

        // 3. Terminate the meter through the API: its box (and the line) go.
        OrchestratorClient.Response terminated = api.delete("process/" + meter);
        long terminatedAt = System.nanoTime();
        assertThat(terminated.status()).as(terminated.body()).isEqualTo(204);
        meterBox.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED));
        long meterGone = System.nanoTime();
        processes.remove(meter);
        PlaywrightAssertions.assertThat(page.locator("[data-testid='rf__edge-" + connectionId + "']")).hasCount(0);
        PlaywrightAssertions.assertThat(loggerBox).isVisible();
        System.out.printf("web-ui: box gone %d ms after the API's 204%n", ms(terminatedAt, meterGone));
        assertThat(page.evaluate("() => window.__defpiNoReload === true"))
            .as("the page was not reloaded").isEqualTo(true);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("canvas-after-terminate.png")));

        // 4. Log out: the login page again; a wrong password is refused with a readable message.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log out")).click();
        PlaywrightAssertions.assertThat(logIn).isVisible();
        PlaywrightAssertions.assertThat(page.locator(".react-flow")).hasCount(0);
        name.fill("admin");
        password.fill(adminPassword + "-wrong");
        wrongLoginSent[0] = true;
        logIn.click();
        Locator error = page.locator("form .error[role=alert]");
        PlaywrightAssertions.assertThat(error).containsText("wrong user name or password");
        PlaywrightAssertions.assertThat(logIn).isEnabled();
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("login-refused.png")));
      } catch (RuntimeException | AssertionError e) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("failure.png")));
        System.out.println("web-ui: failed; the canvas's lines: " + page.locator(".react-flow__edges").innerHTML());
        throw e;
      }
    } finally {
      for (String id : processes) {
        api.delete("process/" + id);
      }
    }
    // 5. Nothing went wrong in the page.
    assertThat(consoleErrors).as("browser console errors").isEmpty();
  }

  /**
   * What a user does in the browser alone (issue 7): an empty canvas says what to do first; a process
   * from the palette through the parameter form (a wrong value is refused beside its field), another
   * from the Add… button; port dragged to port connects them and both ends show it; a drag the
   * orchestrator would refuse is refused with its reason; the log page shows a process's output and
   * finds a line; reconfigure from the details; a second user sees none of it; delete the connection
   * and terminate both from the details. Every step waits on what the page shows, and checks the API
   * agrees.
   */
  @Test
  void aUserBuildsConnectsWatchesAndTakesDownTheirEnvironmentInTheBrowser() throws Exception {
    String run = Long.toString(System.currentTimeMillis(), 36);
    Account alice = newUser("ui-alice-" + run);
    Account bob = newUser("ui-bob-" + run);
    List<String> consoleErrors = new ArrayList<>();
    String meter = null;
    String logger = null;
    try (BrowserContext context = newContext(consoleErrors); BrowserContext bobs = newContext(consoleErrors)) {
      Page page = context.newPage();
      watchConsole(page, consoleErrors);
      try {
        logIn(page, alice);
        PlaywrightAssertions.assertThat(page.locator(".placeholder.empty")).containsText("You have no processes yet.");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("user-empty-canvas.png")));

        // 1. A meter dragged from the palette; its form refuses a wrong value beside the field.
        page.locator("li[data-service-id='power-meter']").dragTo(page.locator(".react-flow__pane"),
            new Locator.DragToOptions().setTargetPosition(new Position(250, 200)));
        Locator form = page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("New process of Power Meter"));
        form.getByLabel("Name", new Locator.GetByLabelOptions().setExact(true)).fill("meter");
        Locator interval = form.getByLabel("Milliseconds between measurements");
        interval.fill("fast");
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create")).click();
        PlaywrightAssertions.assertThat(interval).hasAttribute("aria-invalid", "true");
        // beside the field, and what the field is described by
        String errorId = interval.getAttribute("id") + "-error";
        PlaywrightAssertions.assertThat(form.locator("[id='" + errorId + "']")).containsText("'fast' is not a whole number");
        assertThat(interval.getAttribute("aria-describedby")).contains(errorId);
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("create-form-refused.png")));
        interval.fill("250");
        form.getByLabel("Measurements to send per connection").fill("100000");
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create")).click();
        PlaywrightAssertions.assertThat(form).hasCount(0);
        Locator meterBox = boxNamed(page, "meter");
        running(meterBox).waitFor(new Locator.WaitForOptions().setTimeout(90_000));
        meter = idOf(meterBox);
        assertThat(alice.api().get("process/" + meter).json().path("configuration").path("intervalMillis").asText())
            .isEqualTo("250");

        // 2. A logger from the Add… button (the keyboard's and a tablet's way).
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add Power Logger (power-logger)…")
            .setExact(true)).click();
        form = page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("New process of Power Logger"));
        form.getByLabel("Name", new Locator.GetByLabelOptions().setExact(true)).fill("logger");
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create")).click();
        Locator loggerBox = boxNamed(page, "logger");
        running(loggerBox).waitFor(new Locator.WaitForOptions().setTimeout(90_000));
        logger = idOf(loggerBox);

        // 3. Port to port: connected, on the line and at both ends.
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Fit View")).click();
        dragLine(page, handle(meterBox, "right"), handle(loggerBox, "left"), null);
        Locator edge = page.locator(".react-flow__edge[aria-label='connection active']");
        edge.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.ATTACHED).setTimeout(30_000));
        PlaywrightAssertions.assertThat(meterBox.locator(".port.connected")).hasCount(1);
        PlaywrightAssertions.assertThat(loggerBox.locator(".port.connected")).hasCount(1);
        JsonNode connections = alice.api().get("connection").json();
        assertThat(connections).hasSize(1);
        assertThat(connections.get(0).path("state").asText()).isEqualTo("ACTIVE");
        // The line carries the traffic the two processes report, polled live.
        Locator rate = page.locator(".react-flow__edge-text", new Page.LocatorOptions().setHasText(Pattern.compile("msg/s")));
        rate.first().waitFor(new Locator.WaitForOptions().setTimeout(20_000));
        System.out.println("web-ui: the connected line says " + rate.first().textContent());
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("user-connected.png")));

        // 4. A second line between the same ports: refused while dragging, with the reason.
        String refusal = dragLine(page, handle(loggerBox, "left"), handle(meterBox, "right"), "already connected");
        System.out.println("web-ui: a second drag between the same ports says: " + refusal);
        assertThat(alice.api().get("connection").json()).as("nothing made by a refused drop").hasSize(1);

        // 5. The logger's output on its log page, live; the search finds the received measurements.
        select(loggerBox);
        Locator details = page.getByRole(AriaRole.COMPLEMENTARY, new Page.GetByRoleOptions().setName("Process details"));
        details.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Logs")).click();
        Locator log = page.getByRole(AriaRole.LOG, new Page.GetByRoleOptions().setName("Log of logger"));
        PlaywrightAssertions.assertThat(log).containsText("received", new LocatorAssertions.ContainsTextOptions().setTimeout(30_000));
        page.getByRole(AriaRole.SEARCHBOX, new Page.GetByRoleOptions().setName("Search the log")).fill("PowerMeasurement from");
        assertThat(log.locator("mark").first().textContent()).isEqualToIgnoringCase("PowerMeasurement from");
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("logs.png")));
        page.goBack(); // the browser's back button: the canvas again
        meterBox.waitFor();

        // 6. Reconfigure the meter from its details: the process says so in its log, the API agrees.
        select(meterBox);
        details.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Reconfigure…")).click();
        form = page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Reconfigure “meter”"));
        form.getByLabel("Milliseconds between measurements").fill("400");
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Reconfigure")).click();
        PlaywrightAssertions.assertThat(form).hasCount(0);
        String meterId = meter;
        await("the meter reconfigured").atMost(Duration.ofSeconds(30)).until(() ->
            alice.api().get("process/" + meterId + "/log").body().contains("intervalMillis=400"));
        assertThat(alice.api().get("process/" + meter).json().path("configuration").path("intervalMillis").asText())
            .isEqualTo("400");

        // 7. Another user sees none of it: an empty canvas, an empty process list.
        Page bobsPage = bobs.newPage();
        watchConsole(bobsPage, consoleErrors);
        logIn(bobsPage, bob);
        PlaywrightAssertions.assertThat(bobsPage.locator(".placeholder.empty")).containsText("You have no processes yet.");
        PlaywrightAssertions.assertThat(bobsPage.locator(".react-flow__node")).hasCount(0);
        bobsPage.navigate("/#/processes");
        PlaywrightAssertions.assertThat(bobsPage.locator("main")).containsText("no processes",
            new LocatorAssertions.ContainsTextOptions().setIgnoreCase(true));
        PlaywrightAssertions.assertThat(bobsPage.locator("main table tbody tr")).hasCount(0);
        // An admin sees it all, and switches to Alice's environment to see her canvas.
        Page adminsPage = bobs.newPage();
        watchConsole(adminsPage, consoleErrors);
        logIn(adminsPage, new Account("", "admin", adminPassword, api), "admin admin");
        adminsPage.getByLabel("Environment of").selectOption(alice.id());
        PlaywrightAssertions.assertThat(boxNamed(adminsPage, "meter")).isVisible();
        PlaywrightAssertions.assertThat(boxNamed(adminsPage, "logger")).isVisible();
        PlaywrightAssertions.assertThat(adminsPage.locator(".react-flow__node")).hasCount(2);
        adminsPage.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("admin-sees-alice.png")));

        // 8. Delete the connection from its details, then terminate both processes.
        edge.focus();
        page.keyboard().press("Enter");
        Locator connectionDetails = page.getByRole(AriaRole.COMPLEMENTARY, new Page.GetByRoleOptions().setName("Connection details"));
        connectionDetails.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete…")).click();
        page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete")).click();
        PlaywrightAssertions.assertThat(page.locator(".react-flow__edge")).hasCount(0);
        PlaywrightAssertions.assertThat(meterBox.locator(".port.connected")).hasCount(0);
        assertThat(alice.api().get("connection").json()).isEmpty();
        for (Locator box : List.of(meterBox, loggerBox)) {
          select(box);
          details.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Terminate…")).click();
          page.getByRole(AriaRole.DIALOG).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Terminate")).click();
          box.waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.DETACHED).setTimeout(60_000));
        }
        PlaywrightAssertions.assertThat(page.locator(".placeholder.empty")).isVisible();
        assertThat(alice.api().get("process").json()).isEmpty();
        meter = null;
        logger = null;
      } catch (RuntimeException | AssertionError e) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("failure-user.png")));
        throw e;
      }
    } finally {
      for (String id : java.util.Arrays.asList(meter, logger)) {
        if (id != null) {
          api.delete("process/" + id);
        }
      }
      for (Account a : List.of(alice, bob)) {
        await("user " + a.name() + " deleted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
            .until(() -> api.delete("user/" + a.id()).status(), status -> status == 204 || status == 404);
      }
    }
    assertThat(consoleErrors).as("browser console errors").isEmpty();
  }

  /** A user made for one test, and a client logged in as them. */
  private record Account(String id, String name, String password, OrchestratorClient api) {}

  private static Account newUser(String name) {
    String password = "pw-" + java.util.UUID.randomUUID();
    OrchestratorClient.Response made = api.post("user", Map.of("name", name, "password", password, "role", "user"));
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    return new Account(made.json().path("id").asText(), name, password,
        new OrchestratorClient(Platform.ORCHESTRATOR, name, password));
  }

  private static BrowserContext newContext(List<String> consoleErrors) {
    BrowserContext context = browser.newContext(new Browser.NewContextOptions()
        .setBaseURL(Platform.ORCHESTRATOR.toString()).setViewportSize(1280, 800));
    context.setDefaultTimeout(30_000);
    return context;
  }

  private static void watchConsole(Page page, List<String> consoleErrors) {
    page.onConsoleMessage(m -> {
      if (m.type().equals("error")) {
        consoleErrors.add(m.text() + " @ " + m.location());
      }
    });
    page.onPageError(e -> consoleErrors.add("uncaught: " + e));
  }

  private static void logIn(Page page, Account account) {
    logIn(page, account, account.name() + " user");
  }

  private static void logIn(Page page, Account account, String who) {
    page.navigate("/");
    page.getByLabel("Name").fill(account.name());
    page.getByLabel("Password").fill(account.password());
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
    PlaywrightAssertions.assertThat(page.locator("header .who")).hasText(who);
    PlaywrightAssertions.assertThat(page.locator(".react-flow")).isVisible();
  }

  /** The box of the process with this name. */
  private static Locator boxNamed(Page page, String name) {
    return page.locator(".react-flow__node", new Page.LocatorOptions()
        .setHas(page.locator(".process-name", new Page.LocatorOptions().setHasText(Pattern.compile("^" + name + "$")))));
  }

  /** The process id of a box (React Flow's test id is rf__node-<id>). */
  private static String idOf(Locator box) {
    return box.getAttribute("data-testid").substring("rf__node-".length());
  }

  private static Locator handle(Locator box, String side) {
    return box.locator(".port .react-flow__handle-" + side).first();
  }

  private static void select(Locator box) {
    box.locator(".process-name").click();
  }

  /**
   * Drags a line from one port's dot to another's, with the mouse as a user would. With
   * {@code refusedBecause}, the drop hint must refuse, saying so, before the mouse lets go; the
   * hint's text is answered.
   */
  private static String dragLine(Page page, Locator from, Locator to, String refusedBecause) {
    var a = from.boundingBox();
    var b = to.boundingBox();
    page.mouse().move(a.x + a.width / 2, a.y + a.height / 2);
    page.mouse().down();
    page.mouse().move(b.x + b.width / 2, b.y + b.height / 2, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(12));
    String hint = "";
    if (refusedBecause != null) {
      Locator refuses = page.locator(".drop-hint.refuses");
      PlaywrightAssertions.assertThat(refuses).containsText(refusedBecause);
      hint = refuses.textContent();
    }
    page.mouse().up();
    return hint;
  }

  /** A process's box on the canvas (React Flow's node, by the process's id). */
  private static Locator box(Page page, String processId) {
    return page.locator("[data-testid='rf__node-" + processId + "']");
  }

  private static Locator running(Locator box) {
    return box.locator(".state", new Locator.LocatorOptions().setHasText(Pattern.compile("^running$")));
  }

  private static long ms(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1_000_000;
  }
}
