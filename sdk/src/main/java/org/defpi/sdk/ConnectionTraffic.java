package org.defpi.sdk;

/**
 * What one data connection carried, counted since the process started. The runtime reports these to
 * the orchestrator (when it has the route for them) and a service may read them with {@link
 * Connection#traffic()}.
 *
 * @param messagesIn application messages received (whether or not they could be decoded)
 * @param messagesOut application messages written to a socket (buffered ones when flushed)
 * @param bytesIn frame payload bytes of the messages received
 * @param bytesOut frame payload bytes of the messages written
 * @param dropped messages discarded: the send buffer full, sent after TERMINATED, left in the
 *     buffer at TERMINATE, or received but undecodable or of a type the handler does not take
 * @param errors the handler threw, a frame was malformed, a socket failed to read or write, or a
 *     TLS handshake failed (a peer that is not the one the orchestrator named)
 * @param stateChanges transitions of the connection's {@link ConnectionState}
 */
public record ConnectionTraffic(long messagesIn, long messagesOut, long bytesIn, long bytesOut, long dropped,
    long errors, long stateChanges) {
  /** Nothing counted. */
  public static final ConnectionTraffic NONE = new ConnectionTraffic(0, 0, 0, 0, 0, 0, 0);

  public ConnectionTraffic {
    if (messagesIn < 0 || messagesOut < 0 || bytesIn < 0 || bytesOut < 0 || dropped < 0 || errors < 0
        || stateChanges < 0) {
      throw new IllegalArgumentException("traffic counters cannot be negative: messagesIn=" + messagesIn
          + ", messagesOut=" + messagesOut + ", bytesIn=" + bytesIn + ", bytesOut=" + bytesOut + ", dropped="
          + dropped + ", errors=" + errors + ", stateChanges=" + stateChanges);
    }
  }
}
