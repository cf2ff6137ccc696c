package org.defpi.benchmarks;

import com.google.protobuf.BytesValue;
import java.io.IOException;
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

  /** One blocking round trip: send, then read the echo on the same thread. */
  @FunctionalInterface
  interface RoundTrip {
    void run() throws IOException;
  }

  static Histogram histogram() {
    return new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
  }

  static Histogram raw(Duration warmup, Duration measure) throws Exception {
    try (RawPath path = RawPath.echoing()) {
      return blocking(path::roundTrip, warmup, measure);
    }
  }

  /** Round trips of {@code roundTrip}, timed on the calling thread. */
  static Histogram blocking(RoundTrip roundTrip, Duration warmup, Duration measure) throws IOException {
    Histogram histogram = histogram();
    long warmupEnd = System.nanoTime() + warmup.toNanos();
    while (System.nanoTime() < warmupEnd) {
      roundTrip.run();
    }
    long end = System.nanoTime() + measure.toNanos();
    long now;
    do {
      long start = System.nanoTime();
      roundTrip.run();
      now = System.nanoTime();
      histogram.recordValue(now - start);
    } while (now < end);
    return histogram;
  }

  static Histogram sdk(Duration warmup, Duration measure) throws Exception {
    try (SdkPath path = SdkPath.open()) {
      path.listener().onMessage = (connection, message) -> connection.send(message); // echo
      return inHandler(path.connector(), Message200.MESSAGE, warmup, measure);
    }
  }

  /**
   * Round trips of {@code ping} from {@code sender}, whose peer echoes it: the sender's handler
   * records each echo and sends the next ping.
   */
  static Histogram inHandler(SdkPath.Handler sender, BytesValue ping, Duration warmup, Duration measure)
      throws Exception {
    Histogram histogram = histogram();
    Arrivals done = new Arrivals();
    long warmupEnd = System.nanoTime() + warmup.toNanos();
    long end = warmupEnd + measure.toNanos();
    long[] sentAt = new long[1]; // only the sender's handler executor touches it after the first send
    sender.onMessage = (connection, pong) -> {
      long now = System.nanoTime();
      if (now > warmupEnd) {
        histogram.recordValue(now - sentAt[0]);
      }
      if (now < end) {
        sentAt[0] = System.nanoTime();
        connection.send(ping);
      } else {
        done.arrived();
      }
    };
    sentAt[0] = System.nanoTime();
    sender.connection().send(ping);
    done.await(1, warmup.plus(measure).plusSeconds(30));
    return histogram;
  }
}
