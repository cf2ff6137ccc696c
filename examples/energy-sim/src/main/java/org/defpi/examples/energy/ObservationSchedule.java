package org.defpi.examples.energy;

import java.time.Clock;
import java.time.Instant;
import java.util.function.Function;
import org.defpi.sdk.Connection;

/**
 * When a simulated resource that forecasts (PV, household) sends what: on connect its details and
 * the forecast from the current hour, each step its measurement, at each simulated hour a new
 * forecast. It holds the setup in force (swapped as a whole on reconfiguration), the subscribers
 * and the steps; the service builds the messages, as each service has its own generated classes.
 *
 * @param <S> the service's setup: its clock and models
 */
public final class ObservationSchedule<S extends ObservationSchedule.Clocked> implements AutoCloseable {
  public static final long HOUR = 3_600_000L;

  /** A setup that tells the simulated time. */
  public interface Clocked {
    SimulationClock clock();
  }

  /** A message of the setup at a simulated time (ms since the epoch). */
  @FunctionalInterface
  public interface MessageAt<S> {
    Object at(S setup, long millis);
  }

  private final Subscribers subscribers = new Subscribers();
  private final Clock wall;
  private final Function<S, Object> details;
  private final MessageAt<S> measurement;
  private final MessageAt<S> forecast;
  private volatile S setup;
  private Instant firstConfigured;
  private StepTicker ticker;

  /**
   * @param details the greeting of a new connection
   * @param measurement the measurement of the step starting at the given time
   * @param forecast the forecast from the given hour's start
   */
  public ObservationSchedule(Clock wall, Function<S, Object> details, MessageAt<S> measurement, MessageAt<S> forecast) {
    this.wall = wall;
    this.details = details;
    this.measurement = measurement;
    this.forecast = forecast;
  }

  /**
   * Puts a new setup in force, made from the instant of the first configuration (what an empty
   * {@code wallClockStart} means, so a reconfiguration keeps the day where it was).
   */
  public void configure(Function<Instant, S> setupFromFirstConfigured) {
    if (firstConfigured == null) {
      firstConfigured = wall.instant();
    }
    setup = setupFromFirstConfigured.apply(firstConfigured);
  }

  /** Starts sending every step, on a thread of that name; call after {@link #configure}. */
  public void startSteps(String threadName) {
    ticker = StepTicker.start(threadName, wall, () -> setup.clock(), this::step);
  }

  /** The setup in force. */
  public S current() {
    return setup;
  }

  /** A new connection: details first, then the forecast from the current hour. */
  public void connected(Connection connection) {
    S s = setup;
    long now = s.clock().simulatedMillis(wall.instant());
    connection.send(details.apply(s));
    connection.send(forecast.at(s, hourStart(now)));
    subscribers.add(connection);
  }

  public void disconnected(Connection connection) {
    subscribers.remove(connection);
  }

  /** Step {@code t}: its measurement, and a forecast when it is the first step of an hour. */
  void step(long t) {
    S s = setup;
    subscribers.send(measurement.at(s, t));
    if (Math.floorMod(t, HOUR) < s.clock().stepMillis()) {
      subscribers.send(forecast.at(s, hourStart(t)));
    }
  }

  private static long hourStart(long millis) {
    return Math.floorDiv(millis, HOUR) * HOUR;
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.close();
    }
  }
}
