package org.defpi.benchmarks;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.defpi.wire.message.ProtobufMessageCodec;

/** The benchmark's message: a protobuf {@link BytesValue} whose frame payload is exactly 200 bytes. */
final class Message200 {
  static final int PAYLOAD_BYTES = 200;
  static final BytesValue MESSAGE = build();
  /** The same payload, framed for the raw path: length, payload, 0xFF (WIRE.md section 5). */
  static final byte[] RAW_FRAME =
      frame(ProtobufMessageCodec.of(BytesValue.getDefaultInstance()).encode(MESSAGE));

  private Message200() {}

  private static BytesValue build() {
    ProtobufMessageCodec codec = ProtobufMessageCodec.of(BytesValue.getDefaultInstance());
    for (int n = 0; n < PAYLOAD_BYTES; n++) {
      byte[] body = new byte[n];
      Arrays.fill(body, (byte) 'x');
      BytesValue candidate = BytesValue.newBuilder().setValue(ByteString.copyFrom(body)).build();
      if (codec.encode(candidate).length == PAYLOAD_BYTES) {
        return candidate;
      }
    }
    throw new IllegalStateException("no BytesValue encodes to exactly " + PAYLOAD_BYTES + " bytes");
  }

  static byte[] frame(byte[] payload) {
    return ByteBuffer.allocate(4 + payload.length + 1).putInt(payload.length).put(payload).put((byte) 0xFF).array();
  }
}
