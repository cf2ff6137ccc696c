package org.defpi.examples.energy;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * Simulated time as a function of wall time: {@code simulationStart + (wall - wallClockStart) ×
 * speed}, held at {@code simulationStart} before {@code wallClockStart}. Every process given the
 * same parameters agrees on the simulated time whenever it was started, and a restarted one picks
 * up where the day is.
 *
 * @param simulationStart the simulated instant at {@code wallClockStart}
 * @param wallClockStart the wall-clock instant at which the simulation starts
 * @param speed simulated seconds per wall-clock second
 * @param stepSeconds simulated seconds between measurements; steps are multiples of it since the epoch
 */
public record SimulationClock(Instant simulationStart, Instant wallClockStart, double speed, int stepSeconds) {
  public SimulationClock {
    Objects.requireNonNull(simulationStart, "simulationStart");
    Objects.requireNonNull(wallClockStart, "wallClockStart");
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("speed must be a positive number of simulated seconds per second, is " + speed);
    }
    if (stepSeconds < 1) {
      throw new IllegalArgumentException("stepSeconds must be at least 1, is " + stepSeconds);
    }
  }

  /**
   * The clock of a service's parameters; an empty {@code wallClockStart} means {@code configuredAt}.
   *
   * @throws IllegalArgumentException naming the parameter that is not an ISO-8601 instant
   */
  public static SimulationClock of(String simulationStart, String wallClockStart, double speed, int stepSeconds,
      Instant configuredAt) {
    Instant wall = wallClockStart == null || wallClockStart.isBlank() ? configuredAt : instant("wallClockStart", wallClockStart);
    return new SimulationClock(instant("simulationStart", simulationStart), wall, speed, stepSeconds);
  }

  private static Instant instant(String parameter, String value) {
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(parameter + " must be an ISO-8601 instant such as 2026-06-21T00:00:00Z, is '"
          + value + "'");
    }
  }

  public long stepMillis() {
    return stepSeconds * 1000L;
  }

  /** The simulated time (ms since the epoch) at wall-clock instant {@code wall}. */
  public long simulatedMillis(Instant wall) {
    long sinceStart = Duration.between(wallClockStart, wall).toMillis();
    return simulationStart.toEpochMilli() + (sinceStart <= 0 ? 0 : Math.round(sinceStart * speed));
  }

  /** The start of the step that {@code simulatedMillis} falls in. */
  public long stepAt(long simulatedMillis) {
    return Math.floorDiv(simulatedMillis, stepMillis()) * stepMillis();
  }

  /** The wall-clock instant at which the simulation reaches {@code simulatedMillis} (never before wallClockStart). */
  public Instant wallTimeOf(long simulatedMillis) {
    long ahead = simulatedMillis - simulationStart.toEpochMilli();
    return ahead <= 0 ? wallClockStart : wallClockStart.plusMillis((long) Math.ceil(ahead / speed));
  }

  /** How long a step lasts in wall-clock time. */
  public Duration wallStep() {
    return Duration.ofMillis(Math.max(1, Math.round(stepMillis() / speed)));
  }
}
