package org.defpi.examples.energydashboard.history;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** The points of a series as they appear in JSON: each one a short array, not an object. */
public final class Points {
  private Points() {}

  /** Power at a simulated moment: {@code [simulatedMillis, watts]}. */
  @JsonFormat(shape = JsonFormat.Shape.ARRAY)
  @JsonPropertyOrder({"t", "watts"})
  public record Power(long t, double watts) {}

  /** A storage's fill: {@code [simulatedMillis, fillLevel (0–1), energyWattHours]}. */
  @JsonFormat(shape = JsonFormat.Shape.ARRAY)
  @JsonPropertyOrder({"t", "fillLevel", "energyWattHours"})
  public record Fill(long t, double fillLevel, double energyWattHours) {}

  /** One span of a forecast: {@code [startMillis, durationMillis, expectedWatts]}. */
  @JsonFormat(shape = JsonFormat.Shape.ARRAY)
  @JsonPropertyOrder({"start", "durationMillis", "expectedWatts"})
  public record ForecastStep(long start, long durationMillis, double expectedWatts) {}

  /** The latest forecast a resource sent. */
  public record Forecast(long startTime, List<ForecastStep> steps) {
    public Forecast {
      steps = List.copyOf(steps);
    }
  }
}
