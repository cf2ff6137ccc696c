package org.defpi.examples.energy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Passing clouds: each UTC day gets its own few clouds, drawn from {@code seed} and the day, so a
 * day looks the same in every run and process, and the next day has other clouds. A cloud dims
 * the sun smoothly (a cosine bump) by up to its depth while it passes.
 */
public record Clouds(long seed) {
  private static final long DAY = 86_400_000L;
  private static final long MINUTE = 60_000L;

  /** One cloud: centred at {@code centreMillis}, passing for ±{@code halfWidthMillis}, dimming by up to {@code depth}. */
  record Cloud(long centreMillis, long halfWidthMillis, double depth) {
    double dimming(long t) {
      long off = Math.abs(t - centreMillis);
      return off >= halfWidthMillis ? 0 : depth * 0.5 * (1 + Math.cos(Math.PI * off / halfWidthMillis));
    }
  }

  /** The fraction of the clear-sky irradiance that gets through at {@code epochMillis}: 0.15 to 1. */
  public double factor(long epochMillis) {
    long day = Math.floorDiv(epochMillis, DAY);
    double factor = 1;
    for (long d = day - 1; d <= day + 1; d++) { // a cloud near midnight may reach into the next day
      for (Cloud cloud : cloudsOf(d)) {
        factor *= 1 - cloud.dimming(epochMillis);
      }
    }
    return Math.max(0.15, factor);
  }

  List<Cloud> cloudsOf(long epochDay) {
    SplittableRandom random = new SplittableRandom(seed ^ (epochDay * 0x9E3779B97F4A7C15L));
    int count = 2 + random.nextInt(7);
    List<Cloud> clouds = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long centre = epochDay * DAY + random.nextLong(4 * 60 * MINUTE, 20 * 60 * MINUTE);
      long halfWidth = random.nextLong(5 * MINUTE, 40 * MINUTE);
      clouds.add(new Cloud(centre, halfWidth, random.nextDouble(0.2, 0.75)));
    }
    return clouds;
  }
}
