package org.defpi.examples.energy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatteryTest {
  /** 10 kWh, 5 kW both ways, 90 % each way, fill 10 %–90 %: energy 1000–9000 Wh. */
  private static final Battery BATTERY = new Battery(10_000, 5000, 4000, 0.9, 0.9, 0.1, 0.9);
  private static final long HOUR = 3_600_000L;

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      // case,                                   energy, requested, millis,  watts,   energy after
      "'idle',                                   5000,   0,         3600000, 0,       5000",
      "'charging stores 90 %',                   5000,   2000,      3600000, 2000,    6800",
      "'discharging takes 1/0.9',                5000,   -1800,     3600000, -1800,   3000",
      "'charging is capped at its power',        5000,   9000,      60000,   5000,    5075",
      "'discharging is capped at its power',     5000,   -9000,     60000,   -4000,   4925.925925925926",
      "'charging stops at the max fill level',   8990,   5000,      60000,   666.6666666666667, 9000",
      "'nothing more when full',                 9000,   5000,      60000,   0,       9000",
      "'discharging stops at the min fill level', 1010, -5000,       60000,   -540,    1000",
      "'nothing more when empty',                1000,   -100,      60000,   0,       1000",
  })
  void stepsWithinItsLimits(String name, double energy, double requested, long millis, double watts, double after) {
    Battery.Step step = BATTERY.step(energy, requested, millis);
    assertThat(step.watts()).isCloseTo(watts, within(1e-6));
    assertThat(step.energyWattHours()).isCloseTo(after, within(1e-6));
  }

  @ParameterizedTest
  @CsvSource({"1000, -3600000", "-900, -3600000", "0, 60000", "450, 60000"})
  void wattsForIsTheInverseOfEnergyChange(double watts, long millis) {
    long m = Math.abs(millis);
    assertThat(BATTERY.wattsFor(BATTERY.energyChange(watts, m), m)).isCloseTo(watts, within(1e-9));
  }

  @ParameterizedTest
  @CsvSource({"500, 0, 5000", "5000, -4000, 5000", "9000, -4000, 0", "1000, 0, 5000"})
  void itsPowerRangeAtAFillLevel(double energy, double lowest, double highest) {
    Battery.PowerRange range = BATTERY.powerRange(energy, HOUR / 60);
    assertThat(range.lowestWatts()).isCloseTo(lowest, within(1e-6));
    assertThat(range.highestWatts()).isCloseTo(highest, within(1e-6));
  }
}
