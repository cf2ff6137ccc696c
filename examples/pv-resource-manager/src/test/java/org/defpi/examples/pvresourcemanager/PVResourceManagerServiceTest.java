package org.defpi.examples.pvresourcemanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.defpi.examples.energy.Defaults;
import org.defpi.examples.pvresourcemanager.observations.v1.proto.ObservationsV1Proto.PowerForecast;
import org.defpi.examples.pvresourcemanager.observations.v1.proto.ObservationsV1Proto.PowerMeasurement;
import org.junit.jupiter.api.Test;

class PVResourceManagerServiceTest {
  private static final long NOON = Instant.parse("2026-06-21T12:00:00Z").toEpochMilli();

  @Test
  void forecastsTheNext24HoursInQuarterHoursAsNegativePower() {
    PowerForecast forecast = PVResourceManagerService.forecast(Defaults.pv(42), NOON);
    assertThat(forecast.getStartTime()).isEqualTo(NOON);
    assertThat(forecast.getElementsList()).hasSize(96).allSatisfy(e -> {
      assertThat(e.getDurationMillis()).isEqualTo(15 * 60_000L);
      assertThat(e.getValues(0).getExpectedWatts()).isLessThanOrEqualTo(0);
    });
    assertThat(forecast.getElements(0).getValues(0).getExpectedWatts()).isLessThan(-6000);
  }

  @Test
  void measuresWithTheTimestampOfTheStep() {
    PowerMeasurement m = PVResourceManagerService.measurement(NOON, -4200);
    assertThat(m.getMeasurementTimestamp()).isEqualTo(NOON);
    assertThat(m.getValues(0).getWatts()).isEqualTo(-4200);
  }

  @Test
  void aNewWallClockStartTakesEffectOnReconfigurationAndAnEmptyOneMeansTheFirstConfiguration() throws Exception {
    Instant configured = Instant.parse("2026-11-26T10:00:00Z");
    PVResourceManagerService pv = new PVResourceManagerService(
        java.time.Clock.fixed(configured, java.time.ZoneOffset.UTC));
    PVResourceManagerConfigurationBinder binder = new PVResourceManagerConfigurationBinder();
    pv.init(binder.bind(java.util.Map.of()),
        new org.defpi.sdk.DefPiParameters("127.0.0.1", 8484, "token", "pv-1", "u1", "Demo", "demo@example.org"));
    try {
      assertThat(pv.current().clock().wallClockStart()).isEqualTo(configured);
      pv.modify(binder.bind(java.util.Map.of("wallClockStart", "2026-11-26T10:05:00Z", "speed", "1440")));
      assertThat(pv.current().clock().wallClockStart()).isEqualTo(Instant.parse("2026-11-26T10:05:00Z"));
      assertThat(pv.current().clock().speed()).isEqualTo(1440);
      pv.modify(binder.bind(java.util.Map.of("wallClockStart", "")));
      assertThat(pv.current().clock().wallClockStart()).isEqualTo(configured);
    } finally {
      pv.terminate();
    }
  }

  @Test
  void everyServiceDefaultIsTheSimulationsDefault() throws Exception {
    // service.json's defaults, as the generated binder applies them, are the in-process day's.
    PVResourceManagerConfiguration c = new PVResourceManagerConfigurationBinder().bind(java.util.Map.of());
    assertThat(c.getSimulationStart()).isEqualTo(Defaults.SIMULATION_START);
    assertThat(c.getSpeed()).isEqualTo(Defaults.SPEED);
    assertThat(c.getSeed()).isEqualTo(Defaults.SEED);
    assertThat(c.getStepSeconds()).isEqualTo(Defaults.STEP_SECONDS);
    assertThat(c.getPeakWatts()).isEqualTo(Defaults.PV_PEAK_WATTS);
    assertThat(c.getLatitude()).isEqualTo(Defaults.LATITUDE);
    assertThat(c.getLongitude()).isEqualTo(Defaults.LONGITUDE);
  }
}
