package org.defpi.benchmarks;

import java.time.Duration;
import org.HdrHistogram.Histogram;

/** Node A's end of one path to node B ({@link NodePeer}), which answers as {@link NodeWiring} says. */
interface NodePath extends AutoCloseable {
  /** What the table calls it. */
  String label();

  /**
   * Sends {@link NodeWiring#BATCH} data messages and waits until node B acknowledges the batch,
   * which it does once it has received all of it: nanoseconds from the first send to the
   * acknowledgement.
   */
  long batch() throws Exception;

  /** Ping-pong, one message in flight: {@code warmup}, then round trips recorded for {@code measure}. */
  Histogram roundTrips(Duration warmup, Duration measure) throws Exception;
}
