package org.defpi.examples.pvresourcemanager;

import java.time.Clock;
import java.time.Instant;
import org.defpi.examples.energy.Defaults;
import org.defpi.examples.energy.Forecast;
import org.defpi.examples.energy.ObservationSchedule;
import org.defpi.examples.energy.PvSystem;
import org.defpi.examples.energy.SimulationClock;
import org.defpi.examples.pvresourcemanager.observations.v1.proto.ObservationsV1Proto.CommodityQuantity;
import org.defpi.examples.pvresourcemanager.observations.v1.proto.ObservationsV1Proto.PowerForecast;
import org.defpi.examples.pvresourcemanager.observations.v1.proto.ObservationsV1Proto.PowerForecastElement;
import org.defpi.examples.pvresourcemanager.observations.v1.proto.ObservationsV1Proto.PowerForecastValue;
import org.defpi.examples.pvresourcemanager.observations.v1.proto.ObservationsV1Proto.PowerMeasurement;
import org.defpi.examples.pvresourcemanager.observations.v1.proto.ObservationsV1Proto.PowerValue;
import org.defpi.examples.pvresourcemanager.observations.v1.proto.ObservationsV1Proto.ResourceManagerDetails;
import org.defpi.examples.pvresourcemanager.observations.v1.proto.ObservationsV1Proto.RoleType;
import org.defpi.sdk.Connection;
import org.defpi.sdk.DefPiParameters;
import org.defpi.sdk.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated PV roof: each step it measures its production (clear sky times passing clouds, a
 * function of the simulated time and the seed), every simulated hour it forecasts the next 24 h
 * (clear sky), and it greets each new connection with its details and the current forecast.
 */
public class PVResourceManagerService implements Service<PVResourceManagerConfiguration> {
  private static final Logger LOG = LoggerFactory.getLogger(PVResourceManagerService.class);

  /** The clock and the roof, swapped as a whole on reconfiguration. */
  record Setup(SimulationClock clock, PvSystem pv) implements ObservationSchedule.Clocked {}

  private final ObservationSchedule<Setup> schedule;
  private volatile String processId = "pv";

  public PVResourceManagerService() {
    this(Clock.systemUTC());
  }

  PVResourceManagerService(Clock wall) {
    schedule = new ObservationSchedule<>(wall, this::details,
        (s, t) -> measurement(t, 0 - s.pv().productionWatts(t)), // production is negative; 0 - keeps night at +0
        (s, hour) -> forecast(s.pv(), hour));
  }

  @Override
  public void init(PVResourceManagerConfiguration config, DefPiParameters parameters) {
    processId = parameters.processId();
    schedule.configure(firstConfigured -> setup(config, firstConfigured));
    schedule.startSteps("pv-steps");
    LOG.info("PV roof {} started: {}", processId, schedule.current());
  }

  @Override
  public void modify(PVResourceManagerConfiguration config) {
    schedule.configure(firstConfigured -> setup(config, firstConfigured));
    LOG.info("PV roof reconfigured: {}", schedule.current());
  }

  @Override
  public void terminate() {
    schedule.close();
  }

  /** The clock and roof in force. */
  Setup current() {
    return schedule.current();
  }

  Setup setup(PVResourceManagerConfiguration c, Instant firstConfigured) {
    return new Setup(
        SimulationClock.of(c.getSimulationStart(), c.getWallClockStart().orElse(""), c.getSpeed(), c.getStepSeconds(),
            firstConfigured),
        new PvSystem(c.getPeakWatts(), c.getLatitude(), c.getLongitude(), c.getSeed()));
  }

  public void connected(Connection connection) {
    schedule.connected(connection);
  }

  public void disconnected(Connection connection) {
    schedule.disconnected(connection);
  }

  ResourceManagerDetails details(Setup s) {
    return ResourceManagerDetails.newBuilder().setResourceId(processId)
        .setName(String.format("PV roof (%.1f kWp)", s.pv().peakWatts() / 1000))
        .addRoles(RoleType.ENERGY_PRODUCER).setNominalPowerWatts(s.pv().peakWatts()).build();
  }

  static PowerMeasurement measurement(long t, double watts) {
    return PowerMeasurement.newBuilder().setMeasurementTimestamp(t).addValues(PowerValue.newBuilder()
        .setCommodityQuantity(CommodityQuantity.ELECTRIC_POWER_3_PHASE_SYMMETRIC).setWatts(watts)).build();
  }

  static PowerForecast forecast(PvSystem pv, long start) {
    Forecast forecast = Defaults.pvForecast(pv, start);
    PowerForecast.Builder message = PowerForecast.newBuilder().setStartTime(forecast.startMillis());
    for (Forecast.Element e : forecast.elements()) {
      message.addElements(PowerForecastElement.newBuilder().setDurationMillis(e.durationMillis())
          .addValues(PowerForecastValue.newBuilder()
              .setCommodityQuantity(CommodityQuantity.ELECTRIC_POWER_3_PHASE_SYMMETRIC).setExpectedWatts(e.watts())));
    }
    return message.build();
  }
}
