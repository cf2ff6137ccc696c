package org.defpi.examples.energydashboard.history;

/**
 * The grid connection's limits, both as positive watts: grid power above {@code importWatts} or
 * below {@code -exportWatts} exceeds them.
 */
public record Limits(double importWatts, double exportWatts) {
  public Limits {
    if (!Double.isFinite(importWatts) || importWatts < 0) {
      throw new IllegalArgumentException("the import limit must be a non-negative number of watts, is " + importWatts);
    }
    if (!Double.isFinite(exportWatts) || exportWatts < 0) {
      throw new IllegalArgumentException("the export limit must be a non-negative number of watts, is " + exportWatts);
    }
  }

  public boolean aboveImport(double gridWatts) {
    return gridWatts > importWatts;
  }

  public boolean aboveExport(double gridWatts) {
    return -gridWatts > exportWatts;
  }
}
