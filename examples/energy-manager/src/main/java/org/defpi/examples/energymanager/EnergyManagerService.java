package org.defpi.examples.energymanager;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.defpi.examples.energy.Battery;
import org.defpi.examples.energy.EnergyManagerPolicy;
import org.defpi.examples.energy.EnergyManagerPolicy.Decision;
import org.defpi.examples.energy.Forecast;
import org.defpi.examples.energy.OperationModes;
import org.defpi.examples.energymanager.frbccontrol.v1.xml.FRBCInstruction;
import org.defpi.sdk.Connection;
import org.defpi.sdk.DefPiParameters;
import org.defpi.sdk.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customer energy manager: watches the grid meter, the PV roof and the household
 * (Observations), and steers one battery (FRBC Control). For every step the grid meter reports,
 * once the battery's status of that step is in too, it decides with {@link EnergyManagerPolicy}
 * and instructs the battery for the next step.
 */
public class EnergyManagerService implements Service<EnergyManagerConfiguration> {
  private static final Logger LOG = LoggerFactory.getLogger(EnergyManagerService.class);
  private static final long DEFAULT_STEP_MILLIS = 60_000L;
  private static final long HOUR = 3_600_000L;
  private static final int KEPT = 32;

  /** What the roles of S2 mean here. */
  public enum Role { GRID, FORECASTER, STORAGE }

  record Limits(double importWatts, double exportWatts, boolean useForecasts) {}

  /** The battery as its system description tells. */
  record Described(Battery battery, List<OperationModes.Mode> modes) {}

  private volatile Limits limits;

  // Guarded by this.
  private final Map<String, Role> roles = new HashMap<>();
  private final Map<String, Forecast> forecasts = new HashMap<>();
  private final TreeMap<Long, Double> gridWatts = new TreeMap<>();
  private final TreeMap<Long, Double> batteryWatts = new TreeMap<>();
  private final TreeMap<Long, Double> fillLevels = new TreeMap<>();
  private Connection battery;
  private Described described;
  private long lastDecided = Long.MIN_VALUE;
  private long instructions;
  private EnergyManagerPolicy.Reason lastReason;

  @Override
  public void init(EnergyManagerConfiguration config, DefPiParameters parameters) {
    modify(config);
  }

  @Override
  public void modify(EnergyManagerConfiguration config) {
    if (!(config.getImportLimitWatts() >= 0) || !(config.getExportLimitWatts() >= 0)) {
      throw new IllegalArgumentException("importLimitWatts and exportLimitWatts must be zero or more watts");
    }
    limits = new Limits(config.getImportLimitWatts(), config.getExportLimitWatts(), config.getUseForecasts());
    LOG.info("energy manager: {}", limits);
  }

  public synchronized void details(Connection from, Role role) {
    roles.put(from.connectionId(), role);
  }

  public synchronized void forecast(Connection from, Forecast forecast) {
    if (roles.get(from.connectionId()) == Role.FORECASTER) {
      forecasts.put(from.connectionId(), forecast);
    }
  }

  public synchronized void measured(Connection from, long time, double watts) {
    if (roles.get(from.connectionId()) == Role.GRID) {
      keep(gridWatts, time, watts);
      decide(time);
    }
  }

  public synchronized void observerGone(Connection from) {
    roles.remove(from.connectionId());
    forecasts.remove(from.connectionId());
  }

  public synchronized void batteryConnected(Connection connection) {
    if (battery == null) {
      battery = connection;
      LOG.info("steering battery {}", connection.remoteProcessId());
    } else {
      LOG.warn("already steering battery {}: battery {} is left idle", battery.remoteProcessId(),
          connection.remoteProcessId());
    }
  }

  public synchronized void batteryGone(Connection connection) {
    if (connection.equals(battery)) {
      battery = null;
      described = null;
      batteryWatts.clear();
      fillLevels.clear();
    }
  }

  public synchronized void described(Connection from, double capacityWattHours, double minFillLevel,
      double maxFillLevel, List<OperationModes.Mode> modes) {
    if (from.equals(battery)) {
      described = new Described(OperationModes.battery(capacityWattHours, minFillLevel, maxFillLevel, modes), modes);
    }
  }

  public synchronized void storageStatus(Connection from, long time, double fillLevel) {
    if (from.equals(battery)) {
      keep(fillLevels, time, fillLevel);
    }
  }

  public synchronized void actuatorStatus(Connection from, long time, double watts) {
    if (from.equals(battery)) {
      keep(batteryWatts, time, watts);
      decide(time);
    }
  }

  /** Decides for the step after {@code time} once the grid's and the battery's reports of {@code time} are in. */
  private void decide(long time) {
    Double grid = gridWatts.get(time);
    Double ownWatts = batteryWatts.get(time);
    Double fill = fillLevels.get(time);
    if (battery == null || described == null || grid == null || ownWatts == null || fill == null || time <= lastDecided) {
      return;
    }
    lastDecided = time;
    long step = stepMillis();
    Battery b = described.battery();
    // The instruction runs from the next step: decide with the energy the battery will have then.
    double energyNext = b.step(fill * b.capacityWattHours(), ownWatts, step).energyWattHours();
    Limits l = limits;
    Decision decision = EnergyManagerPolicy.decide(new EnergyManagerPolicy.Situation(time + step, step, grid - ownWatts,
        l.useForecasts() ? List.copyOf(forecasts.values()) : List.of(), b, energyNext, l.importWatts(),
        l.exportWatts()));
    OperationModes.Choice choice = OperationModes.choose(described.modes(), decision.batteryWatts());
    FRBCInstruction instruction = new FRBCInstruction();
    instruction.setId("instruction-" + ++instructions);
    instruction.setExecutionTime(time + step);
    instruction.setOperationModeId(choice.modeId());
    instruction.setOperationModeFactor(choice.factor());
    battery.send(instruction);
    if (decision.reason() != lastReason) {
      LOG.info("{}: battery {} W ({}), grid {} W", java.time.Instant.ofEpochMilli(time + step),
          Math.round(decision.batteryWatts()), decision.reason(), Math.round(grid - ownWatts + decision.batteryWatts()));
      lastReason = decision.reason();
    }
  }

  /**
   * The step: the shortest gap between the grid's recent measurements (a step the grid meter
   * skipped must not make the next instruction start a step late).
   */
  private long stepMillis() {
    long step = Long.MAX_VALUE;
    Long previous = null;
    for (long time : gridWatts.keySet()) {
      if (previous != null) {
        step = Math.min(step, time - previous);
      }
      previous = time;
    }
    return step > 0 && step <= HOUR ? step : DEFAULT_STEP_MILLIS;
  }

  /** How many instructions were sent so far. */
  public synchronized long instructionsSent() {
    return instructions;
  }

  /** The battery being steered, as its system description tells; empty before one described itself. */
  public synchronized java.util.Optional<Battery> steeredBattery() {
    return java.util.Optional.ofNullable(described).map(Described::battery);
  }

  private static void keep(TreeMap<Long, Double> values, long time, double value) {
    values.tailMap(time, false).clear(); // a clock that went back voids what came after
    values.put(time, value);
    while (values.size() > KEPT) {
      values.pollFirstEntry();
    }
  }
}
