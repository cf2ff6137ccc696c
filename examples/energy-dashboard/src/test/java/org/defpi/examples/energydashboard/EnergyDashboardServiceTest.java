package org.defpi.examples.energydashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.defpi.examples.energydashboard.history.Limits;
import org.defpi.examples.energydashboard.history.SeriesView;
import org.defpi.sdk.InvalidStateException;
import org.defpi.sdk.ServiceState;
import org.junit.jupiter.api.Test;

class EnergyDashboardServiceTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private static String get(int port, String path) throws Exception {
    HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  @Test
  void modifyChangesLimitsAndTitleLive() throws Exception {
    EnergyDashboardService dashboard = Dashboards.started(Dashboards.config(0, null));
    try {
      int port = dashboard.port();
      assertThat(get(port, "/series.json")).contains("\"title\":\"Energy Dashboard\"");
      dashboard.modify(new EnergyDashboardConfigurationBinder.Values(3000, 2500, 0, 48, Optional.of("Flat 3")));
      assertThat(dashboard.port()).as("the same port setting: no rebind").isEqualTo(port);
      String json = get(port, "/series.json");
      assertThat(json).contains("\"title\":\"Flat 3\"", "\"historyHours\":48",
          "\"limits\":{\"importWatts\":3000.0,\"exportWatts\":2500.0}");
      assertThat(dashboard.settings().limits()).isEqualTo(new Limits(3000, 2500));
    } finally {
      dashboard.terminate();
    }
  }

  @Test
  void aChangedPortRebinds() throws Exception {
    int wanted;
    try (ServerSocket probe = new ServerSocket(0)) {
      wanted = probe.getLocalPort(); // free a moment ago; another process taking it meanwhile is unlikely
    }
    EnergyDashboardService dashboard = Dashboards.started(Dashboards.config(0, null));
    try {
      int first = dashboard.port();
      dashboard.modify(Dashboards.config(wanted, null));
      assertThat(dashboard.port()).isEqualTo(wanted);
      assertThat(get(wanted, "/health")).isEqualTo("ok\n");
      assertThatThrownBy(() -> get(first, "/health")).isInstanceOf(ConnectException.class);
    } finally {
      dashboard.terminate();
    }
  }

  @Test
  void aPortInUseFailsTheChangeAndTheDashboardStaysWhereItWas() throws Exception {
    EnergyDashboardService dashboard = Dashboards.started(Dashboards.config(0, null));
    try (ServerSocket taken = new ServerSocket(0)) {
      int port = dashboard.port();
      assertThatThrownBy(() -> dashboard.modify(Dashboards.config(taken.getLocalPort(), "never")))
          .hasMessageContaining("cannot listen on port " + taken.getLocalPort());
      assertThat(dashboard.port()).isEqualTo(port);
      assertThat(dashboard.settings().title()).isEqualTo("Energy Dashboard");
    } finally {
      dashboard.terminate();
    }
  }

  @Test
  void aMovedDashboardKeepsItsCurves() throws Exception {
    EnergyDashboardService before = Dashboards.started(Dashboards.config(0, null));
    EnergyDashboardService after = Dashboards.started(Dashboards.config(0, null));
    try {
      new SimulatedHome(before).run(24 * 60);
      byte[] saved = before.suspend();
      assertThat(saved.length).as("a day of four series, gzipped").isLessThan(200_000);

      after.resumeFrom(saved);
      Limits limits = after.settings().limits();
      var restored = after.history().snapshot(limits);
      var original = before.history().snapshot(limits);
      assertThat(restored.series()).allMatch(s -> !s.live());
      assertThat(restored.series().stream().map(EnergyDashboardServiceTest::live).toList())
          .isEqualTo(original.series());
      assertThat(restored.summary()).isEqualTo(original.summary());
      assertThat(restored.clock()).isEqualTo(original.clock());

      // The senders connect again (the orchestrator re-creates the connections) and go on.
      new SimulatedHome(after);
      assertThat(after.history().snapshot(limits).series()).allMatch(SeriesView::live);
    } finally {
      before.terminate();
      after.terminate();
    }
  }

  /** The series as it was while its sender was connected. */
  private static SeriesView live(SeriesView s) {
    return new SeriesView(s.key(), s.resourceId(), s.name(), s.role(), s.roles(), s.nominalPowerWatts(), true,
        s.samples(), s.fillLevels(), s.capacityWattHours(), s.forecast());
  }

  @Test
  void anEmptyStateIsAFreshStart() throws Exception {
    EnergyDashboardService dashboard = new EnergyDashboardService();
    dashboard.resumeFrom(new byte[0]);
    assertThat(dashboard.history().clock()).isEmpty();
  }

  @Test
  void refusesAnotherServicesStateAnotherPayloadAndGarbage() {
    EnergyDashboardService dashboard = new EnergyDashboardService();
    byte[] logger = ServiceState.of("power-logger", "1", "text/x-java-properties;counts", new byte[0]).toBytes();
    assertThatThrownBy(() -> dashboard.resumeFrom(logger)).isInstanceOf(InvalidStateException.class)
        .hasMessageContaining("power-logger");
    byte[] otherType = ServiceState.of("energy-dashboard", "1", "text/plain", new byte[0]).toBytes();
    assertThatThrownBy(() -> dashboard.resumeFrom(otherType)).isInstanceOf(InvalidStateException.class)
        .hasMessageContaining("text/plain");
    byte[] garbage = ServiceState.of("energy-dashboard", "1", SavedHistory.PAYLOAD_TYPE,
        "not gzip".getBytes(StandardCharsets.UTF_8)).toBytes();
    assertThatThrownBy(() -> dashboard.resumeFrom(garbage)).isInstanceOf(InvalidStateException.class)
        .hasMessageContaining("unreadable");
  }
}
