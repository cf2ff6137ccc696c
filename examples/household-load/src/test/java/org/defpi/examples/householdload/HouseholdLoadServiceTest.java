package org.defpi.examples.householdload;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.defpi.examples.energy.Defaults;
import org.defpi.examples.householdload.observations.v1.proto.ObservationsV1Proto.PowerForecast;
import org.junit.jupiter.api.Test;

class HouseholdLoadServiceTest {
  private static final long EVENING = Instant.parse("2026-06-21T18:00:00Z").toEpochMilli();

  @Test
  void forecastsThePlannedProfileWithTheCar() {
    PowerForecast forecast = HouseholdLoadService.forecast(Defaults.load(42), EVENING);
    assertThat(forecast.getElementsList()).hasSize(96);
    assertThat(forecast.getElements(0).getValues(0).getExpectedWatts()).isGreaterThan(7400);
    assertThat(forecast.getElements(40).getValues(0).getExpectedWatts()).isBetween(0.0, 1000.0); // 04:00
  }

  @Test
  void everyServiceDefaultIsTheSimulationsDefault() throws Exception {
    HouseholdLoadConfiguration c = new HouseholdLoadConfigurationBinder().bind(Map.of());
    assertThat(c.getSimulationStart()).isEqualTo(Defaults.SIMULATION_START);
    assertThat(c.getSpeed()).isEqualTo(Defaults.SPEED);
    assertThat(c.getSeed()).isEqualTo(Defaults.SEED);
    assertThat(c.getStepSeconds()).isEqualTo(Defaults.STEP_SECONDS);
    assertThat(c.getBaseLoadWatts()).isEqualTo(Defaults.BASE_LOAD_WATTS);
    assertThat(c.getEvWatts()).isEqualTo(Defaults.EV_WATTS);
    assertThat(c.getEvStartHour()).isEqualTo(Defaults.EV_START_HOUR);
    assertThat(c.getEvHours()).isEqualTo(Defaults.EV_HOURS);
    assertThat(c.getWallClockStart()).isEmpty();
  }
}
