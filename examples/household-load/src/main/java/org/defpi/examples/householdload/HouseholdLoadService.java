package org.defpi.examples.householdload;

import java.time.Clock;
import java.time.Instant;
import org.defpi.examples.energy.Defaults;
import org.defpi.examples.energy.Forecast;
import org.defpi.examples.energy.HouseholdLoad;
import org.defpi.examples.energy.ObservationSchedule;
import org.defpi.examples.energy.SimulationClock;
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

  /** The clock and the household, swapped as a whole on reconfiguration. */
  record Setup(SimulationClock clock, HouseholdLoad load) implements ObservationSchedule.Clocked {}

  private final ObservationSchedule<Setup> schedule;
  private volatile String processId = "household";

  public HouseholdLoadService() {
    this(Clock.systemUTC());
  }

  HouseholdLoadService(Clock wall) {
    schedule = new ObservationSchedule<>(wall, this::details, (s, t) -> measurement(t, s.load().watts(t)),
        (s, hour) -> forecast(s.load(), hour));
  }

  @Override
  public void init(HouseholdLoadConfiguration config, DefPiParameters parameters) {
    processId = parameters.processId();
    schedule.configure(firstConfigured -> setup(config, firstConfigured));
    schedule.startSteps("household-steps");
    LOG.info("household {} started: {}", processId, schedule.current());
  }

  @Override
  public void modify(HouseholdLoadConfiguration config) {
    schedule.configure(firstConfigured -> setup(config, firstConfigured));
    LOG.info("household reconfigured: {}", schedule.current());
  }

  @Override
  public void terminate() {
    schedule.close();
  }

  Setup setup(HouseholdLoadConfiguration c, Instant firstConfigured) {
    return new Setup(
        SimulationClock.of(c.getSimulationStart(), c.getWallClockStart().orElse(""), c.getSpeed(), c.getStepSeconds(),
            firstConfigured),
        new HouseholdLoad(c.getBaseLoadWatts(), c.getEvWatts(), c.getEvStartHour(), c.getEvHours(), c.getSeed()));
  }

  public void connected(Connection connection) {
    schedule.connected(connection);
  }

  public void disconnected(Connection connection) {
    schedule.disconnected(connection);
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
