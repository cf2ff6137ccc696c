package org.defpi.examples.energy;

import java.util.SplittableRandom;

/**
 * A household's consumption over the day (hours of the simulation's clock, UTC): a base load,
 * breakfast, lunch, cooking and the evening's lights, a washing machine in the morning, a
 * dishwasher after dinner, and an electric car charging in the evening. {@link #plannedWatts} is
 * the profile (what the household forecasts); {@link #watts} adds minute-by-minute noise drawn
 * from {@code seed} and the minute, so every run sees the same noise.
 *
 * @param baseWatts always on (fridge, standby)
 * @param evWatts the car's charging power
 * @param evStartHour when the car starts charging, hours after midnight
 * @param evHours how long it charges
 * @param seed draws the noise
 */
public record HouseholdLoad(double baseWatts, double evWatts, double evStartHour, double evHours, long seed) {
  private static final long MINUTE = 60_000L;
  private static final double HOUR = 3_600_000.0;

  public HouseholdLoad {
    if (!(baseWatts >= 0) || !(evWatts >= 0)) {
      throw new IllegalArgumentException("base load and car charging power must be zero or more watts");
    }
    if (!(evStartHour >= 0 && evStartHour < 24)) {
      throw new IllegalArgumentException("the car's start hour must be 0 to 24, is " + evStartHour);
    }
    if (!(evHours >= 0 && evHours <= 24)) {
      throw new IllegalArgumentException("the car's charging hours must be 0 to 24, is " + evHours);
    }
  }

  /** The profile without noise, in watts: what the household expects. */
  public double plannedWatts(long epochMillis) {
    return householdWatts(epochMillis) + evWatts(epochMillis);
  }

  /**
   * The consumption at {@code epochMillis}, in watts: the household's appliances with ±10 % noise
   * per minute, and the car (which draws its power steadily).
   */
  public double watts(long epochMillis) {
    long minute = Math.floorDiv(epochMillis, MINUTE);
    SplittableRandom random = new SplittableRandom(seed ^ (minute * 0xBF58476D1CE4E5B9L));
    double noise = random.nextDouble(-0.1, 0.1);
    return householdWatts(epochMillis) * (1 + noise) + evWatts(epochMillis);
  }

  private double householdWatts(long epochMillis) {
    double h = hourOfDay(epochMillis);
    return baseWatts
        + bump(h, 6.5, 8.5, 1400)    // breakfast: kettle, coffee, shower pump
        + block(h, 9.5, 11.0, 700)   // washing machine
        + bump(h, 12.0, 13.0, 800)   // lunch
        + bump(h, 16.75, 18.75, 2000) // cooking
        + block(h, 19.0, 23.5, 350)  // lights, television
        + block(h, 21.0, 22.0, 900); // dishwasher
  }

  /** The car charges from evStartHour for evHours, wrapping past midnight. */
  private double evWatts(long epochMillis) {
    double since = (hourOfDay(epochMillis) - evStartHour + 24) % 24;
    return since < evHours ? evWatts : 0;
  }

  private static double hourOfDay(long epochMillis) {
    return Math.floorMod(epochMillis, 86_400_000L) / HOUR;
  }

  /** A smooth rise and fall between {@code from} and {@code to} hours, {@code peak} watts at the middle. */
  private static double bump(double h, double from, double to, double peak) {
    if (h <= from || h >= to) {
      return 0;
    }
    return peak * Math.sin(Math.PI * (h - from) / (to - from));
  }

  private static double block(double h, double from, double to, double watts) {
    return h >= from && h < to ? watts : 0;
  }
}
