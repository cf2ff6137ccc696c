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
  void withTheEnergyManagerTheDefaultDayStaysWithinBothLimitsButForSingleStepsOfAPassingCloud() {
    Result result = DaySimulation.run(day, Control.ENERGY_MANAGER);
    print("energy manager", result);
    List<Step> late = beyondALimitWithRoomInTheBattery(result.steps(), day);
    System.out.printf("energy manager: %d steps beyond a limit with room in the battery, at %s%n", late.size(),
        late.stream().map(s -> Instant.ofEpochMilli(s.timeMillis()).toString().substring(11, 16) + " " + Math.round(s.gridWatts()) + " W").toList());
    // the car (a forecast change) is met in time: the import limit holds
    assertThat(result.peakImportWatts()).isLessThanOrEqualTo(day.importLimitWatts() + TOLERANCE_WATTS);
    // a cloud that ends is not forecast: the manager sees the step it ended in, and corrects the next
    assertThat(late).hasSizeLessThanOrEqualTo(3);
    assertThat(result.peakExportWatts()).isLessThan(day.exportLimitWatts() * 1.1);
    assertThat(result.minFillLevel()).isGreaterThanOrEqualTo(day.battery().minFillLevel() - 1e-9);
    assertThat(result.maxFillLevel()).isLessThanOrEqualTo(day.battery().maxFillLevel() + 1e-9);
  }

  /**
   * Over three days and several seeds: every step whose grid power is beyond a limit has the
   * battery at the end of its range on that side (discharging as hard as its power and fill level
   * let it for an import excess, charging as hard as they let it for an export excess), or is one
   * step after a change no forecast announced, which the manager corrects from the next step on:
   * never two such steps in a row.
   */
  @Test
  void withTheEnergyManagerTheGridIsBeyondALimitOnlyWhereTheBatteryCannotDoMoreOrForOneStep() {
    for (long seed : List.of(42L, 1L, 2L, 3L, 7L)) {
      Scenario days = new Scenario(day.startMillis(), 3 * 86_400_000L, day.stepSeconds(), day.pv(), day.load(),
          day.battery(), day.initialFillLevel(), day.importLimitWatts(), day.exportLimitWatts()).withSeed(seed);
      List<Step> late = beyondALimitWithRoomInTheBattery(DaySimulation.run(days, Control.ENERGY_MANAGER).steps(), days);
      System.out.printf("seed %d, three days: %d single steps beyond a limit with room in the battery%n", seed, late.size());
      for (int i = 1; i < late.size(); i++) {
        assertThat(late.get(i).timeMillis() - late.get(i - 1).timeMillis())
            .as("seed %d: two steps in a row beyond a limit with room in the battery, at %s", seed,
                Instant.ofEpochMilli(late.get(i).timeMillis()))
            .isGreaterThan(days.stepSeconds() * 1000L);
      }
    }
  }

  /** The steps beyond a limit where the battery could have done more on that side. */
  static List<Step> beyondALimitWithRoomInTheBattery(List<Step> steps, Scenario scenario) {
    return steps.stream().filter(step ->
        step.gridWatts() > scenario.importLimitWatts() + TOLERANCE_WATTS
            && step.batteryWatts() > step.batteryRange().lowestWatts() + TOLERANCE_WATTS
        || step.gridWatts() < -scenario.exportLimitWatts() - TOLERANCE_WATTS
            && step.batteryWatts() < step.batteryRange().highestWatts() - TOLERANCE_WATTS).toList();
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
