package org.defpi.examples.batteryresourcemanager;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.defpi.examples.batteryresourcemanager.frbccontrol.v1.xml.FRBCActuatorStatus;
import org.defpi.examples.batteryresourcemanager.frbccontrol.v1.xml.FRBCInstruction;
import org.defpi.examples.batteryresourcemanager.frbccontrol.v1.xml.FRBCStorageStatus;
import org.defpi.examples.batteryresourcemanager.frbccontrol.v1.xml.FRBCSystemDescription;
import org.defpi.examples.batteryresourcemanager.frbccontrol.v1.xml.OperationMode;
import org.defpi.examples.batteryresourcemanager.observations.v1.proto.ObservationsV1Proto.CommodityQuantity;
import org.defpi.examples.batteryresourcemanager.observations.v1.proto.ObservationsV1Proto.PowerMeasurement;
import org.defpi.examples.batteryresourcemanager.observations.v1.proto.ObservationsV1Proto.PowerValue;
import org.defpi.examples.batteryresourcemanager.observations.v1.proto.ObservationsV1Proto.ResourceManagerDetails;
import org.defpi.examples.batteryresourcemanager.observations.v1.proto.ObservationsV1Proto.RoleType;
import org.defpi.examples.batteryresourcemanager.observations.v1.proto.ObservationsV1Proto.StorageStatus;
import org.defpi.examples.energy.Battery;
import org.defpi.examples.energy.OperationModes;
import org.defpi.examples.energy.SimulationClock;
import org.defpi.examples.energy.StepTicker;
import org.defpi.examples.energy.Subscribers;
import org.defpi.sdk.Connection;
import org.defpi.sdk.DefPiParameters;
import org.defpi.sdk.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated home battery. Each step it runs the last instruction of its energy manager (clamped
 * to its power and fill limits; idle without one), and reports its power and fill level to its
 * observers (Observations) and to its energy manager (FRBC Control), which it greets with its
 * system description.
 */
public class BatteryResourceManagerService implements Service<BatteryResourceManagerConfiguration> {
  private static final Logger LOG = LoggerFactory.getLogger(BatteryResourceManagerService.class);
  private static final long HOUR = 3_600_000L;

  /** The clock and the battery, swapped as a whole on reconfiguration. */
  record Setup(SimulationClock clock, Battery battery) {
    List<OperationModes.Mode> modes() {
      return OperationModes.of(battery);
    }
  }

  /** What an instruction asks: run {@code choice} from {@code executionTime} on. */
  public record Instruction(String id, long executionTime, OperationModes.Choice choice) {}

  /** What the battery did in one step: ran at {@code watts} ({@code mode}) from {@code energyWattHours}. */
  public record Report(long time, double energyWattHours, double watts, OperationModes.Choice mode) {}

  private final Subscribers observers = new Subscribers();
  private final Subscribers controllers = new Subscribers();
  private final Clock wall;
  private volatile Setup setup;
  private volatile String processId = "battery";
  private Instant firstConfigured;
  private StepTicker ticker;

  // Guarded by this: the battery's state between steps. Instructions by execution time: each is in
  // force from its execution time until the next one's, so one sent ahead does not cut the current.
  private double energyWattHours;
  private Report last;
  private final TreeMap<Long, Instruction> instructions = new TreeMap<>();

  public BatteryResourceManagerService() {
    this(Clock.systemUTC());
  }

  BatteryResourceManagerService(Clock wall) {
    this.wall = wall;
  }

  @Override
  public void init(BatteryResourceManagerConfiguration config, DefPiParameters parameters) {
    configure(config, parameters.processId());
    ticker = StepTicker.start("battery-steps", wall, () -> setup.clock(), this::step);
    LOG.info("battery {} started: {}", processId, setup);
  }

  /** The first configuration, without the steps running (tests call {@link #run} themselves). */
  void configure(BatteryResourceManagerConfiguration config, String processId) {
    this.processId = processId;
    firstConfigured = wall.instant();
    setup = setup(config);
    synchronized (this) {
      energyWattHours = Math.clamp(config.getInitialFillLevel(), 0, 1) * setup.battery().capacityWattHours();
    }
  }

  @Override
  public void modify(BatteryResourceManagerConfiguration config) {
    Setup before = setup;
    setup = setup(config);
    if (!before.battery().equals(setup.battery())) {
      controllers.send(systemDescription(setup, setup.clock().simulatedMillis(wall.instant())));
    }
    LOG.info("battery reconfigured: {}", setup);
  }

  @Override
  public void terminate() {
    if (ticker != null) {
      ticker.close();
    }
  }

  Setup setup(BatteryResourceManagerConfiguration c) {
    return new Setup(
        SimulationClock.of(c.getSimulationStart(), c.getWallClockStart().orElse(""), c.getSpeed(), c.getStepSeconds(),
            firstConfigured),
        new Battery(c.getCapacityWattHours(), c.getMaxChargeWatts(), c.getMaxDischargeWatts(), c.getEfficiency(),
            c.getEfficiency(), c.getMinFillLevel(), c.getMaxFillLevel()));
  }

