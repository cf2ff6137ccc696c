package org.defpi.orchestrator.layout;

import java.util.Objects;
import org.defpi.orchestrator.Ids;

/**
 * Where a viewer placed a process's box on the web canvas, in the canvas's own units: the web UI
 * decides what they mean, the orchestrator only keeps them.
 */
public record Position(String processId, double x, double y) {
  /** How far from the origin a coordinate may be: a canvas is big, not unbounded. */
  public static final double LIMIT = 1_000_000;

  public Position {
    Objects.requireNonNull(processId, "processId");
    if (!Ids.isId(processId)) {
      throw new IllegalArgumentException("a process id is 24 lower-case hex digits, not '" + processId + "'");
    }
    if (!within(x) || !within(y)) {
      throw new IllegalArgumentException("a position is within ±" + LIMIT + ", not (" + x + ", " + y + ")");
    }
  }

  /** Whether {@code coordinate} is finite and within {@link #LIMIT}. */
  public static boolean within(double coordinate) {
    return Double.isFinite(coordinate) && Math.abs(coordinate) <= LIMIT;
  }
}
