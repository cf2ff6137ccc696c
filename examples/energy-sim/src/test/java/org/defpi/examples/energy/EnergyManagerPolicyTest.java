package org.defpi.examples.energy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.defpi.examples.energy.EnergyManagerPolicy.Reason.BATTERY_LIMIT;
import static org.defpi.examples.energy.EnergyManagerPolicy.Reason.EXPORT_LIMIT;
import static org.defpi.examples.energy.EnergyManagerPolicy.Reason.IMPORT_LIMIT;
import static org.defpi.examples.energy.EnergyManagerPolicy.Reason.KEEP_ENERGY_FOR_IMPORT_PEAK;
import static org.defpi.examples.energy.EnergyManagerPolicy.Reason.KEEP_ROOM_FOR_EXPORT_PEAK;
import static org.defpi.examples.energy.EnergyManagerPolicy.Reason.SELF_CONSUMPTION;

import java.util.List;
import java.util.stream.Stream;
import org.defpi.examples.energy.EnergyManagerPolicy.Reason;
import org.defpi.examples.energy.EnergyManagerPolicy.Situation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The policy on a 10 kWh battery (energy 1000–9000 Wh, +5 kW / −4 kW, 90 % each way), import limit
 * 5 kW, export limit 4 kW, one-minute steps at midnight.
 */
class EnergyManagerPolicyTest {
  private static final Battery BATTERY = new Battery(10_000, 5000, 4000, 0.9, 0.9, 0.1, 0.9);
  private static final long T0 = 1_781_913_600_000L; // 2026-06-20T00:00:00Z, a whole quarter hour
  private static final long MINUTE = 60_000L;
  private static final long HOUR = 60 * MINUTE;
  private static final double MARGIN = EnergyManagerPolicy.LIMIT_MARGIN;

  /** 2 h of 1.5 kW surplus, then 3 h of 6 kW surplus (2 kW over the export limit), then nothing. */
  private static final List<Forecast> EXPORT_PEAK_AHEAD = List.of(new Forecast(T0, List.of(
      new Forecast.Element(2 * HOUR, -1500), new Forecast.Element(3 * HOUR, -6000), new Forecast.Element(19 * HOUR, 0))));
  /** 1 h of 1 kW consumption, then 2 h of 8 kW (3 kW over the import limit), then nothing. */
  private static final List<Forecast> IMPORT_PEAK_AHEAD = List.of(
      new Forecast(T0, List.of(new Forecast.Element(HOUR, 600), new Forecast.Element(2 * HOUR, 5000),
          new Forecast.Element(21 * HOUR, 0))),
      new Forecast(T0, List.of(new Forecast.Element(HOUR, 400), new Forecast.Element(2 * HOUR, 3000),
          new Forecast.Element(21 * HOUR, 0))));

  // The bands these forecasts call for, worked by hand (margin 1.15):
  // export: room for 2000 W × 1.15 × 3 h × 0.9 = 6210 Wh → at most 9000 − 6210 = 2790 Wh;
  // import: 3000 W × 1.15 × 2 h / 0.9 = 7666.7 Wh → at least 1000 + 7666.7 = 8666.7 Wh.
  private static final double MOST_BEFORE_EXPORT_PEAK = 2790;
  private static final double LEAST_BEFORE_IMPORT_PEAK = 1000 + 3000 * 1.15 * 2 / 0.9;

