package org.defpi.examples.energy;

import java.util.List;
import java.util.Objects;

/**
 * The energy manager's decision, a pure function: given what the house draws without the
 * battery, the forecasts, the battery and the grid limits, how hard to charge or discharge the
 * battery for the next step. In order of priority:
 *
 * <ol>
 *   <li>keep the grid within [-exportLimit, +importLimit] (as far as the battery can);
 *   <li>keep the battery within the energy band the forecasts need: room for the forecast export
 *       excess ahead, energy for the forecast import excess ahead ({@link #reserveBand});
 *   <li>otherwise self-consumption: charge from surplus, discharge to cover consumption.
 * </ol>
 */
public final class EnergyManagerPolicy {
  /** How far ahead the forecasts are used. */
  public static final long HORIZON_MILLIS = 24 * 3_600_000L;
  /**
   * The band keeps this much more than the forecasts' excess: noise and the forecasts' quarter-hour
   * averages hide short excesses, which add up (an excess is never negative).
   */
  public static final double RESERVE_MARGIN = 1.15;
  /**
   * A decision runs from the next step on, when the house has moved on (the sun rises, a cloud
   * passes, an appliance switches): the grid limits are aimed at this fraction inside, so that a
   * step's drift does not carry the grid beyond them.
   */
  public static final double LIMIT_MARGIN = 0.05;
  /**
   * A forecast's change from one element to the next bigger than this is taken as a switch that
   * comes at once (the car starts charging) and met in advance; a smaller one is a ramp the
   * elements only sample (the sun rising or setting over a quarter hour), met as it comes.
   */
  public static final double SWITCH_WATTS = 1000;

  private EnergyManagerPolicy() {}

  /**
   * What the manager knows when it decides.
   *
   * @param timeMillis the simulated time the decision is for
   * @param stepMillis how long the decision holds (until the next one)
   * @param netWatts what the house draws without the battery (grid minus battery): positive imports
   * @param forecasts the resources' forecasts (PV, load): their sum is the net forecast; empty: none
   * @param battery what the battery can do
   * @param energyWattHours what it holds now
   */
  public record Situation(long timeMillis, long stepMillis, double netWatts, List<Forecast> forecasts, Battery battery,
      double energyWattHours, double importLimitWatts, double exportLimitWatts) {
    public Situation {
      forecasts = List.copyOf(forecasts);
      Objects.requireNonNull(battery, "battery");
      if (!(importLimitWatts >= 0) || !(exportLimitWatts >= 0)) {
        throw new IllegalArgumentException("the import and export limits must be zero or more watts");
      }
      if (stepMillis <= 0) {
        throw new IllegalArgumentException("stepMillis must be more than 0, is " + stepMillis);
      }
    }
  }

  /** Why the battery runs as it does, for logs and tests. */
  public enum Reason { SELF_CONSUMPTION, KEEP_ROOM_FOR_EXPORT_PEAK, KEEP_ENERGY_FOR_IMPORT_PEAK, EXPORT_LIMIT, IMPORT_LIMIT, BATTERY_LIMIT }

  /** The battery power to run at (positive charges), and why. */
  public record Decision(double batteryWatts, Reason reason) {}

  /** The energy (Wh) the battery should hold at the end of this step: {@code lowest} ≤ energy ≤ {@code highest}. */
  public record Band(double lowestWattHours, double highestWattHours) {}

