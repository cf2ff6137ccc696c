package org.defpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.nio.file.Files;
import java.nio.file.Path;
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
