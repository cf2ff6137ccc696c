package org.defpi.sdk.internal;

import org.defpi.wire.protocol.ConnectionProto.ConnectionHandshake;
import org.defpi.wire.protocol.ConnectionProto.ConnectionState;

/**
 * The handshake of one socket of a data connection (WIRE.md section 7), without the socket: it
 * decides, for each handshake received, whether to answer CONNECTED and whether the peer has now
 * confirmed the connection. Not thread-safe: only the socket's reader thread calls it.
 *
 * <p>The rule is dEF-Pi's, so the two runtimes interoperate: answer CONNECTED to every handshake
 * for this connection id until the peer's CONNECTED has been seen, and to any later handshake that
 * is not CONNECTED (the peer started over); a CONNECTED that arrives after confirmation is not
 * answered, which ends the exchange.
 */
final class Handshake {
  /** What to do about one received handshake. */
  record Outcome(boolean replyConnected, boolean confirmedNow, boolean foreignId) {
    static final Outcome FOREIGN = new Outcome(false, false, true);
  }

  private final String connectionId;
  private boolean confirmed;

  Handshake(String connectionId) {
    this.connectionId = connectionId;
  }

  Outcome receive(ConnectionHandshake handshake) {
    if (!handshake.getConnectionId().equals(connectionId)) {
      return Outcome.FOREIGN;
    }
    boolean peerConnected = handshake.getConnectionState() == ConnectionState.CONNECTED;
    boolean reply = !confirmed || !peerConnected;
    boolean confirmedNow = peerConnected && !confirmed;
    if (confirmedNow) {
      confirmed = true;
    }
    return new Outcome(reply, confirmedNow, false);
  }

  boolean confirmed() {
    return confirmed;
  }
}
