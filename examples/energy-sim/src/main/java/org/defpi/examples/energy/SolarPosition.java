package org.defpi.examples.energy;

/**
 * Where the sun stands, seen from a place on earth (the U.S. Naval Observatory's low-precision
 * formulas: within about a degree from 1800 to 2200, plenty for a PV curve).
 *
 * @param elevationDegrees above the horizon; negative at night
 * @param azimuthDegrees clockwise from north (180 = south)
 */
public record SolarPosition(double elevationDegrees, double azimuthDegrees) {
  private static final double J2000_JULIAN_DAY = 2451545.0;
  private static final double EPOCH_JULIAN_DAY = 2440587.5;
  private static final double MILLIS_PER_DAY = 86_400_000.0;

  public static SolarPosition at(long epochMillis, double latitudeDegrees, double longitudeDegrees) {
    double d = epochMillis / MILLIS_PER_DAY + EPOCH_JULIAN_DAY - J2000_JULIAN_DAY;
    double g = Math.toRadians(357.529 + 0.98560028 * d);
    double q = 280.459 + 0.98564736 * d;
    double eclipticLongitude = Math.toRadians(q + 1.915 * Math.sin(g) + 0.020 * Math.sin(2 * g));
    double obliquity = Math.toRadians(23.439 - 0.00000036 * d);
    double rightAscension = Math.atan2(Math.cos(obliquity) * Math.sin(eclipticLongitude), Math.cos(eclipticLongitude));
    double declination = Math.asin(Math.sin(obliquity) * Math.sin(eclipticLongitude));
    double siderealDegrees = (18.697374558 + 24.06570982441908 * d) * 15.0;
    double hourAngle = Math.toRadians(siderealDegrees + longitudeDegrees) - rightAscension;
    double lat = Math.toRadians(latitudeDegrees);
    double elevation = Math.asin(Math.sin(lat) * Math.sin(declination)
        + Math.cos(lat) * Math.cos(declination) * Math.cos(hourAngle));
    double azimuth = Math.atan2(-Math.sin(hourAngle),
        Math.tan(declination) * Math.cos(lat) - Math.sin(lat) * Math.cos(hourAngle));
    return new SolarPosition(Math.toDegrees(elevation), (Math.toDegrees(azimuth) + 360.0) % 360.0);
  }

  public boolean isUp() {
    return elevationDegrees > 0;
  }
}
