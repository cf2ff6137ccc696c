package org.defpi.examples.energydashboard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.defpi.examples.energydashboard.Dashboards;
import org.defpi.examples.energydashboard.EnergyDashboardService;
import org.defpi.examples.energydashboard.SimulatedHome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The page in a real browser (Debian's Chromium, driven by Playwright, which is told never to
 * download one): it draws both charts, follows the live stream, and logs no error, a CSP
 * violation included. Screenshots for a laptop and a phone go to target/. Skipped where Chromium is
 * not installed.
 */
class DashboardPageTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final List<String> CHROMIUM_ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic",
      "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");
  private static final Path SCREENSHOTS = Path.of("target");

  private static Playwright playwright;
  private static Browser browser;

  @BeforeAll
  static void launch() {
    assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed");
    playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(CHROMIUM).setHeadless(true).setArgs(CHROMIUM_ARGS));
  }

  @AfterAll
  static void close() {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
  }

  /** Counts the painted pixels of the chart's canvas: a drawn chart has many. */
  private static int paintedPixels(Page page, String chart) {
    Object n = page.evaluate("id => { const c = document.querySelector('#' + id + ' canvas');"
        + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
        + " for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }", chart);
    return ((Number) n).intValue();
  }

  @Test
  void anEmptyDashboardSaysWhatToConnectThenDrawsTheFirstData() throws Exception {
    EnergyDashboardService dashboard = Dashboards.started(Dashboards.config(0, null));
    try (BrowserContext context = browser.newContext()) {
      List<String> problems = new CopyOnWriteArrayList<>();
      Page page = context.newPage();
      page.onConsoleMessage(m -> {
        if (m.type().equals("error") || m.type().equals("warning")) {
          problems.add(m.type() + ": " + m.text());
        }
      });
      page.onPageError(e -> problems.add("page error: " + e));
      page.navigate("http://127.0.0.1:" + dashboard.port() + "/");
      page.waitForFunction("() => document.querySelector('#link').dataset.state === 'live'");
      assertThat(page.isVisible("#empty")).isTrue();
      assertThat(page.textContent("#clock")).isEqualTo("waiting for data…");
      assertThat(page.textContent("#grid-now")).isEqualTo("–");

      new SimulatedHome(dashboard).run(3);
      page.waitForFunction("() => document.querySelector('#clock').textContent.includes('00:02')");
      page.waitForSelector("#power-chart canvas", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
      assertThat(page.isVisible("#empty")).isFalse();
      assertThat(problems).isEmpty();
    } finally {
      dashboard.terminate();
    }
  }

  @Test
  void drawsTheChartsFollowsTheStreamAndLogsNoError() throws Exception {
    EnergyDashboardService dashboard = Dashboards.started(Dashboards.config(0, "Simulated home"));
    try (BrowserContext laptop = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 1000));
        BrowserContext phone = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844)
            .setDeviceScaleFactor(2).setIsMobile(true).setHasTouch(true))) {
      SimulatedHome home = new SimulatedHome(dashboard);
      home.run(19 * 60 + 30); // midnight to 19:30

      List<String> problems = new CopyOnWriteArrayList<>();
      Page page = laptop.newPage();
      page.onConsoleMessage(m -> {
        if (m.type().equals("error") || m.type().equals("warning")) {
          problems.add(m.type() + ": " + m.text());
        }
      });
      page.onPageError(e -> problems.add("page error: " + e));
      page.onRequestFailed(r -> problems.add("request failed: " + r.url()));
      page.navigate("http://127.0.0.1:" + dashboard.port() + "/");

      page.waitForSelector("#power-chart canvas", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
      page.waitForSelector("#soc-chart canvas", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
      page.waitForFunction("() => document.querySelector('#link').dataset.state === 'live'");
      assertThat(page.textContent("#clock")).contains("21 Jun 2026 19:29");
      assertThat(page.textContent("#grid-now")).matches("-?\\d+\\.\\d+");
      assertThat(page.textContent("#pv-now")).matches("-?\\d+\\.\\d+");
      assertThat(page.textContent("#soc-now")).matches("\\d+");
      assertThat(page.textContent("#self-consumption")).matches("\\d+");
      assertThat(page.locator("#card-peak-export").getAttribute("class")).contains("alarm");
      assertThat(page.locator("#power-chart .u-legend").textContent()).contains("Grid", "PV", "Load", "Battery",
          "Import limit", "Export limit", "kW");
      assertThat(paintedPixels(page, "power-chart")).isGreaterThan(5_000);
      assertThat(paintedPixels(page, "soc-chart")).isGreaterThan(2_000);

      // Live: the next simulated minute reaches the page without a reload.
      home.run(1);
      page.waitForFunction("() => document.querySelector('#clock').textContent.includes('19:30')");
      page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("dashboard-laptop.png")).setFullPage(true));

      // A resource whose connection goes keeps its curve, marked stale.
      home.handler("load").terminated();
      page.waitForFunction("() => document.querySelector('#power-chart .u-legend').textContent.includes('Household (stale)')");
      assertThat(page.locator("#power-chart .u-legend .u-series.stale").textContent()).contains("Household");

      Page small = phone.newPage();
      small.onConsoleMessage(m -> {
        if (m.type().equals("error") || m.type().equals("warning")) {
          problems.add("phone " + m.type() + ": " + m.text());
        }
      });
      small.navigate("http://127.0.0.1:" + dashboard.port() + "/");
      small.waitForSelector("#soc-chart canvas", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
      small.waitForFunction("() => document.querySelector('#clock').textContent.includes('19:30')");
      Object overflow = small.evaluate("() => document.documentElement.scrollWidth - window.innerWidth");
      assertThat(((Number) overflow).intValue()).as("no sideways scrolling on a phone").isLessThanOrEqualTo(0);
      small.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("dashboard-phone.png")).setFullPage(true));

      assertThat(problems).isEmpty();

      // Where the event stream cannot get through (a proxy that buffers it, say), the page polls.
      Page polling = laptop.newPage();
      polling.route("**/events", route -> route.abort());
      polling.navigate("http://127.0.0.1:" + dashboard.port() + "/");
      polling.waitForFunction("() => document.querySelector('#link').dataset.state === 'polling'"
          + " && document.querySelector('#clock').textContent.includes('19:30')");
      home.run(1);
      polling.waitForFunction("() => document.querySelector('#clock').textContent.includes('19:31')");
    } finally {
      dashboard.terminate();
    }
  }
}
