package org.defpi.examples.energy;

/**
 * A home battery: how much it holds, how fast it charges and discharges, and what it loses.
 * Power is positive when charging (consumption, as in S2), negative when discharging. Charging
 * {@code p} watts for {@code h} hours stores {@code p × h × chargeEfficiency} Wh; discharging
 * {@code p} watts takes {@code p × h / dischargeEfficiency} Wh out.
 */
public record Battery(double capacityWattHours, double maxChargeWatts, double maxDischargeWatts,
    double chargeEfficiency, double dischargeEfficiency, double minFillLevel, double maxFillLevel) {
  public Battery {
    if (!(capacityWattHours > 0)) {
      throw new IllegalArgumentException("capacity must be more than 0 Wh, is " + capacityWattHours);
    }
    if (!(maxChargeWatts >= 0) || !(maxDischargeWatts >= 0)) {
      throw new IllegalArgumentException("the charge and discharge powers must be zero or more watts");
    }
    if (!(chargeEfficiency > 0 && chargeEfficiency <= 1) || !(dischargeEfficiency > 0 && dischargeEfficiency <= 1)) {
      throw new IllegalArgumentException("efficiencies must be more than 0 and at most 1");
    }
    if (!(minFillLevel >= 0 && minFillLevel <= maxFillLevel && maxFillLevel <= 1)) {
      throw new IllegalArgumentException("fill levels must satisfy 0 ≤ min (" + minFillLevel + ") ≤ max ("
          + maxFillLevel + ") ≤ 1");
    }
  }

  public double minEnergyWattHours() {
    return minFillLevel * capacityWattHours;
  }

  public double maxEnergyWattHours() {
    return maxFillLevel * capacityWattHours;
  }

  /** The change of stored energy (Wh) from running at {@code watts} for {@code millis}. */
  public double energyChange(double watts, long millis) {
    double hours = millis / 3_600_000.0;
    return watts >= 0 ? watts * hours * chargeEfficiency : watts * hours / dischargeEfficiency;
  }

  /** The power that changes the stored energy by {@code wattHours} in {@code millis}: the inverse of {@link #energyChange}. */
  public double wattsFor(double wattHours, long millis) {
    double hours = millis / 3_600_000.0;
    return wattHours >= 0 ? wattHours / hours / chargeEfficiency : wattHours / hours * dischargeEfficiency;
  }

  /** The lowest and highest power it can run at for {@code millis} from {@code energyWattHours}, within its fill and power limits. */
  public PowerRange powerRange(double energyWattHours, long millis) {
    double lowest = Math.max(-maxDischargeWatts, Math.min(0, wattsFor(minEnergyWattHours() - energyWattHours, millis)));
    double highest = Math.min(maxChargeWatts, Math.max(0, wattsFor(maxEnergyWattHours() - energyWattHours, millis)));
    return new PowerRange(lowest, highest);
  }

  /** From {@code lowestWatts} (the most it can discharge, ≤ 0) to {@code highestWatts} (the most it can charge, ≥ 0). */
  public record PowerRange(double lowestWatts, double highestWatts) {
    public double clamp(double watts) {
      return Math.clamp(watts, lowestWatts, highestWatts);
    }
  }

  /** Runs at {@code requestedWatts}, clamped to what it can do, for {@code millis}. */
  public Step step(double energyWattHours, double requestedWatts, long millis) {
    double watts = powerRange(energyWattHours, millis).clamp(requestedWatts);
    double energy = Math.clamp(energyWattHours + energyChange(watts, millis), minEnergyWattHours(), maxEnergyWattHours());
    // A battery outside its limits (e.g. limits narrowed under it) is not pushed further out, only held.
    if (energyWattHours < minEnergyWattHours() || energyWattHours > maxEnergyWattHours()) {
      energy = energyWattHours + energyChange(watts, millis);
    }
    return new Step(watts, energy);
  }

  /** What a step did: the power it ran at and the energy stored at its end. */
  public record Step(double watts, double energyWattHours) {}
}
