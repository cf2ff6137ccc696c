package org.defpi.examples.energy;

/**
 * A south-facing PV roof: clear-sky output from the sun's position (direct beam through the air
 * mass on the tilted panels, plus some diffuse light) times passing {@link Clouds}.
 *
 * @param peakWatts the panels' rated power (kWp × 1000) at 1000 W/m²
 * @param latitudeDegrees where the roof is
 * @param longitudeDegrees east positive; at 0 solar noon is about 12:00 UTC
 * @param tiltDegrees the panels' angle from horizontal
 * @param seed draws the clouds
 */
public record PvSystem(double peakWatts, double latitudeDegrees, double longitudeDegrees, double tiltDegrees, long seed) {
  /** Inverter, temperature and wiring losses. */
  private static final double SYSTEM_EFFICIENCY = 0.85;

  public PvSystem {
    if (!(peakWatts >= 0)) {
      throw new IllegalArgumentException("peakWatts must be zero or more, is " + peakWatts);
    }
    if (!(Math.abs(latitudeDegrees) <= 90)) {
      throw new IllegalArgumentException("latitude must be -90 to 90 degrees, is " + latitudeDegrees);
    }
    if (!(Math.abs(longitudeDegrees) <= 180)) {
      throw new IllegalArgumentException("longitude must be -180 to 180 degrees, is " + longitudeDegrees);
    }
  }

  public PvSystem(double peakWatts, double latitudeDegrees, double longitudeDegrees, long seed) {
    this(peakWatts, latitudeDegrees, longitudeDegrees, 35.0, seed);
  }

  /** What the roof produces under a clear sky at {@code epochMillis}, in watts (zero or more). */
  public double clearSkyWatts(long epochMillis) {
    SolarPosition sun = SolarPosition.at(epochMillis, latitudeDegrees, longitudeDegrees);
    if (!sun.isUp()) {
      return 0;
    }
    double elevation = Math.toRadians(sun.elevationDegrees());
    double airMass = 1 / (Math.sin(elevation) + 0.50572 * Math.pow(sun.elevationDegrees() + 6.07995, -1.6364));
    double directNormal = 1353 * Math.pow(0.7, Math.pow(airMass, 0.678));
    double tilt = Math.toRadians(tiltDegrees);
    // The panels face south (in the southern hemisphere they would face north).
    double facing = Math.toRadians(latitudeDegrees >= 0 ? 180 : 0);
    double incidence = Math.sin(elevation) * Math.cos(tilt)
        + Math.cos(elevation) * Math.sin(tilt) * Math.cos(Math.toRadians(sun.azimuthDegrees()) - facing);
    double diffuse = 0.1 * directNormal * (1 + Math.cos(tilt)) / 2;
    double onPanels = directNormal * Math.max(0, incidence) + diffuse;
    return peakWatts * onPanels / 1000 * SYSTEM_EFFICIENCY;
  }

  /** What the roof produces at {@code epochMillis}, clouds included, in watts (zero or more). */
  public double productionWatts(long epochMillis) {
    return clearSkyWatts(epochMillis) * new Clouds(seed).factor(epochMillis);
  }
}
