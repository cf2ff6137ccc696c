package org.defpi.examples.gridmeter;

import java.time.Clock;
import java.time.Duration;
import org.defpi.examples.energy.GridSum;
import org.defpi.examples.energy.Subscribers;
import org.defpi.examples.gridmeter.observations.v1.proto.ObservationsV1Proto.CommodityQuantity;
import org.defpi.examples.gridmeter.observations.v1.proto.ObservationsV1Proto.PowerMeasurement;
import org.defpi.examples.gridmeter.observations.v1.proto.ObservationsV1Proto.PowerValue;
import org.defpi.examples.gridmeter.observations.v1.proto.ObservationsV1Proto.ResourceManagerDetails;
import org.defpi.examples.gridmeter.observations.v1.proto.ObservationsV1Proto.RoleType;
import org.defpi.sdk.Connection;
import org.defpi.sdk.DefPiParameters;
import org.defpi.sdk.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The grid connection: its power is the sum of the latest power of every connected resource
 * (Resource Observations), sent to its observers (Observations) once every resource has reported
 * the step, or half a step of wall time after the step was first seen (see {@link GridSum}).
 */
public class GridMeterService implements Service<GridMeterConfiguration> {
  private static final Logger LOG = LoggerFactory.getLogger(GridMeterService.class);

  private final Subscribers observers = new Subscribers();
  private final Clock wall;
  private volatile String processId = "grid";
  // Guarded by this, which also keeps the measurements sent in the order of their steps.
  private final GridSum sum = new GridSum();
  private volatile Duration deadline = Duration.ofMillis(40);
  private Thread overdueChecker;

  public GridMeterService() {
    this(Clock.systemUTC());
  }

  GridMeterService(Clock wall) {
    this.wall = wall;
  }

  @Override
  public void init(GridMeterConfiguration config, DefPiParameters parameters) {
    processId = parameters.processId();
    modify(config);
    overdueChecker = Thread.ofVirtual().name("grid-overdue").start(this::checkOverdue);
  }

  @Override
  public synchronized void modify(GridMeterConfiguration config) {
    if (!(config.getSpeed() > 0) || config.getStepSeconds() < 1) {
      throw new IllegalArgumentException("speed must be more than 0 and stepSeconds at least 1");
    }
    // Half a step of wall time: 42 ms at 60 s steps and 720×.
    deadline = Duration.ofMillis(Math.max(1, Math.round(config.getStepSeconds() * 1000 / config.getSpeed() / 2)));
    LOG.info("grid meter {}: a lagging resource is waited for {}", processId, deadline);
  }

  @Override
  public void terminate() {
    if (overdueChecker != null) {
      overdueChecker.interrupt();
    }
  }

  private void checkOverdue() {
    try {
      while (true) {
        Duration wait = deadline;
        Thread.sleep(wait.dividedBy(4).plusMillis(1));
        synchronized (this) {
          sum.overdue(wall.instant(), wait).forEach(this::send);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // terminating
    }
  }

  public synchronized void resourceConnected(Connection connection) {
    sum.connect(connection.connectionId());
  }

  public synchronized void resourceDisconnected(Connection connection) {
    sum.remove(connection.connectionId());
  }

  public synchronized void measured(Connection connection, long time, double watts) {
    sum.report(connection.connectionId(), time, watts, wall.instant()).forEach(this::send);
  }

  private void send(GridSum.Emission emission) {
    observers.send(PowerMeasurement.newBuilder().setMeasurementTimestamp(emission.time())
        .addValues(PowerValue.newBuilder().setCommodityQuantity(CommodityQuantity.ELECTRIC_POWER_3_PHASE_SYMMETRIC)
            .setWatts(emission.watts()))
        .build());
  }

  public void observerConnected(Connection connection) {
    connection.send(ResourceManagerDetails.newBuilder().setResourceId(processId).setName("Grid connection")
        .addRoles(RoleType.GRID_CONNECTION).build());
    observers.add(connection);
  }

  public void observerDisconnected(Connection connection) {
    observers.remove(connection);
  }
}
