package org.defpi.examples.energy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.defpi.examples.energy.DaySimulation.Control;
import org.defpi.examples.energy.DaySimulation.Result;
import org.defpi.examples.energy.DaySimulation.Scenario;
import org.defpi.examples.energy.DaySimulation.Step;
import org.junit.jupiter.api.Test;

/** The default day (and the two after it), in process, step by step. */
class DaySimulationTest {
  private static final double TOLERANCE_WATTS = 1e-6;
  private final Scenario day = Scenario.defaults();

  @Test
  void withoutTheEnergyManagerTheDayExceedsBothLimits() {
    Result result = DaySimulation.run(day, Control.NONE);
    print("no energy manager", result);
    assertThat(result.peakExportWatts()).isGreaterThan(day.exportLimitWatts() + 2000);
    assertThat(result.peakImportWatts()).isGreaterThan(day.importLimitWatts() + 3000);
    assertThat(result.minFillLevel()).isEqualTo(result.maxFillLevel()).isEqualTo(day.initialFillLevel());
  }

  @Test
  void withTheEnergyManagerTheDefaultDayStaysWithinBothLimits() {
    Result result = DaySimulation.run(day, Control.ENERGY_MANAGER);
    print("energy manager", result);
    assertThat(result.peakExportWatts()).isLessThanOrEqualTo(day.exportLimitWatts() + TOLERANCE_WATTS);
    assertThat(result.peakImportWatts()).isLessThanOrEqualTo(day.importLimitWatts() + TOLERANCE_WATTS);
    assertThat(result.minFillLevel()).isGreaterThanOrEqualTo(day.battery().minFillLevel() - 1e-9);
    assertThat(result.maxFillLevel()).isLessThanOrEqualTo(day.battery().maxFillLevel() + 1e-9);
  }

  /**
   * Over three days and several seeds: every step whose grid power is beyond a limit has the
   * battery at the end of its range on that side (discharging as hard as its power and fill level
   * let it for an import excess, charging as hard as they let it for an export excess).
   */
  @Test
  void withTheEnergyManagerTheGridIsBeyondALimitOnlyWhereTheBatteryCannotDoMore() {
    for (long seed : List.of(42L, 1L, 2L, 3L, 7L)) {
      Scenario days = new Scenario(day.startMillis(), 3 * 86_400_000L, day.stepSeconds(), day.pv(), day.load(),
          day.battery(), day.initialFillLevel(), day.importLimitWatts(), day.exportLimitWatts()).withSeed(seed);
      for (Step step : DaySimulation.run(days, Control.ENERGY_MANAGER).steps()) {
        if (step.gridWatts() > days.importLimitWatts() + TOLERANCE_WATTS) {
          assertThat(step.batteryWatts()).as("seed %d at %s", seed, Instant.ofEpochMilli(step.timeMillis()))
              .isEqualTo(step.batteryRange().lowestWatts());
        }
        if (step.gridWatts() < -days.exportLimitWatts() - TOLERANCE_WATTS) {
          assertThat(step.batteryWatts()).as("seed %d at %s", seed, Instant.ofEpochMilli(step.timeMillis()))
              .isEqualTo(step.batteryRange().highestWatts());
        }
      }
    }
  }

  @Test
  void withoutForecastsAMorningChargeLeavesNoRoomForTheMiddayPeak() {
    Result naive = DaySimulation.run(day, Control.WITHOUT_FORECASTS);
    print("energy manager without forecasts", naive);
    Step firstExcess = naive.steps().stream().filter(s -> s.gridWatts() < -day.exportLimitWatts() - 1).findFirst()
        .orElseThrow();
    assertThat(firstExcess.fillLevel()).isEqualTo(day.battery().maxFillLevel());
    assertThat(naive.peakExportWatts()).isGreaterThan(day.exportLimitWatts() + 2000);
  }

  @Test
  void theSameSeedGivesTheSameDayAndAnotherSeedAnother() {
    assertThat(DaySimulation.run(day, Control.ENERGY_MANAGER)).isEqualTo(DaySimulation.run(day, Control.ENERGY_MANAGER));
    assertThat(DaySimulation.run(day.withSeed(43), Control.NONE).steps())
        .isNotEqualTo(DaySimulation.run(day, Control.NONE).steps());
  }

  private void print(String what, Result result) {
    System.out.printf("%s: peak import %.0f W, peak export %.0f W (limits %.0f / %.0f), fill level %.2f–%.2f,"
            + " %.1f kWh imported, %.1f kWh exported%n", what, result.peakImportWatts(), result.peakExportWatts(),
        day.importLimitWatts(), day.exportLimitWatts(), result.minFillLevel(), result.maxFillLevel(),
        result.importedKilowattHours(day.stepSeconds()), result.exportedKilowattHours(day.stepSeconds()));
  }
}
