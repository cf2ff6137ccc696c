package org.defpi.examples.energy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GridSumTest {
  private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");
  private static final Duration DEADLINE = Duration.ofMillis(40);
  private final GridSum sum = connected(new GridSum(), "pv", "load");

  private static GridSum connected(GridSum sum, String... resources) {
    for (String resource : resources) {
      sum.connect(resource);
    }
    return sum;
  }

  @Test
  void aStepIsEmittedWhenEveryResourceReportedIt() {
    assertThat(sum.report("pv", 0, -3000, T)).isEmpty();
    assertThat(sum.report("load", 0, 500, T)).containsExactly(new GridSum.Emission(0, -2500));
    assertThat(sum.report("pv", 60, -3100, T)).isEmpty(); // load has not reported 60
    assertThat(sum.report("load", 60, 700, T)).containsExactly(new GridSum.Emission(60, -2400));
  }

  @Test
  void theOrderOfArrivalDoesNotMatter() {
    connected(sum, "battery");
    GridSum other = connected(new GridSum(), "battery", "load", "pv");
    sum.report("battery", 60, 300, T);
    sum.report("pv", 60, -3000, T);
    assertThat(sum.report("load", 60, 500, T)).containsExactly(new GridSum.Emission(60, -2200));
    other.report("load", 60, 500, T);
    other.report("pv", 60, -3000, T);
    assertThat(other.report("battery", 60, 300, T)).containsExactly(new GridSum.Emission(60, -2200));
  }

  @Test
  void aLaggingResourceCountsWithItsLatestValueAfterTheDeadline() {
    sum.report("pv", 0, -3000, T);
    sum.report("load", 0, 500, T);
    assertThat(sum.report("pv", 60, -3100, T)).isEmpty();
    assertThat(sum.overdue(T.plusMillis(39), DEADLINE)).isEmpty();
    assertThat(sum.overdue(T.plusMillis(40), DEADLINE)).containsExactly(new GridSum.Emission(60, -2600));
    assertThat(sum.overdue(T.plusMillis(80), DEADLINE)).isEmpty(); // once only
    assertThat(sum.report("load", 60, 600, T.plusMillis(90))).isEmpty(); // too late for step 60
  }

  @Test
  void aRemovedResourceNoLongerHoldsUpSteps() {
    sum.report("pv", 0, -3000, T);
    sum.report("load", 0, 500, T);
    sum.report("pv", 60, -3100, T);
    sum.remove("load");
    assertThat(sum.report("pv", 120, -3200, T)).containsExactly(new GridSum.Emission(60, -3100), new GridSum.Emission(120, -3200));
  }

  @Test
  void aConnectedResourceThatNeverReportsHoldsStepsUntilTheDeadline() {
    connected(sum, "battery");
    sum.report("pv", 0, -3000, T);
    assertThat(sum.report("load", 0, 500, T)).isEmpty();
    assertThat(sum.overdue(T.plusMillis(40), DEADLINE)).containsExactly(new GridSum.Emission(0, -2500));
  }

  @Test
  void aBurstOfReportsEmitsEveryStepItCompletes() {
    sum.report("pv", 0, -3000, T);
    sum.report("pv", 60, -3100, T);
    assertThat(sum.report("load", 0, 500, T)).containsExactly(new GridSum.Emission(0, -2500));
    assertThat(sum.report("load", 60, 600, T)).containsExactly(new GridSum.Emission(60, -2500));
    sum.report("pv", 120, -3200, T);
    sum.report("pv", 180, -3300, T);
    assertThat(sum.report("load", 180, 700, T)).as("load skipped 120: its value of 60 still counts there")
        .containsExactly(new GridSum.Emission(120, -2600), new GridSum.Emission(180, -2600));
  }

  @Test
  void startsOverWhenEveryClockWentBack() {
    sum.report("pv", 6000, -3000, T);
    sum.report("load", 6000, 500, T);
    assertThat(sum.report("pv", 60, -100, T)).isEmpty(); // load is still at 6000
    assertThat(sum.report("load", 60, 200, T)).containsExactly(new GridSum.Emission(60, 100));
  }
}
