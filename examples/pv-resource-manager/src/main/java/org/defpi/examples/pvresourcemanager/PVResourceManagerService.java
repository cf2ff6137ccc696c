package org.defpi.examples.pvresourcemanager;

import java.time.Clock;
import java.time.Instant;
import org.defpi.examples.energy.Defaults;
import org.defpi.examples.energy.Forecast;
import org.defpi.examples.energy.PvSystem;
import org.defpi.examples.energy.SimulationClock;
import org.defpi.examples.energy.StepTicker;
import org.defpi.examples.energy.Subscribers;
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
  private static final long HOUR = 3_600_000L;

  /** The clock and the roof, swapped as a whole on reconfiguration. */
  record Setup(SimulationClock clock, PvSystem pv) {}

  private final Subscribers observers = new Subscribers();
  private final Clock wall;
  private volatile Setup setup;
  private volatile String processId = "pv";
  private Instant firstConfigured;
  private StepTicker ticker;

  public PVResourceManagerService() {
    this(Clock.systemUTC());
  }

  PVResourceManagerService(Clock wall) {
    this.wall = wall;
  }

  @Override
  public void init(PVResourceManagerConfiguration config, DefPiParameters parameters) {
    processId = parameters.processId();
    firstConfigured = wall.instant();
    setup = setup(config);
    ticker = StepTicker.start("pv-steps", wall, () -> setup.clock(), this::step);
    LOG.info("PV roof {} started: {}", processId, setup);
  }

  @Override
  public void modify(PVResourceManagerConfiguration config) {
    setup = setup(config);
    LOG.info("PV roof reconfigured: {}", setup);
  }

  @Override
  public void terminate() {
    if (ticker != null) {
      ticker.close();
    }
  }

  /** The clock and roof in force. */
  Setup current() {
    return setup;
  }

  Setup setup(PVResourceManagerConfiguration c) {
    return new Setup(
        SimulationClock.of(c.getSimulationStart(), c.getWallClockStart().orElse(""), c.getSpeed(), c.getStepSeconds(),
            firstConfigured),
        new PvSystem(c.getPeakWatts(), c.getLatitude(), c.getLongitude(), c.getSeed()));
  }

  /** A new connection: details first, then the forecast from the current hour. */
  public void connected(Connection connection) {
    Setup s = setup;
    long now = s.clock().simulatedMillis(wall.instant());
    connection.send(details(s));
    connection.send(forecast(s.pv(), Math.floorDiv(now, HOUR) * HOUR));
    observers.add(connection);
  }

  public void disconnected(Connection connection) {
    observers.remove(connection);
  }

  void step(long t) {
    Setup s = setup;
    observers.send(measurement(t, 0 - s.pv().productionWatts(t))); // production is negative; 0 - keeps night at +0
    if (Math.floorMod(t, HOUR) < s.clock().stepMillis()) {
      observers.send(forecast(s.pv(), Math.floorDiv(t, HOUR) * HOUR));
    }
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
