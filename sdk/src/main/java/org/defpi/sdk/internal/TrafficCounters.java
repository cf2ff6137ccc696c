package org.defpi.sdk.internal;

import java.util.concurrent.atomic.LongAdder;
import org.defpi.sdk.ConnectionTraffic;

/**
 * The running counts behind {@link ConnectionTraffic}, for one data connection. {@link LongAdder}s:
 * the reader thread, the senders and the handler's executor add from different threads without a
 * shared lock, and the reporter reads them now and then. An add is one uncontended CAS, so the data
 * path pays next to nothing.
 */
final class TrafficCounters {
  private final LongAdder messagesIn = new LongAdder();
  private final LongAdder messagesOut = new LongAdder();
  private final LongAdder bytesIn = new LongAdder();
  private final LongAdder bytesOut = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder stateChanges = new LongAdder();

  void received(int payloadBytes) {
    messagesIn.increment();
    bytesIn.add(payloadBytes);
  }

  void sent(int payloadBytes) {
    messagesOut.increment();
    bytesOut.add(payloadBytes);
  }

  void dropped(int messages) {
    dropped.add(messages);
  }

  void error() {
    errors.increment();
  }

  void stateChanged() {
    stateChanges.increment();
  }

  ConnectionTraffic snapshot() {
    return new ConnectionTraffic(messagesIn.sum(), messagesOut.sum(), bytesIn.sum(), bytesOut.sum(),
        dropped.sum(), errors.sum(), stateChanges.sum());
  }
}
