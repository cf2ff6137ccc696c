package org.defpi.examples.energydashboard.history;

import java.util.List;
import java.util.OptionalDouble;

/**
 * The one power figure a measurement stands for. A value for the symmetric 3-phase quantity is
 * the total already; per-phase values (L1, L2, L3) add up to it. A sender that sends both means
 * the same power twice, so the symmetric values win rather than being added to the phases.
 */
public final class PowerTotal {
  private PowerTotal() {}

  /** A measured (or forecast) value: whether it is the symmetric 3-phase quantity, and its watts. */
  public record Value(boolean symmetric, double watts) {}

  /** The total power, empty when there is no finite value to add. */
  public static OptionalDouble of(List<Value> values) {
    boolean anySymmetric = values.stream().anyMatch(v -> v.symmetric() && Double.isFinite(v.watts()));
    double sum = 0;
    boolean any = false;
    for (Value v : values) {
      if (v.symmetric() == anySymmetric && Double.isFinite(v.watts())) {
        sum += v.watts();
        any = true;
      }
    }
    return any ? OptionalDouble.of(sum) : OptionalDouble.empty();
  }
}
