package org.defpi.examples.energy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The sun, the clouds, the PV roof and the household: shapes and reproducibility. */
class SunAndLoadTest {
  private static final long MIDSUMMER = Instant.parse("2026-06-21T00:00:00Z").toEpochMilli();
  private static final long HOUR = 3_600_000L;

  @Test
  void theMidsummerSunAtFiftyTwoNorthOnTheGreenwichMeridian() {
    SolarPosition noon = SolarPosition.at(MIDSUMMER + 12 * HOUR, 52, 0);
    assertThat(noon.elevationDegrees()).isCloseTo(61.4, within(0.5)); // 90 - 52 + 23.44
    assertThat(noon.azimuthDegrees()).isCloseTo(180, within(2.0));
    assertThat(SolarPosition.at(MIDSUMMER, 52, 0).isUp()).isFalse();
    // Sunrise about 03:43 UTC, sunset about 20:20 UTC (geometric, without refraction a few minutes later/earlier).
    assertThat(SolarPosition.at(MIDSUMMER + 3 * HOUR + 30 * 60_000, 52, 0).isUp()).isFalse();
    assertThat(SolarPosition.at(MIDSUMMER + 4 * HOUR, 52, 0).isUp()).isTrue();
    assertThat(SolarPosition.at(MIDSUMMER + 20 * HOUR, 52, 0).isUp()).isTrue();
    assertThat(SolarPosition.at(MIDSUMMER + 20 * HOUR + 40 * 60_000, 52, 0).isUp()).isFalse();
  }

  @Test
  void eightKilowattPeakGivesAboutSixAndAHalfKilowattsAtMidsummerNoon() {
    PvSystem pv = Defaults.pv(42);
    assertThat(pv.clearSkyWatts(MIDSUMMER + 12 * HOUR)).isBetween(6000.0, 7200.0);
    assertThat(pv.clearSkyWatts(MIDSUMMER + 2 * HOUR)).isZero();
    // Shorter days in winter: at 08:00 in December the sun is not up yet.
    long december = Instant.parse("2026-12-21T08:00:00Z").toEpochMilli();
    assertThat(pv.clearSkyWatts(december)).isZero();
  }

  @Test
  void cloudsOnlyDimAndAreTheSameForTheSameSeed() {
    Clouds clouds = new Clouds(42);
    double dimmest = 1;
    for (long t = MIDSUMMER; t < MIDSUMMER + 24 * HOUR; t += 60_000) {
      double factor = clouds.factor(t);
      assertThat(factor).isBetween(0.15, 1.0).isEqualTo(new Clouds(42).factor(t));
      dimmest = Math.min(dimmest, factor);
    }
    assertThat(dimmest).as("a cloud passes on the default day").isLessThan(0.8);
  }

  @Test
  void eachDayHasItsOwnClouds() {
    Clouds clouds = new Clouds(42);
    assertThat(clouds.cloudsOf(20_625)).isNotEqualTo(clouds.cloudsOf(20_626));
    assertThat(new Clouds(43).cloudsOf(20_625)).isNotEqualTo(clouds.cloudsOf(20_625));
  }

  @Test
  void theHouseholdsCarChargesInTheEveningAndWrapsPastMidnight() {
    HouseholdLoad load = Defaults.load(42);
    assertThat(load.plannedWatts(MIDSUMMER + 19 * HOUR)).isGreaterThan(7400);
    assertThat(load.plannedWatts(MIDSUMMER + 3 * HOUR)).isEqualTo(300);
    HouseholdLoad lateCar = new HouseholdLoad(300, 7400, 23, 2, 42);
    assertThat(lateCar.plannedWatts(MIDSUMMER + HOUR / 2)).isEqualTo(7700);
  }

  @Test
  void noiseIsReproducibleAndWithinTenPercentOfTheAppliances() {
    HouseholdLoad load = Defaults.load(42);
    boolean differs = false;
    for (long t = MIDSUMMER; t < MIDSUMMER + 24 * HOUR; t += 60_000) {
      double planned = load.plannedWatts(t);
      double ev = t >= MIDSUMMER + 18 * HOUR && t < MIDSUMMER + 20 * HOUR + 30 * 60_000 ? 7400 : 0;
      assertThat(load.watts(t)).isEqualTo(Defaults.load(42).watts(t)).isCloseTo(planned, within((planned - ev) * 0.1 + 1e-9));
      differs |= load.watts(t) != Defaults.load(7).watts(t);
    }
    assertThat(differs).isTrue();
  }
}
