package org.defpi.examples.energydashboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.defpi.examples.energydashboard.Dashboards;
import org.defpi.examples.energydashboard.EnergyDashboardService;
import org.defpi.examples.energydashboard.SimulatedHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's HTTP side, served for real on a free port and fed through its connection handlers. */
class DashboardServerTest {
  private EnergyDashboardService dashboard;
  private SimulatedHome home;
  private int port;

  @BeforeEach
  void start() throws Exception {
    dashboard = Dashboards.started(Dashboards.config(0, "Test home"));
    port = dashboard.port();
    home = new SimulatedHome(dashboard);
  }

  @AfterEach
  void stop() {
    dashboard.terminate();
  }

  private JsonNode seriesJson(String query) throws Exception {
    HttpResponse<String> response = HttpClients.get(port, "/series.json" + query);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    return Json.mapper().readTree(response.body());
  }

  private static JsonNode series(JsonNode view, String key) {
    for (JsonNode s : view.get("series")) {
      if (s.get("key").asText().equals(key)) {
        return s;
      }
    }
    throw new AssertionError("no series " + key + " in " + view);
  }

  @Test
  void seriesJsonHoldsEveryResourceEverySampleAndTheDaysSummary() throws Exception {
    home.run(14 * 60); // midnight to 14:00, one sample a minute

    JsonNode view = seriesJson("");
    assertThat(view.get("title").asText()).isEqualTo("Test home");
    assertThat(view.get("historyHours").asInt()).isEqualTo(24);
    assertThat(view.get("limits").get("importWatts").asDouble()).isEqualTo(5000);
    assertThat(view.get("limits").get("exportWatts").asDouble()).isEqualTo(4000);
    assertThat(view.get("full").asBoolean()).isTrue();
    assertThat(view.get("clock").asLong()).isEqualTo(SimulatedHome.DAY + (14 * 60 - 1) * SimulatedHome.MINUTE);
    assertThat(view.get("series")).hasSize(4);

    JsonNode grid = series(view, "grid-meter");
    assertThat(grid.get("role").asText()).isEqualTo("GRID_CONNECTION");
    assertThat(grid.get("name").asText()).isEqualTo("Grid connection");
    assertThat(grid.get("resourceId").asText()).isEqualTo("grid-meter");
    assertThat(grid.get("live").asBoolean()).isTrue();
    assertThat(grid.get("samples")).hasSize(14 * 60);
    JsonNode first = grid.get("samples").get(0);
    assertThat(first.get(0).asLong()).isEqualTo(SimulatedHome.DAY);
    assertThat(first.get(1).asDouble()).isEqualTo(home.gridWatts.getFirst());

    JsonNode battery = series(view, "home-battery");
    assertThat(battery.get("role").asText()).isEqualTo("ENERGY_STORAGE");
    assertThat(battery.get("fillLevels")).hasSize(14 * 60);
    assertThat(battery.get("capacityWattHours").asDouble()).isEqualTo(10_000);
    assertThat(series(view, "pv-roof").get("forecast").get("steps").get(0).get(2).asDouble()).isEqualTo(-100);

    // The summary, against figures taken straight from what the grid meter sent.
    JsonNode summary = view.get("summary");
    List<Double> sent = home.gridWatts;
    assertThat(summary.get("day").asText()).isEqualTo("2026-06-21");
    assertThat(summary.get("gridSamples").asInt()).isEqualTo(sent.size());
    assertThat(summary.get("peakImportWatts").asDouble()).isEqualTo(Math.max(0, Collections.max(sent)));
    assertThat(summary.get("peakExportWatts").asDouble()).isEqualTo(Math.max(0, -Collections.min(sent)));
    long aboveExport = sent.stream().filter(w -> -w > 4000).count();
    assertThat(aboveExport).as("the simulated home exports beyond the limit at noon").isPositive();
    assertThat(summary.get("samplesAboveExportLimit").asLong()).isEqualTo(aboveExport);
    assertThat(summary.get("samplesAboveImportLimit").asLong()).isEqualTo(sent.stream().filter(w -> w > 5000).count());
    assertThat(summary.get("minFillLevel").asDouble()).isLessThan(summary.get("maxFillLevel").asDouble());
    assertThat(summary.get("selfConsumptionShare").asDouble()).isBetween(0.0, 1.0);
  }

  @Test
  void seriesJsonAfterASeqHasOnlyWhatCameSince() throws Exception {
    home.run(10);
    JsonNode all = seriesJson("");
    home.run(2);
    JsonNode delta = seriesJson("?epoch=" + all.get("epoch").asLong() + "&after=" + all.get("seq").asLong());
    assertThat(delta.get("full").asBoolean()).isFalse();
    assertThat(series(delta, "grid-meter").get("samples")).hasSize(2);
    assertThat(delta.get("summary").get("gridSamples").asInt()).as("the summary is always over everything").isEqualTo(12);

    JsonNode otherEpoch = seriesJson("?epoch=0&after=1");
    assertThat(otherEpoch.get("full").asBoolean()).isTrue();
    assertThat(series(otherEpoch, "grid-meter").get("samples")).hasSize(12);

    assertThat(HttpClients.get(port, "/series.json?epoch=x&after=1").statusCode()).isEqualTo(400);
  }

