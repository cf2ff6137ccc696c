package org.defpi.examples.energydashboard.history;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * What the dashboard has seen: one bounded time series per sending resource, on the simulation's
 * clock. No I/O and no wall clock: every method is a step of the model, so tests drive it directly.
 *
 * <p>Bounds (so a flooding sender cannot exhaust memory): a series keeps the samples of the last
 * {@code window} of simulated time, and always those of the current simulated (UTC) day, which the
 * {@link DaySummary} is taken over; at most {@link #maxSamplesPerSeries} samples a series (the
 * oldest go first); at most {@link #maxSeries} series (a stale one, the longest silent, goes first);
 * a forecast keeps at most {@link #MAX_FORECAST_STEPS} steps; a name at most {@link #MAX_NAME} chars.
 *
 * <p>Readers follow changes by number: every change takes the next {@code seq}, each sample records
 * the seq that stored it, and {@link #since} returns what changed after a seq the reader saw. A
 * change a reader cannot replay that way (a series dropped, the history restored) takes a new
 * {@code epoch}, and a reader of an older epoch is sent everything. The clock is the latest
 * simulated time any sample carried.
 *
 * <p>Thread-safe: connections write from their own threads while HTTP readers take snapshots.
 */
public final class History {
  public static final int MAX_FORECAST_STEPS = 2_000;
  public static final int MAX_NAME = 200;
  /** Room for one sample every 15 simulated seconds; the senders send one a simulated minute. */
  private static final int SAMPLES_PER_HOUR = 240;

  private final int maxSeries;
  private final Map<String, MutableSeries> series = new LinkedHashMap<>();
  private Duration window;
  private int maxSamplesPerSeries;
  // Starts anywhere, so that a page that followed an earlier instance (before the container
  // restarted) cannot take this one's seqs for its own: its epoch is not this one's.
  private long epoch = ThreadLocalRandom.current().nextLong(1, 1L << 40);
  private long seq;
  private long clock = Long.MIN_VALUE;

  public History(Duration window, int maxSeries) {
    if (maxSeries < 1) {
      throw new IllegalArgumentException("maxSeries must be at least 1, is " + maxSeries);
    }
    this.maxSeries = maxSeries;
    window(window);
  }

  /** A history of {@code hours} of simulated time, for at most 32 resources. */
  public static History ofHours(int hours) {
    return new History(Duration.ofHours(hours), 32);
  }

  /** Changes how much simulated time is kept; a shorter window drops the older samples now. */
  public synchronized void window(Duration newWindow) {
    if (newWindow.isNegative() || newWindow.isZero()) {
      throw new IllegalArgumentException("the history must span some time, is " + newWindow);
    }
    this.window = newWindow;
    // At least a day: the day's samples are kept whatever the window (see the class comment).
    long hours = Math.max(24, newWindow.toHours());
    this.maxSamplesPerSeries = (int) Math.min(100_000, hours * SAMPLES_PER_HOUR);
    if (clock != Long.MIN_VALUE) {
      series.values().forEach(s -> s.prune(retainFrom(), maxSamplesPerSeries));
    }
    changed();
  }

  public synchronized Duration window() {
    return window;
  }

  public synchronized int maxSamplesPerSeries() {
    return maxSamplesPerSeries;
  }

  public int maxSeries() {
    return maxSeries;
  }

  /** A connection from {@code key} came up (or came back). */
  public synchronized void attach(String key) {
    seriesFor(key).liveConnections++;
    changed();
  }

  /** A connection from {@code key} went (for now or for good); its history stays. */
  public synchronized void detach(String key) {
    MutableSeries s = series.get(key);
    if (s != null && s.liveConnections > 0) {
      s.liveConnections--;
      changed();
    }
  }

  /** The details a resource sent: who it is. */
  public synchronized void describe(String key, String resourceId, String name, Collection<Role> roles,
      OptionalDouble nominalPowerWatts) {
    MutableSeries s = seriesFor(key);
    s.resourceId = resourceId;
    s.name = name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name;
    s.roles = List.copyOf(roles);
    s.nominalPowerWatts = nominalPowerWatts.isPresent() ? nominalPowerWatts.getAsDouble() : null;
    changed();
  }

  /** A power measurement at simulated time {@code t}; a second one for the same t replaces it. */
  public synchronized void power(String key, long t, double watts) {
    if (!Double.isFinite(watts)) {
      return;
    }
    MutableSeries s = seriesFor(key);
    long stamp = changed();
    insert(s.samples, new Stamped<>(new Points.Power(t, watts), stamp), p -> p.value().t());
    advance(t, s);
  }

  /** A storage's status at simulated time {@code t}. */
  public synchronized void storage(String key, long t, double fillLevel, double energyWattHours,
      double capacityWattHours) {
    if (!Double.isFinite(fillLevel) || !Double.isFinite(energyWattHours)) {
      return;
    }
    MutableSeries s = seriesFor(key);
    long stamp = changed();
    if (Double.isFinite(capacityWattHours)) {
      s.capacityWattHours = capacityWattHours;
    }
    insert(s.fill, new Stamped<>(new Points.Fill(t, fillLevel, energyWattHours), stamp), p -> p.value().t());
    advance(t, s);
  }

  /** The latest forecast replaces the one before. */
  public synchronized void forecast(String key, Points.Forecast forecast) {
    List<Points.ForecastStep> steps = forecast.steps();
    MutableSeries s = seriesFor(key);
    s.forecast = steps.size() <= MAX_FORECAST_STEPS ? forecast
        : new Points.Forecast(forecast.startTime(), steps.subList(0, MAX_FORECAST_STEPS));
    changed();
  }

  /** Marks a change that is not in the series (e.g. new limits), so readers waiting wake up. */
  public synchronized void touch() {
    changed();
  }

  /** The simulated clock: the latest time any sample carried; empty before the first sample. */
  public synchronized Optional<Long> clock() {
    return clock == Long.MIN_VALUE ? Optional.empty() : Optional.of(clock);
  }

  /** Everything: each series with all its samples, and the day's summary under {@code limits}. */
  public synchronized Snapshot snapshot(Limits limits) {
    List<SeriesView> all = views(0);
    return new Snapshot(epoch, seq, true, clock(), all, DaySummary.of(all, limits, clock()));
  }

  /**
   * What changed after {@code afterSeq} of {@code afterEpoch}: every series' description, with
   * only the samples stored since; everything ({@code full}) when the reader's epoch is not the
   * current one.
   */
  public synchronized Snapshot since(long afterEpoch, long afterSeq, Limits limits) {
    if (afterEpoch != epoch || afterSeq > seq) {
      return snapshot(limits);
    }
    return new Snapshot(epoch, seq, false, clock(), views(afterSeq), summary(limits));
  }

  /**
   * Waits until there is a change after {@code afterSeq} of {@code afterEpoch}, at most {@code
   * timeout}; returns whether there is one.
   */
  public synchronized boolean awaitChange(long afterEpoch, long afterSeq, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (afterEpoch == epoch && afterSeq == seq) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** The summary of the current simulated day; see {@link DaySummary#of}. */
  public synchronized DaySummary summary(Limits limits) {
    return DaySummary.of(views(0), limits, clock());
  }

  /**
   * Replaces everything with {@code saved} (a {@link #snapshot()} of another instance, e.g. before a
   * move). Every series comes back stale until its sender connects again.
   */
  public synchronized void restore(Collection<SeriesView> saved) {
    series.clear();
    clock = Long.MIN_VALUE;
    epoch++;
    long stamp = ++seq;
    for (SeriesView v : saved) {
      MutableSeries s = new MutableSeries(v.key());
      s.resourceId = v.resourceId();
      s.name = v.name();
      s.roles = List.copyOf(v.roles());
      s.nominalPowerWatts = v.nominalPowerWatts();
      s.capacityWattHours = v.capacityWattHours();
      s.forecast = v.forecast();
      v.samples().stream().sorted(Comparator.comparingLong(Points.Power::t))
          .forEach(p -> insert(s.samples, new Stamped<>(p, stamp), x -> x.value().t()));
      v.fillLevels().stream().sorted(Comparator.comparingLong(Points.Fill::t))
          .forEach(p -> insert(s.fill, new Stamped<>(p, stamp), x -> x.value().t()));
      s.lastT().ifPresent(t -> clock = Math.max(clock, t));
      series.put(v.key(), s);
      if (series.size() > maxSeries) {
        evictOne();
      }
    }
    if (clock != Long.MIN_VALUE) {
      series.values().forEach(s -> s.prune(retainFrom(), maxSamplesPerSeries));
    }
    notifyAll();
  }

  private List<SeriesView> views(long afterSeq) {
    List<SeriesView> views = new ArrayList<>(series.size());
    for (MutableSeries s : series.values()) {
      views.add(s.view(afterSeq));
    }
    return views;
  }

  private MutableSeries seriesFor(String key) {
    MutableSeries s = series.get(key);
    if (s == null) {
      if (series.size() >= maxSeries) {
        evictOne();
      }
      s = new MutableSeries(key);
      series.put(key, s);
    }
    return s;
  }

  /** Drops the series that has been silent longest, preferring one with no live connection. */
  private void evictOne() {
    series.values().stream()
        .min(Comparator.comparing((MutableSeries s) -> s.liveConnections > 0)
            .thenComparingLong(s -> s.lastT().orElse(Long.MIN_VALUE)))
        .ifPresent(s -> series.remove(s.key));
    epoch++; // readers cannot replay a removal from the samples' seqs
  }

  private void advance(long t, MutableSeries written) {
    if (t > clock) {
      long previousRetain = clock == Long.MIN_VALUE ? Long.MIN_VALUE : retainFrom();
      clock = t;
      long retain = retainFrom();
      if (retain != previousRetain) {
        series.values().forEach(s -> s.prune(retain, maxSamplesPerSeries));
        return;
      }
    }
    written.prune(retainFrom(), maxSamplesPerSeries);
  }

  /** The oldest simulated time kept: the window back from the clock, or the day's start if older. */
  private long retainFrom() {
    long byWindow = clock - window.toMillis();
    return Math.min(byWindow, startOfDay(clock));
  }

  static long startOfDay(long millis) {
    return Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant().toEpochMilli();
  }

  private long changed() {
    seq++;
    notifyAll();
    return seq;
  }

  /** Keeps {@code list} sorted by time; a value for a time already there replaces it. */
  private static <T> void insert(List<Stamped<T>> list, Stamped<T> item, ToLongFunction<Stamped<T>> time) {
    long t = time.applyAsLong(item);
    int n = list.size();
    if (n == 0 || time.applyAsLong(list.get(n - 1)) < t) {
      list.add(item); // the usual case: the next step
      return;
    }
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (time.applyAsLong(list.get(mid)) < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (lo < n && time.applyAsLong(list.get(lo)) == t) {
      list.set(lo, item);
    } else {
      list.add(lo, item);
    }
  }

  /** A value with the seq of the change that stored it. */
  private record Stamped<T>(T value, long seq) {}

  private static final class MutableSeries {
    final String key;
    String resourceId;
    String name;
    List<Role> roles = List.of();
    Double nominalPowerWatts;
    Double capacityWattHours;
    Points.Forecast forecast;
    int liveConnections;
    final ArrayList<Stamped<Points.Power>> samples = new ArrayList<>();
    final ArrayList<Stamped<Points.Fill>> fill = new ArrayList<>();

    MutableSeries(String key) {
      this.key = key;
      this.resourceId = key;
      this.name = key;
    }

    Optional<Long> lastT() {
      long last = Long.MIN_VALUE;
      if (!samples.isEmpty()) {
        last = samples.getLast().value().t();
      }
      if (!fill.isEmpty()) {
        last = Math.max(last, fill.getLast().value().t());
      }
      return last == Long.MIN_VALUE ? Optional.empty() : Optional.of(last);
    }

    void prune(long retainFrom, int maxSamples) {
      pruneList(samples, retainFrom, maxSamples, s -> s.value().t());
      pruneList(fill, retainFrom, maxSamples, s -> s.value().t());
    }

    private static <T> void pruneList(ArrayList<Stamped<T>> list, long retainFrom, int max,
        ToLongFunction<Stamped<T>> time) {
      int drop = 0;
      while (drop < list.size() && time.applyAsLong(list.get(drop)) < retainFrom) {
        drop++;
      }
      drop = Math.max(drop, list.size() - max);
      if (drop > 0) {
        list.subList(0, drop).clear();
      }
    }

    SeriesView view(long afterSeq) {
      List<Points.Power> p = new ArrayList<>();
      for (Stamped<Points.Power> s : samples) {
        if (s.seq() > afterSeq) {
          p.add(s.value());
        }
      }
      List<Points.Fill> f = new ArrayList<>();
      for (Stamped<Points.Fill> s : fill) {
        if (s.seq() > afterSeq) {
          f.add(s.value());
        }
      }
      return new SeriesView(key, resourceId, name, Role.primary(roles), roles, nominalPowerWatts,
          liveConnections > 0, p, f, capacityWattHours, forecast);
    }
  }
}
