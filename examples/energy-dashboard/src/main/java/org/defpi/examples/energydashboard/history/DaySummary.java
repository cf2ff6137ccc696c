package org.defpi.examples.energydashboard.history;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * The current simulated day (UTC, from 00:00 to the clock) at a glance, taken over exactly the
 * samples the series hold for it: a reader of {@code /series.json} computes the same numbers from
 * the series.
 *
 * <p>Grid figures are over every {@link Role#GRID_CONNECTION} series (there is normally one):
 * peaks are the largest import (positive power) and export (negative power, given as a positive
 * number), 0 when there was none; a sample is above a limit when its power is strictly beyond it
 * (at one sample per simulated minute, the counts are minutes). Energies hold each sample's power
 * until the series' next sample, at most {@link #MAX_HOLD_MILLIS} (a gap longer than that is a
 * sender that was away, not a long step). The self-consumption share is the part of the day's PV
 * production (the producers' negative power) that was not exported: {@code (pv - export) / pv},
 * within 0–1, null with no production. Fill levels are over every storage series.
 *
 * @param day the simulated date, e.g. {@code 2026-06-21}; null before the first sample
 * @param gridSamples how many grid samples the day has
 * @param peakImportWatts null with no grid sample
 * @param peakExportWatts null with no grid sample
 * @param minFillLevel null with no storage status (0–1, like {@code presentFillLevel})
 */
public record DaySummary(
    String day,
    Long dayStartMillis,
    int gridSamples,
    Double peakImportWatts,
    Double peakExportWatts,
    int samplesAboveImportLimit,
    int samplesAboveExportLimit,
    double importWattHours,
    double exportWattHours,
    double pvProductionWattHours,
    double consumptionWattHours,
    Double selfConsumptionShare,
    Double minFillLevel,
    Double maxFillLevel) {

  public static final long MAX_HOLD_MILLIS = 15 * 60_000L;

  /** The summary of the day the simulated {@code clock} is in. */
  public static DaySummary of(List<SeriesView> series, Limits limits, Optional<Long> clock) {
    if (clock.isEmpty()) {
      return new DaySummary(null, null, 0, null, null, 0, 0, 0, 0, 0, 0, null, null, null);
    }
    long now = clock.get();
    long from = History.startOfDay(now);
    int gridSamples = 0;
    double peakImport = 0;
    double peakExport = 0;
    int aboveImport = 0;
    int aboveExport = 0;
    double importWh = 0;
    double exportWh = 0;
    double pvWh = 0;
    double consumptionWh = 0;
    double minFill = Double.POSITIVE_INFINITY;
    double maxFill = Double.NEGATIVE_INFINITY;
    for (SeriesView s : series) {
      List<Points.Power> samples = s.samples();
      for (int i = 0; i < samples.size(); i++) {
        Points.Power p = samples.get(i);
        if (p.t() < from || p.t() > now) {
          continue;
        }
        double hours = i + 1 < samples.size() ? heldHours(p.t(), samples.get(i + 1).t(), now) : 0;
        double w = p.watts();
        switch (s.role()) {
          case GRID_CONNECTION -> {
            gridSamples++;
            peakImport = Math.max(peakImport, w);
            peakExport = Math.max(peakExport, -w);
            aboveImport += limits.aboveImport(w) ? 1 : 0;
            aboveExport += limits.aboveExport(w) ? 1 : 0;
            importWh += Math.max(0, w) * hours;
            exportWh += Math.max(0, -w) * hours;
          }
          case ENERGY_PRODUCER -> pvWh += Math.max(0, -w) * hours;
          case ENERGY_CONSUMER -> consumptionWh += Math.max(0, w) * hours;
          default -> { }
        }
      }
      if (s.role() == Role.ENERGY_STORAGE) {
        for (Points.Fill f : s.fillLevels()) {
          if (f.t() >= from && f.t() <= now) {
            minFill = Math.min(minFill, f.fillLevel());
            maxFill = Math.max(maxFill, f.fillLevel());
          }
        }
      }
    }
    Double share = pvWh > 0 ? Math.clamp((pvWh - exportWh) / pvWh, 0.0, 1.0) : null;
    boolean grid = gridSamples > 0;
    boolean fill = minFill <= maxFill;
    return new DaySummary(
        LocalDate.ofInstant(Instant.ofEpochMilli(now), ZoneOffset.UTC).toString(), from, gridSamples,
        grid ? peakImport : null, grid ? peakExport : null, aboveImport, aboveExport,
        importWh, exportWh, pvWh, consumptionWh, share,
        fill ? minFill : null, fill ? maxFill : null);
  }

  /** How long a sample at {@code t} holds, in hours: to the next one, within the day and the cap. */
  private static double heldHours(long t, long next, long now) {
    long end = Math.min(Math.min(next, now), t + MAX_HOLD_MILLIS);
    return Math.max(0, end - t) / 3_600_000.0;
  }
}