  @Test
  void seriesJsonIsGzippedForThoseWhoAsk() throws Exception {
    home.run(60);
    HttpResponse<byte[]> response = HttpClients.CLIENT.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/series.json")).header("Accept-Encoding", "gzip").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.headers().firstValue("Content-Encoding")).contains("gzip");
    try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(response.body()))) {
      assertThat(Json.mapper().readTree(in).get("series")).hasSize(4);
    }
  }

  @Test
  void eventsStartWithEverythingThenBringWhatChanged() throws Exception {
    home.run(30);
    try (HttpClients.EventStream events = new HttpClients.EventStream(port)) {
      assertThat(events.response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
      assertThat(events.response.headers().firstValue("Content-Security-Policy"))
          .contains(DashboardServer.CONTENT_SECURITY_POLICY);
      JsonNode first = update(events.next());
      assertThat(first.get("full").asBoolean()).isTrue();
      assertThat(series(first, "grid-meter").get("samples")).hasSize(30);

      home.run(1);
      // The step's five messages may come as one update or several; the grid's is the last sent.
      List<JsonNode> grid = new ArrayList<>();
      List<JsonNode> fill = new ArrayList<>();
      while (grid.isEmpty()) {
        JsonNode next = update(events.next());
        assertThat(next.get("full").asBoolean()).isFalse();
        series(next, "grid-meter").get("samples").forEach(grid::add);
        series(next, "home-battery").get("fillLevels").forEach(fill::add);
      }
      assertThat(grid).hasSize(1);
      assertThat(fill).hasSize(1);
      assertThat(grid.getFirst().get(0).asLong()).isEqualTo(SimulatedHome.DAY + 30 * SimulatedHome.MINUTE);
    }
  }

  private static JsonNode update(String event) throws Exception {
    assertThat(event).startsWith("update ");
    return Json.mapper().readTree(event.substring("update ".length()));
  }

  @Test
  void thePageAndItsAssetsAreServedWithTheirTypesAndThePolicy() throws Exception {
    HttpResponse<String> page = HttpClients.get(port, "/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(contentType(page)).isEqualTo("text/html;charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy")).contains(DashboardServer.CONTENT_SECURITY_POLICY);
    assertThat(DashboardServer.CONTENT_SECURITY_POLICY).contains("default-src 'self'").doesNotContain("unsafe");

    // No inline script or style: every script has a src, there is no <style> and no style="…".
    assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(page.body()).find()).isFalse();
    assertThat(page.body()).doesNotContain("<style").doesNotContain("style=").doesNotContain("onclick");

    // Whatever the page links to is served here (nothing from a CDN) with the right type.
    Matcher links = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
    List<String> linked = new ArrayList<>();
    while (links.find()) {
      linked.add(links.group(1));
    }
    assertThat(linked).contains("/dashboard.js", "/dashboard.css", "/assets/uplot/uPlot.iife.min.js",
        "/assets/uplot/uPlot.min.css", "/favicon.svg").allMatch(l -> l.startsWith("/"));
    for (String path : linked) {
      HttpResponse<String> asset = HttpClients.get(port, path);
      assertThat(asset.statusCode()).as(path).isEqualTo(200);
      assertThat(asset.headers().firstValue("Content-Security-Policy")).as(path)
          .contains(DashboardServer.CONTENT_SECURITY_POLICY);
      String type = contentType(asset);
      if (path.endsWith(".js")) {
        assertThat(type).as(path).isEqualTo("text/javascript;charset=utf-8");
      } else if (path.endsWith(".css")) {
        assertThat(type).as(path).isEqualTo("text/css;charset=utf-8");
      } else if (path.endsWith(".svg")) {
        assertThat(type).as(path).isEqualTo("image/svg+xml");
      } else if (path.endsWith(".json")) {
        assertThat(type).as(path).isEqualTo("application/json");
      }
    }
    assertThat(HttpClients.get(port, "/assets/uplot/uPlot.iife.min.js").body()).contains("uPlot");
  }

  /** The Content-Type without blanks (Jetty writes "text/html;charset=utf-8"). */
  private static String contentType(HttpResponse<?> response) {
    return response.headers().firstValue("Content-Type").orElseThrow().replace(" ", "");
  }

  @Test
  void healthIsOkAndTheRestIsRefused() throws Exception {
    assertThat(HttpClients.get(port, "/health").statusCode()).isEqualTo(200);
    assertThat(HttpClients.get(port, "/nothing-here").statusCode()).isEqualTo(404);
    HttpResponse<String> post = HttpClients.CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
  }
}
