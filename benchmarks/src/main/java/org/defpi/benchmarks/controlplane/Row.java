package org.defpi.benchmarks.controlplane;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One line of the bench's table: what was timed, over how many records ({@code n}), how many times
 * ({@code samples}), its latency and the rate it went at.
 *
 * @param section where it ran: {@code h2}, {@code postgres} or {@code memory} (no store)
 * @param n the size of what one operation works over (records listed, subscribers, nodes...)
 * @param histogram latencies in nanoseconds; empty for a row that has only a rate
 * @param perSecond operations a second over the wall time of the run, NaN when not meaningful
 * @param unit what {@code perSecond} counts (req, events, reports...)
 */
record Row(String section, String what, long n, Histogram histogram, double perSecond, String unit, String note) {
  Row {
    Objects.requireNonNull(section, "section");
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(histogram, "histogram");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(note, "note");
  }

  /** An empty histogram for anything from a nanosecond to an hour (a deep queue's claim took minutes on H2). */
  static Histogram newHistogram() {
    return new Histogram(TimeUnit.HOURS.toNanos(1), 3);
  }

  Row withNote(String more) {
    return new Row(section, what, n, histogram, perSecond, unit, note.isEmpty() ? more : note + "; " + more);
  }

  private static final String FORMAT = "%-8s %-58s %8s %7s %10s %10s %10s %14s  %s%n";

  static String header() {
    return String.format(Locale.ROOT, FORMAT, "store", "what", "n", "samples", "p50", "p99", "max", "throughput",
        "note");
  }

  String line() {
    long samples = histogram.getTotalCount();
    return String.format(Locale.ROOT, FORMAT, section, what, String.format(Locale.ROOT, "%,d", n),
        samples == 0 ? "-" : String.format(Locale.ROOT, "%,d", samples),
        samples == 0 ? "-" : time(histogram.getValueAtPercentile(50)),
        samples == 0 ? "-" : time(histogram.getValueAtPercentile(99)),
        samples == 0 ? "-" : time(histogram.getMaxValue()),
        Double.isNaN(perSecond) ? "-" : rate(perSecond) + " " + unit + "/s", note);
  }

  static String table(List<Row> rows) {
    StringBuilder out = new StringBuilder(header());
    String last = null;
    for (Row r : rows) {
      if (last != null && !last.equals(r.section())) {
        out.append('\n');
      }
      out.append(r.line());
      last = r.section();
    }
    return out.toString();
  }

  /** Nanoseconds as µs, ms or s with three significant digits. */
  static String time(long nanos) {
    if (nanos < 1_000_000) {
      return String.format(Locale.ROOT, "%.3g µs", nanos / 1e3);
    }
    if (nanos < 1_000_000_000) {
      return String.format(Locale.ROOT, "%.3g ms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%.3g s", nanos / 1e9);
  }

  static String rate(double perSecond) {
    return perSecond >= 100 ? String.format(Locale.ROOT, "%,.0f", perSecond)
        : String.format(Locale.ROOT, "%.3g", perSecond);
  }
}
