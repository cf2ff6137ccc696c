package org.defpi.wire.frame;

/** The one-byte heartbeat frames of WIRE.md section 7. */
public final class Heartbeat {
  public static final byte PING = 0x0A;
  public static final byte PONG = 0x0B;

  private Heartbeat() {}

  /** A one-byte payload is always a heartbeat, whatever its value. */
  public static boolean isHeartbeat(byte[] payload) {
    return payload.length == 1;
  }
}
