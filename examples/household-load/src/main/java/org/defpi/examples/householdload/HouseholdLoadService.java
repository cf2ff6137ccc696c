package org.defpi.examples.householdload;

import java.time.Clock;
import java.time.Instant;
import org.defpi.examples.energy.Defaults;
import org.defpi.examples.energy.Forecast;
import org.defpi.examples.energy.HouseholdLoad;
import org.defpi.examples.energy.SimulationClock;
import org.defpi.examples.energy.StepTicker;
import org.defpi.examples.energy.Subscribers;
import org.defpi.examples.householdload.observations.v1.proto.ObservationsV1Proto.CommodityQuantity;
import org.defpi.examples.householdload.observations.v1.proto.ObservationsV1Proto.PowerForecast;
import org.defpi.examples.householdload.observations.v1.proto.ObservationsV1Proto.PowerForecastElement;
import org.defpi.examples.householdload.observations.v1.proto.ObservationsV1Proto.PowerForecastValue;
import org.defpi.examples.householdload.observations.v1.proto.ObservationsV1Proto.PowerMeasurement;
import org.defpi.examples.householdload.observations.v1.proto.ObservationsV1Proto.PowerValue;
import org.defpi.examples.householdload.observations.v1.proto.ObservationsV1Proto.ResourceManagerDetails;
import org.defpi.examples.householdload.observations.v1.proto.ObservationsV1Proto.RoleType;
import org.defpi.sdk.Connection;
import org.defpi.sdk.DefPiParameters;
import org.defpi.sdk.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated household: each step it measures its consumption (the day's profile, the car in the
 * evening, noise drawn from the seed), every simulated hour it forecasts the next 24 h (the
 * profile without noise), and it greets each new connection with its details and the forecast.
 */
public class HouseholdLoadService implements Service<HouseholdLoadConfiguration> {
  private static final Logger LOG = LoggerFactory.getLogger(HouseholdLoadService.class);
  private static final long HOUR = 3_600_000L;

  /** The clock and the household, swapped as a whole on reconfiguration. */
  record Setup(SimulationClock clock, HouseholdLoad load) {}

  private final Subscribers observers = new Subscribers();
  private final Clock wall;
  private volatile Setup setup;
  private volatile String processId = "household";
  private Instant firstConfigured;
  private StepTicker ticker;

  public HouseholdLoadService() {
    this(Clock.systemUTC());
  }

  HouseholdLoadService(Clock wall) {
    this.wall = wall;
  }

  @Override
  public void init(HouseholdLoadConfiguration config, DefPiParameters parameters) {
    processId = parameters.processId();
    firstConfigured = wall.instant();
    setup = setup(config);
    ticker = StepTicker.start("household-steps", wall, () -> setup.clock(), this::step);
    LOG.info("household {} started: {}", processId, setup);
  }

  @Override
  public void modify(HouseholdLoadConfiguration config) {
    setup = setup(config);
    LOG.info("household reconfigured: {}", setup);
  }

  @Override
  public void terminate() {
    if (ticker != null) {
      ticker.close();
    }
  }

  Setup setup(HouseholdLoadConfiguration c) {
    return new Setup(
        SimulationClock.of(c.getSimulationStart(), c.getWallClockStart().orElse(""), c.getSpeed(), c.getStepSeconds(),
            firstConfigured),
        new HouseholdLoad(c.getBaseLoadWatts(), c.getEvWatts(), c.getEvStartHour(), c.getEvHours(), c.getSeed()));
  }

  /** A new connection: details first, then the forecast from the current hour. */
  public void connected(Connection connection) {
    Setup s = setup;
    long now = s.clock().simulatedMillis(wall.instant());
    connection.send(details(s));
    connection.send(forecast(s.load(), Math.floorDiv(now, HOUR) * HOUR));
    observers.add(connection);
  }

  public void disconnected(Connection connection) {
    observers.remove(connection);
  }

  void step(long t) {
    Setup s = setup;
    observers.send(measurement(t, s.load().watts(t)));
    if (Math.floorMod(t, HOUR) < s.clock().stepMillis()) {
      observers.send(forecast(s.load(), Math.floorDiv(t, HOUR) * HOUR));
    }
  }

  ResourceManagerDetails details(Setup s) {
    return ResourceManagerDetails.newBuilder().setResourceId(processId).setName("Household")
        // At most: the base load, the car, and about 4 kW of appliances at once.
        .addRoles(RoleType.ENERGY_CONSUMER).setNominalPowerWatts(s.load().baseWatts() + s.load().evWatts() + 4000).build();
  }

  static PowerMeasurement measurement(long t, double watts) {
    return PowerMeasurement.newBuilder().setMeasurementTimestamp(t).addValues(PowerValue.newBuilder()
        .setCommodityQuantity(CommodityQuantity.ELECTRIC_POWER_3_PHASE_SYMMETRIC).setWatts(watts)).build();
  }

  static PowerForecast forecast(HouseholdLoad load, long start) {
    Forecast forecast = Defaults.loadForecast(load, start);
    PowerForecast.Builder message = PowerForecast.newBuilder().setStartTime(forecast.startMillis());
    for (Forecast.Element e : forecast.elements()) {
      message.addElements(PowerForecastElement.newBuilder().setDurationMillis(e.durationMillis())
          .addValues(PowerForecastValue.newBuilder()
              .setCommodityQuantity(CommodityQuantity.ELECTRIC_POWER_3_PHASE_SYMMETRIC).setExpectedWatts(e.watts())));
    }
    return message.build();
  }
}
