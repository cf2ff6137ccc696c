package org.defpi.benchmarks;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.defpi.wire.message.ProtobufMessageCodec;

/**
 * The benchmark's messages: protobuf {@link BytesValue}s whose frame payload is exactly 200 bytes.
 * {@link #MESSAGE} is data; {@link #PING} (same size, other bytes) asks a peer on another node to
 * echo it, so one connection carries both the throughput and the round-trip runs.
 */
final class Message200 {
  static final int PAYLOAD_BYTES = 200;
  private static final ProtobufMessageCodec CODEC = ProtobufMessageCodec.of(BytesValue.getDefaultInstance());
  private static final byte DATA_FILL = 'x';
  private static final byte PING_FILL = 'p';
  static final BytesValue MESSAGE = build(DATA_FILL);
  static final BytesValue PING = build(PING_FILL);
  /** The same payload, framed for the raw path: length, payload, 0xFF (WIRE.md section 5). */
  static final byte[] RAW_FRAME = frame(CODEC.encode(MESSAGE));
  static final byte[] RAW_PING_FRAME = frame(CODEC.encode(PING));

  private Message200() {}

  private static BytesValue build(byte fill) {
    for (int n = 0; n < PAYLOAD_BYTES; n++) {
      byte[] body = new byte[n];
      Arrays.fill(body, fill);
      BytesValue candidate = BytesValue.newBuilder().setValue(ByteString.copyFrom(body)).build();
      if (CODEC.encode(candidate).length == PAYLOAD_BYTES) {
        return candidate;
      }
    }
    throw new IllegalStateException("no BytesValue encodes to exactly " + PAYLOAD_BYTES + " bytes");
  }

  static byte[] frame(byte[] payload) {
    return ByteBuffer.allocate(4 + payload.length + 1).putInt(payload.length).put(payload).put((byte) 0xFF).array();
  }

  static boolean isPing(BytesValue message) {
    return !message.getValue().isEmpty() && message.getValue().byteAt(0) == PING_FILL;
  }

  /** Whether a raw frame's payload is {@link #PING}'s: the value's bytes end the payload. */
  static boolean isPingPayload(byte[] payload) {
    return payload.length > 0 && payload[payload.length - 1] == PING_FILL;
  }
}
