package org.defpi.examples.energy;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole energy system in one loop, step by step, without any network: PV and household as
 * the services simulate them, the battery following the energy manager (or idle without one),
 * the grid the sum. The energy manager sees each step's net power as measured and the forecasts
 * the resources publish every hour (24 h of quarter hours, without clouds and noise), and, as in
 * the services, what it decides on a step's measurement runs from the next step on: the house
 * moves on meanwhile, which is what {@link EnergyManagerPolicy#LIMIT_MARGIN} is for.
 */
public final class DaySimulation {
  private static final long HOUR = 3_600_000L;

  /** Who steers the battery. */
  public enum Control {
    /** No energy manager: the battery idles at 0 W. */
    NONE,
    /** The energy manager without forecasts: limits, then self-consumption. */
    WITHOUT_FORECASTS,
    /** The energy manager with the PV and load forecasts. */
    ENERGY_MANAGER
  }

  /** A demo's setting; {@link #defaults()} is the default day the services simulate. */
  public record Scenario(long startMillis, long durationMillis, int stepSeconds, PvSystem pv, HouseholdLoad load,
      Battery battery, double initialFillLevel, double importLimitWatts, double exportLimitWatts) {
    public static Scenario defaults() {
      return new Scenario(java.time.Instant.parse(Defaults.SIMULATION_START).toEpochMilli(), 24 * HOUR,
          Defaults.STEP_SECONDS, Defaults.pv(Defaults.SEED), Defaults.load(Defaults.SEED), Defaults.battery(),
          Defaults.INITIAL_FILL_LEVEL, Defaults.IMPORT_LIMIT_WATTS, Defaults.EXPORT_LIMIT_WATTS);
    }

    public Scenario withSeed(long seed) {
      return new Scenario(startMillis, durationMillis, stepSeconds,
          new PvSystem(pv.peakWatts(), pv.latitudeDegrees(), pv.longitudeDegrees(), pv.tiltDegrees(), seed),
          new HouseholdLoad(load.baseWatts(), load.evWatts(), load.evStartHour(), load.evHours(), seed),
          battery, initialFillLevel, importLimitWatts, exportLimitWatts);
    }
  }

  /**
   * One step: the powers during it and the battery's fill level at its start.
   *
   * @param batteryRange what the battery could have run at in this step
   */
  public record Step(long timeMillis, double pvWatts, double loadWatts, double batteryWatts, double gridWatts,
      double fillLevel, Battery.PowerRange batteryRange, EnergyManagerPolicy.Reason reason) {}

  /** The steps of a run and its peaks. */
  public record Result(List<Step> steps) {
    public double peakImportWatts() {
      return steps.stream().mapToDouble(Step::gridWatts).max().orElse(0);
    }

    public double peakExportWatts() {
      return -steps.stream().mapToDouble(Step::gridWatts).min().orElse(0);
    }

    public double minFillLevel() {
      return steps.stream().mapToDouble(Step::fillLevel).min().orElse(0);
    }

    public double maxFillLevel() {
      return steps.stream().mapToDouble(Step::fillLevel).max().orElse(0);
    }

    /** Energy taken from the grid, kWh. */
    public double importedKilowattHours(int stepSeconds) {
      return steps.stream().mapToDouble(s -> Math.max(0, s.gridWatts())).sum() * stepSeconds / 3_600_000.0;
    }

    /** Energy fed into the grid, kWh. */
    public double exportedKilowattHours(int stepSeconds) {
      return steps.stream().mapToDouble(s -> Math.max(0, -s.gridWatts())).sum() * stepSeconds / 3_600_000.0;
    }
  }

  private DaySimulation() {}

  public static Result run(Scenario scenario, Control control) {
    long step = scenario.stepSeconds() * 1000L;
    Battery battery = scenario.battery();
    double energy = scenario.initialFillLevel() * battery.capacityWattHours();
    List<Step> steps = new ArrayList<>();
    List<Forecast> forecasts = List.of();
    long forecastHour = Long.MIN_VALUE;
    EnergyManagerPolicy.Decision decided = new EnergyManagerPolicy.Decision(0, EnergyManagerPolicy.Reason.SELF_CONSUMPTION);
    for (long t = scenario.startMillis(); t < scenario.startMillis() + scenario.durationMillis(); t += step) {
      double pv = 0 - scenario.pv().productionWatts(t);
      double load = scenario.load().watts(t);
      double net = pv + load;
      Battery.PowerRange range = battery.powerRange(energy, step);
      Battery.Step ran = battery.step(energy, decided.batteryWatts(), step);
      steps.add(new Step(t, pv, load, ran.watts(), net + ran.watts(), energy / battery.capacityWattHours(), range,
          decided.reason()));
      energy = ran.energyWattHours();
      // The manager measures this step and decides for the next one.
      long hour = Math.floorDiv(t, HOUR) * HOUR;
      if (control == Control.ENERGY_MANAGER && hour != forecastHour) {
        forecasts = forecasts(scenario, hour);
        forecastHour = hour;
      }
      decided = control == Control.NONE
          ? new EnergyManagerPolicy.Decision(0, EnergyManagerPolicy.Reason.SELF_CONSUMPTION)
          : EnergyManagerPolicy.decide(new EnergyManagerPolicy.Situation(t + step, step, net, forecasts, battery,
              energy, scenario.importLimitWatts(), scenario.exportLimitWatts()));
    }
    return new Result(steps);
  }

  /** The forecasts the PV and household services publish at {@code hour}. */
  public static List<Forecast> forecasts(Scenario scenario, long hour) {
    return List.of(
        Defaults.pvForecast(scenario.pv(), hour),
        Defaults.loadForecast(scenario.load(), hour));
  }
}
