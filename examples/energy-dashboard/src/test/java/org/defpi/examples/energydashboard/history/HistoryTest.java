package org.defpi.examples.energydashboard.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class HistoryTest {
  private static final long MINUTE = 60_000;
  private static final long HOUR = 60 * MINUTE;
  /** 2026-06-21 00:00 UTC: the tests' simulated days start here. */
  private static final long DAY = Instant.parse("2026-06-21T00:00:00Z").toEpochMilli();
  private static final Limits LIMITS = new Limits(5000, 4000);

  private static SeriesView only(History history, String key) {
    return history.snapshot(LIMITS).series().stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
  }

  private static List<Long> times(SeriesView s) {
    return s.samples().stream().map(Points.Power::t).toList();
  }

  @Test
  void aSeriesIsNamedAndRoledByItsDetails() {
    History history = History.ofHours(24);
    history.attach("pv-1");
    history.describe("pv-1", "pv-1", "PV roof south", List.of(Role.ENERGY_PRODUCER), OptionalDouble.of(6000));
    history.power("pv-1", DAY, -1200);

    SeriesView pv = only(history, "pv-1");
    assertThat(pv.name()).isEqualTo("PV roof south");
    assertThat(pv.role()).isEqualTo(Role.ENERGY_PRODUCER);
    assertThat(pv.nominalPowerWatts()).isEqualTo(6000);
    assertThat(pv.live()).isTrue();
    assertThat(pv.samples()).containsExactly(new Points.Power(DAY, -1200));
    assertThat(history.clock()).contains(DAY);
  }

  @Test
  void aSenderWithoutDetailsIsUnknownAndNamedByItsKey() {
    History history = History.ofHours(24);
    history.power("p7", DAY, 10);
    assertThat(only(history, "p7").role()).isEqualTo(Role.UNKNOWN);
    assertThat(only(history, "p7").name()).isEqualTo("p7");
  }

  @Test
  void samplesStaySortedAndALaterValueForTheSameTimeReplacesTheFirst() {
    History history = History.ofHours(24);
    history.power("g", DAY + 2 * MINUTE, 2);
    history.power("g", DAY, 0);
    history.power("g", DAY + MINUTE, 1);
    history.power("g", DAY + MINUTE, 11);
    assertThat(only(history, "g").samples()).containsExactly(
        new Points.Power(DAY, 0), new Points.Power(DAY + MINUTE, 11), new Points.Power(DAY + 2 * MINUTE, 2));
  }

  @Test
  void keepsTheWindowAndTheWholeCurrentDay() {
    History history = new History(Duration.ofHours(2), 8);
    // Yesterday 20:00 to today 03:00, one sample an hour.
    for (long t = DAY - 4 * HOUR; t <= DAY + 3 * HOUR; t += HOUR) {
      history.power("g", t, 1);
    }
    // The window (2 h back from 03:00) would start at 01:00, but the day started at 00:00.
    assertThat(times(only(history, "g"))).containsExactly(DAY, DAY + HOUR, DAY + 2 * HOUR, DAY + 3 * HOUR);

    // Later in the day too, everything since midnight stays (the summary is over it).
    history.power("g", DAY + 10 * HOUR, 1);
    assertThat(times(only(history, "g"))).containsExactly(DAY, DAY + HOUR, DAY + 2 * HOUR, DAY + 3 * HOUR,
        DAY + 10 * HOUR);
  }

  @Test
  void aWindowBeyondADayReachesIntoYesterday() {
    History history = new History(Duration.ofHours(30), 8);
    history.power("g", DAY - 7 * HOUR, 1);
    history.power("g", DAY - 5 * HOUR, 1);
    history.power("g", DAY + 24 * HOUR, 1); // the clock is now midnight of the next day
    assertThat(times(only(history, "g"))).containsExactly(DAY - 5 * HOUR, DAY + 24 * HOUR);
  }

  @Test
  void theClockMovingOnPrunesEverySeriesNotOnlyTheOneWritten() {
    History history = new History(Duration.ofHours(1), 8);
    history.power("pv", DAY + 23 * HOUR, -5);
    history.power("g", DAY + 24 * HOUR + 2 * HOUR, 1); // next day, 02:00: the PV sample is out
    assertThat(only(history, "pv").samples()).isEmpty();
  }

  @Test
  void aFloodingSenderIsBoundedToTheNewestSamples() {
    History history = History.ofHours(24);
    int max = history.maxSamplesPerSeries();
    assertThat(max).isEqualTo(24 * 240);
    for (int i = 0; i < max + 500; i++) {
      history.power("flood", DAY + i * 1000L, i); // one a simulated second
    }
    List<Points.Power> kept = only(history, "flood").samples();
    assertThat(kept).hasSize(max);
    assertThat(kept.getLast().watts()).isEqualTo(max + 499);
    assertThat(kept.getFirst().watts()).isEqualTo(500);
  }

  @Test
  void aReaderGetsOnlyWhatChangedAfterItsSeq() {
    History history = History.ofHours(24);
    history.power("g", DAY, 1);
    Snapshot first = history.snapshot(LIMITS);
    assertThat(first.full()).isTrue();

    history.power("g", DAY + MINUTE, 2);
    history.power("g", DAY, 3); // a correction of an old sample comes along too
    Snapshot delta = history.since(first.epoch(), first.seq(), LIMITS);
    assertThat(delta.full()).isFalse();
    assertThat(delta.seq()).isGreaterThan(first.seq());
    assertThat(delta.series().getFirst().samples())
        .containsExactly(new Points.Power(DAY, 3), new Points.Power(DAY + MINUTE, 2));

    Snapshot nothing = history.since(delta.epoch(), delta.seq(), LIMITS);
    assertThat(nothing.series().getFirst().samples()).isEmpty();
  }

  @Test
  void aReaderOfAnotherEpochGetsEverything() {
    History history = History.ofHours(24);
    history.power("g", DAY, 1);
    Snapshot old = history.snapshot(LIMITS);
    history.restore(old.series());
    Snapshot after = history.since(old.epoch(), old.seq(), LIMITS);
    assertThat(after.full()).isTrue();
    assertThat(after.epoch()).isGreaterThan(old.epoch());
    assertThat(after.series().getFirst().samples()).hasSize(1);
  }

  @Test
  void twoHistoriesDoNotShareAnEpoch() {
    // A page that followed a dashboard before its container restarted asks with the old epoch.
    // Each starts at a random one: they collide once in 2^40.
    History before = History.ofHours(24);
    History after = History.ofHours(24);
    assertThat(after.snapshot(LIMITS).epoch()).isNotEqualTo(before.snapshot(LIMITS).epoch());
    assertThat(after.since(before.snapshot(LIMITS).epoch(), 0, LIMITS).full()).isTrue();
  }

  @Test
  void aConnectionThatGoesKeepsItsHistoryAsStale() {
    History history = History.ofHours(24);
    history.attach("b");
    history.attach("b"); // a second connection from the same resource
    history.storage("b", DAY, 0.5, 5000, 10000);
    history.detach("b");
    assertThat(only(history, "b").live()).isTrue();
    history.detach("b");
    history.detach("b"); // more detaches than attaches change nothing
    SeriesView b = only(history, "b");
    assertThat(b.live()).isFalse();
    assertThat(b.fillLevels()).containsExactly(new Points.Fill(DAY, 0.5, 5000));
    assertThat(b.capacityWattHours()).isEqualTo(10000);
  }

  @Test
  void restoredSeriesAreStaleUntilTheirSenderIsBack() {
    History before = History.ofHours(24);
    before.attach("b");
    before.describe("b", "b", "Battery", List.of(Role.ENERGY_STORAGE), OptionalDouble.empty());
    before.power("b", DAY, 300);
    before.storage("b", DAY, 0.4, 4000, 10000);
    before.forecast("b", new Points.Forecast(DAY, List.of(new Points.ForecastStep(DAY, HOUR, 250))));

    History after = History.ofHours(24);
    after.restore(before.snapshot(LIMITS).series());
    SeriesView restored = only(after, "b");
    SeriesView original = only(before, "b");
    assertThat(restored.live()).isFalse();
    assertThat(restored).usingRecursiveComparison().ignoringFields("live").isEqualTo(original);
    assertThat(after.clock()).contains(DAY);

    after.attach("b");
    assertThat(only(after, "b").live()).isTrue();
  }

  @Test
  void beyondMaxSeriesTheLongestSilentStaleOneGoes() {
    History history = new History(Duration.ofHours(24), 2);
    history.attach("live-old");
    history.power("live-old", DAY, 1);
    history.power("stale", DAY + MINUTE, 1);
    long epoch = history.snapshot(LIMITS).epoch();
    history.power("new", DAY + 2 * MINUTE, 1);
    assertThat(history.snapshot(LIMITS).series()).extracting(SeriesView::key).containsExactly("live-old", "new");
    assertThat(history.snapshot(LIMITS).epoch()).isGreaterThan(epoch);
  }

  @Test
  void aLongForecastIsCut() {
    History history = History.ofHours(24);
    List<Points.ForecastStep> steps = java.util.stream.IntStream.range(0, History.MAX_FORECAST_STEPS + 10)
        .mapToObj(i -> new Points.ForecastStep(DAY + i * MINUTE, MINUTE, i)).toList();
    history.forecast("pv", new Points.Forecast(DAY, steps));
    assertThat(only(history, "pv").forecast().steps()).hasSize(History.MAX_FORECAST_STEPS);
  }

  @Test
  void awaitChangeReturnsAtOnceWhenThereIsOneAndTimesOutWhenNot() throws InterruptedException {
    History history = History.ofHours(24);
    Snapshot s = history.snapshot(LIMITS);
    assertThat(history.awaitChange(s.epoch(), s.seq(), Duration.ofMillis(20))).isFalse();
    history.touch();
    assertThat(history.awaitChange(s.epoch(), s.seq(), Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void nonFiniteValuesAreIgnored() {
    History history = History.ofHours(24);
    history.power("g", DAY, Double.NaN);
    history.storage("b", DAY, Double.POSITIVE_INFINITY, 1, 1);
    assertThat(history.clock()).isEmpty();
  }

  @Test
  void aShorterWindowPrunesAtOnce() {
    History history = new History(Duration.ofHours(48), 4);
    history.power("g", DAY - 30 * HOUR, 1);
    history.power("g", DAY + HOUR, 1);
    history.window(Duration.ofHours(2));
    assertThat(times(only(history, "g"))).containsExactly(DAY + HOUR);
  }
}