  public static Decision decide(Situation s) {
    Battery battery = s.battery();
    // What the house will draw while the decision holds: as measured, moved by what the forecasts
    // expect to change from the last step to this one (the car that starts charging at 18:00).
    double net = s.netWatts() + expectedChange(s);
    double watts = -net;
    Reason reason = Reason.SELF_CONSUMPTION;

    // A band as wide as the fill range reserves nothing: the battery's own limits apply below.
    Band band = reserveBand(s);
    double keepRoom = battery.wattsFor(band.highestWattHours() - s.energyWattHours(), s.stepMillis());
    if (band.highestWattHours() < battery.maxEnergyWattHours() && watts > keepRoom) {
      watts = keepRoom;
      reason = Reason.KEEP_ROOM_FOR_EXPORT_PEAK;
    }
    double keepEnergy = battery.wattsFor(band.lowestWattHours() - s.energyWattHours(), s.stepMillis());
    if (band.lowestWattHours() > battery.minEnergyWattHours() && watts < keepEnergy) {
      watts = keepEnergy;
      reason = Reason.KEEP_ENERGY_FOR_IMPORT_PEAK;
    }

    // below it the grid exports too much, above it it imports too much
    double lowestForGrid = -s.exportLimitWatts() * (1 - LIMIT_MARGIN) - net;
    double highestForGrid = s.importLimitWatts() * (1 - LIMIT_MARGIN) - net;
    if (watts < lowestForGrid) {
      watts = lowestForGrid;
      reason = Reason.EXPORT_LIMIT;
    } else if (watts > highestForGrid) {
      watts = highestForGrid;
      reason = Reason.IMPORT_LIMIT;
    }

    Battery.PowerRange range = battery.powerRange(s.energyWattHours(), s.stepMillis());
    double clamped = range.clamp(watts);
    if (clamped != watts) {
      reason = Reason.BATTERY_LIMIT;
    }
    return new Decision(clamped, reason);
  }

  /**
   * How much the forecasts expect the house's power to jump from the step measured (the one before
   * {@code timeMillis}) to the step decided for: their changes of more than {@link #SWITCH_WATTS};
   * 0 where a forecast does not cover both.
   */
  static double expectedChange(Situation s) {
    double change = 0;
    for (Forecast forecast : s.forecasts()) {
      var now = forecast.wattsAt(s.timeMillis());
      var before = forecast.wattsAt(s.timeMillis() - s.stepMillis());
      if (now.isPresent() && before.isPresent() && Math.abs(now.getAsDouble() - before.getAsDouble()) > SWITCH_WATTS) {
        change += now.getAsDouble() - before.getAsDouble();
      }
    }
    return change;
  }

  /**
   * The energy band for the end of this step that the forecasts call for: worked backwards from
   * the horizon in quarter hours, the most the battery may hold so that it can still take every
   * forecast export excess, and the least it must hold to cover every forecast import excess,
   * assuming that in between it only charges from surplus and discharges to cover consumption.
   * Without forecasts the band is the battery's whole fill range.
   */
  public static Band reserveBand(Situation s) {
    Battery battery = s.battery();
    double highest = battery.maxEnergyWattHours();
    double lowest = battery.minEnergyWattHours();
    if (s.forecasts().isEmpty()) {
      return new Band(lowest, highest);
    }
    long from = s.timeMillis() + s.stepMillis();
    long until = s.timeMillis() + HORIZON_MILLIS;
    for (Forecast forecast : s.forecasts()) {
      until = Math.min(until, forecast.endMillis());
    }
    // Segments end on whole quarter hours (the first one is what is left of the current quarter),
    // so the band moves smoothly with time instead of in quarter-hour jumps.
    long quarter = Forecast.QUARTER_HOUR;
    for (long end = until; end > from; ) {
      long start = Math.max(from, (end - 1) / quarter * quarter);
      long slot = end - start;
      double net = 0;
      for (Forecast forecast : s.forecasts()) {
        net += forecast.wattsAt(start + slot / 2).orElse(0);
      }
      double leastCharge; // the lowest power the battery would run at in this slot
      double mostCharge;  // the highest
      if (-net > s.exportLimitWatts()) {
        leastCharge = Math.min(battery.maxChargeWatts(), (-net - s.exportLimitWatts()) * RESERVE_MARGIN);
      } else {
        leastCharge = Math.max(-battery.maxDischargeWatts(), Math.min(0, -net));
      }
      if (net > s.importLimitWatts()) {
        mostCharge = Math.max(-battery.maxDischargeWatts(), (s.importLimitWatts() - net) * RESERVE_MARGIN);
      } else {
        mostCharge = Math.min(battery.maxChargeWatts(), Math.max(0, -net));
      }
      highest = Math.clamp(highest - battery.energyChange(leastCharge, slot),
          battery.minEnergyWattHours(), battery.maxEnergyWattHours());
      lowest = Math.clamp(lowest - battery.energyChange(mostCharge, slot),
          battery.minEnergyWattHours(), battery.maxEnergyWattHours());
      end = start;
    }
    return new Band(lowest, highest);
  }
}
