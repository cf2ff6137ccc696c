package org.defpi.examples.energydashboard.history;

import java.util.List;
import java.util.Optional;

/**
 * The series at one moment: all of them ({@code full}) or what changed after a reader's seq, with
 * the day's summary taken at the same moment (over all the samples, also when not {@code full}).
 *
 * @param clock the simulated clock, empty before the first sample
 */
public record Snapshot(long epoch, long seq, boolean full, Optional<Long> clock, List<SeriesView> series,
    DaySummary summary) {
  public Snapshot {
    series = List.copyOf(series);
  }
}