  /** Runs step {@code t}: catches up on time passed since the last step, then runs the instruction in force. */
  Report run(long t) {
    Setup s = setup;
    Battery battery = s.battery();
    long step = s.clock().stepMillis();
    synchronized (this) {
      if (last != null && t > last.time() + step) { // steps were skipped: the last power ran on meanwhile
        energyWattHours = battery.step(energyWattHours, last.watts(), Math.min(t - last.time() - step, HOUR))
            .energyWattHours();
      }
      Map.Entry<Long, Instruction> inForce = instructions.floorEntry(t);
      Instruction in = inForce == null ? null : inForce.getValue();
      if (inForce != null) {
        instructions.headMap(inForce.getKey(), false).clear(); // superseded
      }
      double requested = in == null ? 0 : OperationModes.watts(s.modes(), in.choice().modeId(), in.choice().factor());
      Battery.Step ran = battery.step(energyWattHours, requested, step);
      last = new Report(t, energyWattHours, ran.watts(), OperationModes.choose(s.modes(), ran.watts()));
      energyWattHours = ran.energyWattHours();
      return last;
    }
  }

  void step(long t) {
    Report report = run(t);
    double capacity = setup.battery().capacityWattHours();
    observers.send(measurement(report));
    observers.send(storageStatus(report, capacity));
    controllers.send(frbcStorageStatus(report, capacity));
    controllers.send(actuatorStatus(report));
  }

  /** The energy manager's instruction: followed from its execution time until the next one. */
  public synchronized void instruct(FRBCInstruction message) {
    instructions.put(message.getExecutionTime(), new Instruction(message.getId(), message.getExecutionTime(),
        new OperationModes.Choice(message.getOperationModeId(), message.getOperationModeFactor())));
  }

  /** The energy manager is gone: idle from now on. */
  public synchronized void forgetInstructions() {
    instructions.clear();
  }

  public void observerConnected(Connection connection) {
    connection.send(ResourceManagerDetails.newBuilder().setResourceId(processId).setName("Home battery")
        .addRoles(RoleType.ENERGY_STORAGE)
        .setNominalPowerWatts(Math.max(setup.battery().maxChargeWatts(), setup.battery().maxDischargeWatts())).build());
    Report report = lastReport();
    if (report != null) {
      connection.send(storageStatus(report, setup.battery().capacityWattHours()));
    }
    observers.add(connection);
  }

  public void observerDisconnected(Connection connection) {
    observers.remove(connection);
  }

  public void controllerConnected(Connection connection) {
    connection.send(systemDescription(setup, setup.clock().simulatedMillis(wall.instant())));
    Report report = lastReport();
    if (report != null) {
      connection.send(frbcStorageStatus(report, setup.battery().capacityWattHours()));
      connection.send(actuatorStatus(report));
    }
    controllers.add(connection);
  }

  public void controllerDisconnected(Connection connection) {
    controllers.remove(connection);
    forgetInstructions();
  }

  /** The last step's report, if a step ran yet. */
  public synchronized Report lastReport() {
    return last;
  }

  /** The latest instruction received (in force, or waiting for its execution time); empty when none. */
  public synchronized Optional<Instruction> instruction() {
    return instructions.isEmpty() ? Optional.empty() : Optional.of(instructions.lastEntry().getValue());
  }

  static FRBCSystemDescription systemDescription(Setup s, long validFrom) {
    FRBCSystemDescription description = new FRBCSystemDescription();
    description.setValidFrom(validFrom);
    description.setCapacityWattHours(s.battery().capacityWattHours());
    description.setMinFillLevel(s.battery().minFillLevel());
    description.setMaxFillLevel(s.battery().maxFillLevel());
    for (OperationModes.Mode m : s.modes()) {
      OperationMode mode = new OperationMode();
      mode.setId(m.id());
      mode.setLabel(m.label());
      mode.setMinWatts(m.minWatts());
      mode.setMaxWatts(m.maxWatts());
      mode.setEfficiency(m.efficiency());
      description.getOperationMode().add(mode);
    }
    return description;
  }

  static PowerMeasurement measurement(Report r) {
    return PowerMeasurement.newBuilder().setMeasurementTimestamp(r.time()).addValues(PowerValue.newBuilder()
        .setCommodityQuantity(CommodityQuantity.ELECTRIC_POWER_3_PHASE_SYMMETRIC).setWatts(r.watts())).build();
  }

  static StorageStatus storageStatus(Report r, double capacity) {
    return StorageStatus.newBuilder().setTimestamp(r.time()).setPresentFillLevel(r.energyWattHours() / capacity)
        .setEnergyWattHours(r.energyWattHours()).setCapacityWattHours(capacity).build();
  }

  static FRBCStorageStatus frbcStorageStatus(Report r, double capacity) {
    FRBCStorageStatus status = new FRBCStorageStatus();
    status.setTimestamp(r.time());
    status.setPresentFillLevel(r.energyWattHours() / capacity);
    return status;
  }

  static FRBCActuatorStatus actuatorStatus(Report r) {
    FRBCActuatorStatus status = new FRBCActuatorStatus();
    status.setTimestamp(r.time());
    status.setActiveOperationModeId(r.mode().modeId());
    status.setOperationModeFactor(r.mode().factor());
    status.setWatts(r.watts());
    return status;
  }
}
