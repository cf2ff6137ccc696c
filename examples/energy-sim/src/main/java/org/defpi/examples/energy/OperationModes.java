package org.defpi.examples.energy;

import java.util.List;
import java.util.Optional;

/**
 * A battery's FRBC operation modes (charge, discharge, idle) and the translations both ends of
 * the FRBC interface need: a power to a mode and factor (the energy manager), a mode and factor
 * to a power (the battery), the modes to a {@link Battery} (the energy manager, from the system
 * description). A mode runs from {@code minWatts} at factor 0 to {@code maxWatts} at factor 1.
 */
public final class OperationModes {
  public static final String CHARGE = "charge";
  public static final String DISCHARGE = "discharge";
  public static final String IDLE = "idle";

  public record Mode(String id, String label, double minWatts, double maxWatts, double efficiency) {}

  /** A mode to run at a factor. */
  public record Choice(String modeId, double factor) {}

  private OperationModes() {}

  /** The battery's three modes: charge 0..max charge, discharge −max discharge..0, idle 0. */
  public static List<Mode> of(Battery battery) {
    return List.of(
        new Mode(CHARGE, "Charge", 0, battery.maxChargeWatts(), battery.chargeEfficiency()),
        new Mode(DISCHARGE, "Discharge", -battery.maxDischargeWatts(), 0, battery.dischargeEfficiency()),
        new Mode(IDLE, "Idle", 0, 0, 1));
  }

  /** The mode and factor that run at {@code watts}: charge above 0, discharge below, idle at 0. */
  public static Choice choose(List<Mode> modes, double watts) {
    String id = watts > 0 ? CHARGE : watts < 0 ? DISCHARGE : IDLE;
    Mode mode = find(modes, id).orElseThrow(() -> new IllegalArgumentException("the battery has no " + id + " mode"));
    double span = mode.maxWatts() - mode.minWatts();
    double factor = span == 0 ? 0 : Math.clamp((watts - mode.minWatts()) / span, 0, 1);
    return new Choice(id, factor);
  }

  /** The power of {@code modeId} at {@code factor} (clamped to 0..1); an unknown mode idles. */
  public static double watts(List<Mode> modes, String modeId, double factor) {
    return find(modes, modeId)
        .map(m -> m.minWatts() + Math.clamp(factor, 0, 1) * (m.maxWatts() - m.minWatts()))
        .orElse(0.0);
  }

  /** The battery a system description describes. */
  public static Battery battery(double capacityWattHours, double minFillLevel, double maxFillLevel, List<Mode> modes) {
    Mode charge = find(modes, CHARGE).orElse(new Mode(CHARGE, "", 0, 0, 1));
    Mode discharge = find(modes, DISCHARGE).orElse(new Mode(DISCHARGE, "", 0, 0, 1));
    return new Battery(capacityWattHours, charge.maxWatts(), -discharge.minWatts(), charge.efficiency(),
        discharge.efficiency(), minFillLevel, maxFillLevel);
  }

  private static Optional<Mode> find(List<Mode> modes, String id) {
    return modes.stream().filter(m -> m.id().equals(id)).findFirst();
  }
}