  static Stream<Arguments> cases() {
    return Stream.of(
        // name, net watts, energy Wh, forecasts, expected battery watts, reason
        Arguments.of("surplus charges the battery", -2000, 5000, List.of(), 2000, SELF_CONSUMPTION),
        Arguments.of("consumption is covered by the battery", 1500, 5000, List.of(), -1500, SELF_CONSUMPTION),
        Arguments.of("surplus beyond the charge power: the rest is exported", -8000, 5000, List.of(), 5000, BATTERY_LIMIT),
        Arguments.of("surplus beyond export limit and charge power", -10_000, 5000, List.of(), 5000, BATTERY_LIMIT),
        Arguments.of("full: the surplus is exported", -3000, 9000, List.of(), 0, BATTERY_LIMIT),
        Arguments.of("empty: the consumption is imported", 7000, 1000, List.of(), 0, BATTERY_LIMIT),
        Arguments.of("almost empty: what is left, then no more", 7000, 1010, List.of(), -540, BATTERY_LIMIT),
        Arguments.of("room to spare before the export peak: self-consumption", -1500, 2000, EXPORT_PEAK_AHEAD, 1500,
            SELF_CONSUMPTION),
        Arguments.of("10 Wh of spare room left before the export peak: charges only those", -1500, 2780,
            EXPORT_PEAK_AHEAD, 10 * 60 / 0.9, KEEP_ROOM_FOR_EXPORT_PEAK),
        Arguments.of("too full before the export peak: discharges as far as the export limit (less the margin) allows",
            -1500, 4000, EXPORT_PEAK_AHEAD, -(4000 * (1 - MARGIN) - 1500), EXPORT_LIMIT),
        Arguments.of("in the export peak: charges what is over the limit, even without room", -6000, 9000,
            List.of(), 0, BATTERY_LIMIT),
        Arguments.of("in the export peak: charges what is over the limit less the margin", -6000, 2790,
            EXPORT_PEAK_AHEAD, 6000 - 4000 * (1 - MARGIN), EXPORT_LIMIT),
        Arguments.of("energy to spare before the import peak: self-consumption", 1000, 8800, IMPORT_PEAK_AHEAD, -1000,
            SELF_CONSUMPTION),
        Arguments.of("little to spare before the import peak: discharges only that", 1000, 8680, IMPORT_PEAK_AHEAD,
            -(8680 - LEAST_BEFORE_IMPORT_PEAK) * 60 * 0.9, KEEP_ENERGY_FOR_IMPORT_PEAK),
        Arguments.of("too empty before the import peak: charges from the grid up to the import limit (less the margin)",
            1000, 8000, IMPORT_PEAK_AHEAD, 5000 * (1 - MARGIN) - 1000, IMPORT_LIMIT),
        Arguments.of("in the import peak: discharges what is over the limit less the margin", 8000, 8000,
            IMPORT_PEAK_AHEAD, -(8000 - 5000 * (1 - MARGIN)), IMPORT_LIMIT),
        Arguments.of("in the import peak beyond the discharge power", 10_000, 8000, List.of(), -4000, BATTERY_LIMIT));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(String name, double netWatts, double energy, List<Forecast> forecasts, double watts, Reason reason) {
    EnergyManagerPolicy.Decision decision = EnergyManagerPolicy.decide(
        new Situation(T0, MINUTE, netWatts, forecasts, BATTERY, energy, 5000, 4000));
    assertThat(decision.batteryWatts()).isCloseTo(watts, within(1e-6));
    assertThat(decision.reason()).isEqualTo(reason);
  }

  /** 1 h of 1 kW, then the car: 1 h of 8.4 kW; the decision is for the car's first minute. */
  @ParameterizedTest(name = "a forecast change of {0} W from one minute to the next")
  @org.junit.jupiter.params.provider.CsvSource({
      // change, battery watts: a switch is met in advance (8.4 kW less the import limit less the margin),
      // a ramp as it comes (self-consumption of what was measured)
      "7400, -3650",
      "600, -1000"})
  void meetsASwitchTheForecastsAnnounceBeforeItIsMeasured(double change, double watts) {
    List<Forecast> car = List.of(new Forecast(T0, List.of(new Forecast.Element(HOUR, 1000),
        new Forecast.Element(HOUR, 1000 + change), new Forecast.Element(22 * HOUR, 0))));
    EnergyManagerPolicy.Decision decision = EnergyManagerPolicy.decide(
        new Situation(T0 + HOUR, MINUTE, 1000, car, BATTERY, 5000, 5000, 4000));
    assertThat(decision.batteryWatts()).isCloseTo(watts, within(1e-6));
  }

  static Stream<Arguments> bands() {
    return Stream.of(
        Arguments.of("no forecasts: the whole fill range", List.of(), 1000, 9000),
        Arguments.of("export peak ahead: room for its excess", EXPORT_PEAK_AHEAD, 1000, MOST_BEFORE_EXPORT_PEAK),
        Arguments.of("import peak ahead: energy for its excess (two forecasts summed)", IMPORT_PEAK_AHEAD,
            LEAST_BEFORE_IMPORT_PEAK, 9000));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bands")
  void reservesABand(String name, List<Forecast> forecasts, double lowest, double highest) {
    EnergyManagerPolicy.Band band = EnergyManagerPolicy.reserveBand(
        new Situation(T0, MINUTE, 0, forecasts, BATTERY, 5000, 5000, 4000));
    assertThat(band.lowestWattHours()).isCloseTo(lowest, within(1e-6));
    assertThat(band.highestWattHours()).isCloseTo(highest, within(1e-6));
  }
}
