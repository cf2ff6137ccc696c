package org.defpi.examples.energy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The grid meter's arithmetic: the grid power of a step is the sum of every resource's power at
 * that step. A step is complete, and emitted, once every connected resource has reported it
 * (so the result does not depend on the order messages arrive in), or, for a resource that lags,
 * once the step was first seen a deadline ago (the lagging resource counts with its latest
 * value). Steps are emitted in increasing order, each at most once; when every resource's clock
 * went back (the simulation was restarted) it starts over.
 *
 * <p>Not thread-safe: the grid meter calls it under one lock.
 */
public final class GridSum {
  /** How many of its latest values a resource keeps. */
  private static final int KEPT = 32;

  /** The grid power of step {@code time}. */
  public record Emission(long time, double watts) {}

  private final Map<String, TreeMap<Long, Double>> values = new HashMap<>();
  private final TreeMap<Long, Instant> firstSeen = new TreeMap<>();
  private long lastEmitted = Long.MIN_VALUE;

  /** A resource connected: steps wait for it (up to the deadline) from now on. */
  public void connect(String resource) {
    values.putIfAbsent(resource, new TreeMap<>());
  }

  /** Resource {@code resource} measured {@code watts} at step {@code time}; returns the steps this completes, in order. */
  public List<Emission> report(String resource, long time, double watts, Instant now) {
    TreeMap<Long, Double> own = values.computeIfAbsent(resource, r -> new TreeMap<>());
    own.tailMap(time, false).clear(); // its clock went back: what it said after this is void
    own.put(time, watts);
    while (own.size() > KEPT) {
      own.pollFirstEntry();
    }
    if (latestOfAll() < lastEmitted) {
      lastEmitted = Long.MIN_VALUE;
      firstSeen.clear();
    }
    if (time > lastEmitted) {
      firstSeen.putIfAbsent(time, now);
    }
    long complete = values.values().stream().mapToLong(GridSum::latest).min().orElse(Long.MIN_VALUE);
    return emitUpTo(complete);
  }

  /** The steps up to the latest one first seen at least {@code deadline} before {@code now}, not yet emitted, in order. */
  public List<Emission> overdue(Instant now, Duration deadline) {
    long due = Long.MIN_VALUE;
    for (Map.Entry<Long, Instant> seen : firstSeen.tailMap(lastEmitted, false).entrySet()) {
      if (!seen.getValue().plus(deadline).isAfter(now)) {
        due = seen.getKey();
      }
    }
    return emitUpTo(due);
  }

  /** Every step seen after the last emitted one, up to {@code time}: none is skipped when reports come in bursts. */
  private List<Emission> emitUpTo(long time) {
    if (time <= lastEmitted) {
      return List.of();
    }
    List<Emission> emitted = new ArrayList<>();
    for (long step : new ArrayList<>(firstSeen.subMap(lastEmitted, false, time, true).keySet())) {
      emitted.add(emit(step));
    }
    return emitted;
  }

  /** The resource is gone: it no longer counts, nor holds up a step. */
  public void remove(String resource) {
    values.remove(resource);
  }

  private long latestOfAll() {
    return values.values().stream().mapToLong(GridSum::latest).max().orElse(Long.MIN_VALUE);
  }

  private static long latest(TreeMap<Long, Double> own) {
    return own.isEmpty() ? Long.MIN_VALUE : own.lastKey();
  }

  private Emission emit(long time) {
    double watts = 0;
    for (TreeMap<Long, Double> own : values.values()) {
      Map.Entry<Long, Double> at = own.floorEntry(time);
      if (at != null) {
        watts += at.getValue();
      }
    }
    lastEmitted = time;
    firstSeen.headMap(time, true).clear();
    return new Emission(time, watts);
  }
}
