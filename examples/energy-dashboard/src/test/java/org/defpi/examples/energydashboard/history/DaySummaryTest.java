package org.defpi.examples.energydashboard.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DaySummaryTest {
  private static final long MINUTE = 60_000;
  private static final long DAY = Instant.parse("2026-06-21T00:00:00Z").toEpochMilli();
  private static final Limits LIMITS = new Limits(5000, 4000);

  private static SeriesView series(Role role, double... wattsPerMinute) {
    List<Points.Power> samples = new ArrayList<>();
    for (int i = 0; i < wattsPerMinute.length; i++) {
      samples.add(new Points.Power(DAY + i * MINUTE, wattsPerMinute[i]));
    }
    return new SeriesView(role.name(), role.name(), role.name(), role, List.of(role), null, true, samples, List.of(),
        null, null);
  }

  private static SeriesView storage(double... fillPerMinute) {
    List<Points.Fill> fill = new ArrayList<>();
    for (int i = 0; i < fillPerMinute.length; i++) {
      fill.add(new Points.Fill(DAY + i * MINUTE, fillPerMinute[i], fillPerMinute[i] * 10_000));
    }
    return new SeriesView("b", "b", "Battery", Role.ENERGY_STORAGE, List.of(Role.ENERGY_STORAGE), null, true, List.of(),
        fill, 10_000.0, null);
  }

  record GridCase(String name, double[] grid, Double peakImport, Double peakExport, int aboveImport, int aboveExport) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> gridCases() {
    return Stream.of(
        new GridCase("within the limits", new double[] {1000, -2000, 3000}, 3000.0, 2000.0, 0, 0),
        new GridCase("exactly at a limit is not above it", new double[] {5000, -4000}, 5000.0, 4000.0, 0, 0),
        new GridCase("above each limit", new double[] {5000.5, 6000, -4000.1, 0}, 6000.0, 4000.1, 2, 1),
        new GridCase("only import: no export peak", new double[] {100, 200}, 200.0, 0.0, 0, 0),
        new GridCase("only export: no import peak", new double[] {-100, -4500}, 0.0, 4500.0, 0, 1),
        new GridCase("no grid samples", new double[] {}, null, null, 0, 0))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gridCases")
  void gridPeaksAndSamplesAboveTheLimits(GridCase c) {
    List<SeriesView> series = List.of(series(Role.GRID_CONNECTION, c.grid()), series(Role.ENERGY_PRODUCER, -9000));
    DaySummary s = DaySummary.of(series, LIMITS, Optional.of(DAY + 10 * MINUTE));
    assertThat(s.gridSamples()).isEqualTo(c.grid().length);
    assertThat(s.peakImportWatts()).isEqualTo(c.peakImport());
    assertThat(s.peakExportWatts()).isEqualTo(c.peakExport());
    assertThat(s.samplesAboveImportLimit()).isEqualTo(c.aboveImport());
    assertThat(s.samplesAboveExportLimit()).isEqualTo(c.aboveExport());
  }

  @Test
  void onlyTheClocksDayCounts() {
    SeriesView grid = new SeriesView("g", "g", "Grid", Role.GRID_CONNECTION, List.of(Role.GRID_CONNECTION), null, true,
        List.of(new Points.Power(DAY - MINUTE, 9000), new Points.Power(DAY, 100)), List.of(), null, null);
    DaySummary s = DaySummary.of(List.of(grid), LIMITS, Optional.of(DAY + MINUTE));
    assertThat(s.day()).isEqualTo("2026-06-21");
    assertThat(s.dayStartMillis()).isEqualTo(DAY);
    assertThat(s.peakImportWatts()).isEqualTo(100);
    assertThat(s.samplesAboveImportLimit()).isZero();
  }

  @Test
  void energiesHoldEachSampleUntilTheNextAndSelfConsumptionIsTheUnexportedShareOfPv() {
    // An hour of PV at 6 kW, of which 1.5 kW is exported: 75 % used on site.
    double[] pv = new double[61];
    double[] grid = new double[61];
    double[] load = new double[61];
    java.util.Arrays.fill(pv, -6000);
    java.util.Arrays.fill(grid, -1500);
    java.util.Arrays.fill(load, 4500);
    DaySummary s = DaySummary.of(List.of(series(Role.ENERGY_PRODUCER, pv), series(Role.GRID_CONNECTION, grid),
        series(Role.ENERGY_CONSUMER, load)), LIMITS, Optional.of(DAY + 60 * MINUTE));
    assertThat(s.pvProductionWattHours()).isCloseTo(6000, within(1e-9));
    assertThat(s.exportWattHours()).isCloseTo(1500, within(1e-9));
    assertThat(s.importWattHours()).isZero();
    assertThat(s.consumptionWattHours()).isCloseTo(4500, within(1e-9));
    assertThat(s.selfConsumptionShare()).isCloseTo(0.75, within(1e-9));
  }

  @Test
  void aGapLongerThanTheHoldIsNotFilled() {
    SeriesView pv = new SeriesView("pv", "pv", "PV", Role.ENERGY_PRODUCER, List.of(Role.ENERGY_PRODUCER), null, true,
        List.of(new Points.Power(DAY, -1000), new Points.Power(DAY + 120 * MINUTE, -1000)), List.of(), null, null);
    DaySummary s = DaySummary.of(List.of(pv), LIMITS, Optional.of(DAY + 120 * MINUTE));
    assertThat(s.pvProductionWattHours()).isCloseTo(250, within(1e-9)); // 15 minutes at 1 kW
  }

  @Test
  void noPvNoShareAndFillLevelsAreOverTheStorage() {
    DaySummary s = DaySummary.of(List.of(storage(0.5, 0.2, 0.9, 0.4)), LIMITS, Optional.of(DAY + 5 * MINUTE));
    assertThat(s.selfConsumptionShare()).isNull();
    assertThat(s.minFillLevel()).isEqualTo(0.2);
    assertThat(s.maxFillLevel()).isEqualTo(0.9);
  }

  @Test
  void beforeTheFirstSampleThereIsNoDay() {
    DaySummary s = DaySummary.of(List.of(), LIMITS, Optional.empty());
    assertThat(s.day()).isNull();
    assertThat(s.peakImportWatts()).isNull();
    assertThat(s.minFillLevel()).isNull();
  }
}
