package org.defpi.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Round-trip latency of one 200-byte application message and its echo, one at a time (ping-pong),
 * recorded in an HdrHistogram after a warm-up. For the SDK the loop runs in the handlers, as a
 * service reacting to a message would: the pong's handler records the time and sends the next
 * ping, so no thread hand-off outside the SDK is measured.
 */
final class RoundTripLatency {
  private RoundTripLatency() {}

  static Histogram histogram() {
    return new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
  }

  static Histogram raw(Duration warmup, Duration measure) throws Exception {
    Histogram histogram = histogram();
    try (RawPath path = RawPath.echoing()) {
      long warmupEnd = System.nanoTime() + warmup.toNanos();
      while (System.nanoTime() < warmupEnd) {
        path.roundTrip();
      }
      long end = System.nanoTime() + measure.toNanos();
      long now;
      do {
        long start = System.nanoTime();
        path.roundTrip();
        now = System.nanoTime();
        histogram.recordValue(now - start);
      } while (now < end);
    }
    return histogram;
  }

  static Histogram sdk(Duration warmup, Duration measure) throws Exception {
    Histogram histogram = histogram();
    try (SdkPath path = SdkPath.open()) {
      path.listener().onMessage = (connection, message) -> connection.send(message); // echo
      Arrivals done = new Arrivals();
      long warmupEnd = System.nanoTime() + warmup.toNanos();
      long end = warmupEnd + measure.toNanos();
      long[] sentAt = new long[1]; // only the connector's handler executor touches it after the first send
      path.connector().onMessage = (connection, pong) -> {
        long now = System.nanoTime();
        if (now > warmupEnd) {
          histogram.recordValue(now - sentAt[0]);
        }
        if (now < end) {
          sentAt[0] = System.nanoTime();
          connection.send(Message200.MESSAGE);
        } else {
          done.arrived();
        }
      };
      sentAt[0] = System.nanoTime();
      path.connector().connection().send(Message200.MESSAGE);
      done.await(1, warmup.plus(measure).plusSeconds(30));
    }
    return histogram;
  }
}
