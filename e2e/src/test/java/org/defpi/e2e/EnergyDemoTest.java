package org.defpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The README's main command, {@code ./defpi demo}, from cold (after {@code ./defpi demo down}), and
 * the simulated day it runs: with the energy manager connected, the grid stays within its limits
 * wherever the battery can help; the same day (same seed, same clock) without an energy manager goes
 * beyond both. Both days are read off their dashboards' {@code /series.json}, as a person reads the
 * dashboards. Prints the cold start and both days' peaks.
 */
class EnergyDemoTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Path LOG = Platform.PROJECT_DIR.resolve("e2e/target/energy-demo.log");
  private static final double IMPORT_LIMIT = 5000;
  private static final double EXPORT_LIMIT = 4000;
  /** The battery's defaults (battery-resource-manager/service.json). */
  private static final double MAX_CHARGE = 5000, MAX_DISCHARGE = 5000, MIN_FILL = 0.10, MAX_FILL = 0.95;
  private static final Duration DAY = Duration.ofHours(24);
  private static final int DEMO_DASHBOARD = 8090;
  private static final int BASELINE_DASHBOARD = 8091;

  private static OrchestratorClient admin;
  private static String baselineUserId;

  @Test
  void theDemoStartsFromColdAndItsEnergyManagerKeepsTheGridWithinItsLimits() throws Exception {
    Files.createDirectories(LOG.getParent());
    Files.deleteIfExists(LOG);
    demo("down");
    String output = demo();
    Matcher ready = Pattern.compile("Ready in (\\d+) s").matcher(output);
    assertThat(ready.find()).as(output).isTrue();
    System.out.println("[energy demo] cold start (./defpi demo after ./defpi demo down, build up to date): "
        + ready.group(1) + " s");
    Matcher password = Pattern.compile("user demo, password (\\S+)").matcher(output);
    assertThat(password.find()).as("the demo prints the demo user's password").isTrue();
    assertThat(output).contains("http://127.0.0.1:" + DEMO_DASHBOARD + "/");

    admin = Platform.up();
    OrchestratorClient demoUser = new OrchestratorClient(Platform.ORCHESTRATOR, "demo", password.group(1));
    JsonNode pv = only(demoUser.get("process?name=demo-pv").json());
    Map<String, String> clock = new LinkedHashMap<>();
    for (String key : List.of("simulationStart", "wallClockStart", "speed", "seed")) {
      clock.put(key, pv.path("configuration").path(key).asText());
    }
    Instant dayStart = Instant.parse(clock.get("simulationStart"));
    Instant wallStart = Instant.parse(clock.get("wallClockStart"));
    double speed = Double.parseDouble(clock.get("speed"));

    deployTheSameDayWithoutAnEnergyManager(clock);

    // The day is over on the wall clock at wallStart + 24 h / speed; give the last step time to land.
    Duration wallDay = Duration.ofMillis((long) (DAY.toMillis() / speed));
    Instant over = wallStart.plus(wallDay).plusSeconds(3);
    long wait = Duration.between(Instant.now(), over).toMillis();
    System.out.println("[energy demo] the simulated day " + dayStart + " runs until " + over + " (" + wait / 1000 + " s)");
    await("both dashboards past the day").atMost(Duration.ofMillis(Math.max(wait, 0) + 120_000))
        .pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
        .until(() -> clock(DEMO_DASHBOARD) >= dayStart.plus(DAY).toEpochMilli()
            && clock(BASELINE_DASHBOARD) >= dayStart.plus(DAY).toEpochMilli());

    Day managed = Day.of(series(DEMO_DASHBOARD), dayStart);
    Day baseline = Day.of(series(BASELINE_DASHBOARD), dayStart);
    System.out.printf("[energy demo] limits: import %.0f W, export %.0f W%n", IMPORT_LIMIT, EXPORT_LIMIT);
    System.out.println("[energy demo] with the energy manager:    " + managed.describe());
    System.out.println("[energy demo] without an energy manager: " + baseline.describe());

    // The day was there to judge: from before the morning to the end of the evening.
    assertThat(managed.grid.firstKey()).isLessThanOrEqualTo(dayStart.plus(Duration.ofHours(6)).toEpochMilli());
    assertThat(managed.grid.lastKey()).isGreaterThanOrEqualTo(dayStart.plus(Duration.ofHours(23)).toEpochMilli());
    assertThat(baseline.grid.size()).as("samples of the day without an energy manager").isGreaterThan(600);

    // Without an energy manager the house goes beyond both limits (midday PV, evening car and cooking).
    assertThat(baseline.peakImport()).isGreaterThan(IMPORT_LIMIT);
    assertThat(baseline.peakExport()).isGreaterThan(EXPORT_LIMIT);

    // With it, every sample beyond a limit has the battery at the end of what it can do (its power
    // limit, or full or empty), except a single step now and then while the manager reacts: never two
    // in a row.
    List<Long> unexplained = managed.beyondLimitsWithRoomInTheBattery();
    System.out.println("[energy demo] samples beyond a limit while the battery had room: " + unexplained.size()
        + (unexplained.isEmpty() ? "" : " at " + unexplained.stream().map(Instant::ofEpochMilli).toList()));
    for (int i = 1; i < unexplained.size(); i++) {
      assertThat(unexplained.get(i) - unexplained.get(i - 1)).as("two steps in a row beyond a limit with room in the battery")
          .isGreaterThan(managed.step());
    }
    assertThat(managed.peakImport()).isLessThan(baseline.peakImport());
    assertThat(managed.peakExport()).isLessThan(baseline.peakExport());
  }

  private static void deployTheSameDayWithoutAnEnergyManager(Map<String, String> clock) {
    String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    OrchestratorClient.Response made = admin.post("user", Map.of("name", "baseline-" + password.substring(0, 6),
        "password", password));
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    baselineUserId = made.json().path("id").asText();
    OrchestratorClient user = new OrchestratorClient(Platform.ORCHESTRATOR, made.json().path("name").asText(), password);

    Map<String, String> sim = new LinkedHashMap<>(clock);
    String pv = user.createProcess("pv-resource-manager", "baseline-pv", sim);
    String load = user.createProcess("household-load", "baseline-load", sim);
    String battery = user.createProcess("battery-resource-manager", "baseline-battery", sim);
    String grid = user.createProcess("grid-meter", "baseline-grid", Map.of("speed", clock.get("speed")));
    OrchestratorClient.Response dashboard = user.post("process", Map.of("serviceId", "energy-dashboard",
        "name", "baseline-dashboard", "configuration", Map.of("title", "without an energy manager"),
        "ports", List.of(Map.of("target", 8080, "published", BASELINE_DASHBOARD))));
    assertThat(dashboard.status()).as(dashboard.body()).isEqualTo(201);
    String board = dashboard.json().path("id").asText();
    for (String id : List.of(pv, load, battery, grid, board)) {
      user.awaitRunning(id, Duration.ofSeconds(90));
    }
    connect(user, pv, "pv-resource-manager/observations", grid, "grid-meter/resource-observations");
    connect(user, load, "household-load/observations", grid, "grid-meter/resource-observations");
    connect(user, battery, "battery-resource-manager/observations", grid, "grid-meter/resource-observations");
    connect(user, grid, "grid-meter/observations", board, "energy-dashboard/observations");
    connect(user, battery, "battery-resource-manager/observations", board, "energy-dashboard/observations");
  }

  private static void connect(OrchestratorClient user, String p1, String i1, String p2, String i2) {
    OrchestratorClient.Response made = user.post("connection", Map.of(
        "endpoint1", Map.of("processId", p1, "interfaceId", i1), "endpoint2", Map.of("processId", p2, "interfaceId", i2)));
    assertThat(made.status()).as(made.body()).isEqualTo(201);
  }

  /** One simulated day off a dashboard: the grid's and the battery's samples by simulated time. */
  record Day(NavigableMap<Long, Double> grid, NavigableMap<Long, Double> battery, NavigableMap<Long, Double> fill) {
    static Day of(JsonNode series, Instant dayStart) {
      long from = dayStart.toEpochMilli();
      long to = dayStart.plus(DAY).toEpochMilli();
      NavigableMap<Long, Double> grid = new TreeMap<>();
      NavigableMap<Long, Double> battery = new TreeMap<>();
      NavigableMap<Long, Double> fill = new TreeMap<>();
      for (JsonNode s : series.path("series")) {
        switch (s.path("role").asText()) {
          case "GRID_CONNECTION" -> samples(s.path("samples"), from, to, grid);
          case "ENERGY_STORAGE" -> {
            samples(s.path("samples"), from, to, battery);
            samples(s.path("fillLevels"), from, to, fill);
          }
          default -> {}
        }
      }
      assertThat(grid).as("grid samples of the day on " + series.path("title")).isNotEmpty();
      return new Day(grid, battery, fill);
    }

    private static void samples(JsonNode samples, long from, long to, Map<Long, Double> into) {
      for (JsonNode sample : samples) {
        long t = sample.get(0).asLong();
        if (t >= from && t < to) {
          into.put(t, sample.get(1).asDouble());
        }
      }
    }

    double peakImport() {
      return grid.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    double peakExport() {
      return -grid.values().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    long step() {
      return grid.higherKey(grid.firstKey()) - grid.firstKey();
    }

    String at(double watts) {
      long t = grid.entrySet().stream().filter(e -> e.getValue() == watts).findFirst().orElseThrow().getKey();
      return Instant.ofEpochMilli(t).toString().substring(11, 16);
    }

    String describe() {
      return String.format("peak import %.0f W at %s, peak export %.0f W at %s, %d samples", peakImport(),
          at(peakImport()), peakExport(), at(-peakExport()), grid.size());
    }

    /**
     * The times of grid samples beyond a limit (by more than 1 %) while the battery could still have
     * helped: not at its power limit in the helping direction, and neither full (export) nor empty (import).
     */
    List<Long> beyondLimitsWithRoomInTheBattery() {
      List<Long> times = new ArrayList<>();
      grid.forEach((t, watts) -> {
        Double power = battery.get(t);
        Map.Entry<Long, Double> level = fill.floorEntry(t);
        double filled = level == null ? Double.NaN : level.getValue();
        if (watts > IMPORT_LIMIT * 1.01) {
          boolean spent = power != null && power <= -MAX_DISCHARGE * 0.99 || filled <= MIN_FILL + 0.01;
          if (!spent) {
            times.add(t);
          }
        } else if (-watts > EXPORT_LIMIT * 1.01) {
          boolean full = power != null && power >= MAX_CHARGE * 0.99 || filled >= MAX_FILL - 0.01;
          if (!full) {
            times.add(t);
          }
        }
      });
      return times;
    }
  }

  private static JsonNode only(JsonNode list) {
    assertThat(list.size()).as(list.toString()).isEqualTo(1);
    return list.get(0);
  }

  private static long clock(int port) throws IOException, InterruptedException {
    return series(port).path("clock").asLong();
  }

  private static JsonNode series(int port) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/series.json"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** Runs {@code ./defpi demo ARGS} with the images this build pushed; its output, also appended to the log. */
  private static String demo(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("./defpi", "demo"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(Platform.PROJECT_DIR.toFile())
        .redirectErrorStream(true);
    builder.environment().put("DEFPI_DEMO_BUILD", "skip");
    Process run = builder.start();
    String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean ended = run.waitFor(5, TimeUnit.MINUTES);
    Files.writeString(LOG, "$ " + String.join(" ", command) + "\n" + output, StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    System.out.println(output);
    assertThat(ended).isTrue();
    assertThat(run.exitValue()).as(String.join(" ", command) + " exit code; its output is above").isZero();
    return output;
  }

  /** The baseline's user and processes go; the demo goes too, as `./defpi demo down` takes it. */
  @AfterAll
  static void cleanUp() throws IOException, InterruptedException {
    if (baselineUserId != null && admin != null) {
      for (JsonNode p : admin.get("process?userId=" + baselineUserId + "&limit=100").json()) {
        admin.delete("process/" + p.path("id").asText());
      }
      await("the baseline's processes gone").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
          .until(() -> admin.get("process?userId=" + baselineUserId).json().isEmpty());
      admin.delete("user/" + baselineUserId);
    }
    demo("down");
  }
}
