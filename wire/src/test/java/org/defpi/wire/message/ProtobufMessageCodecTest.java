package org.defpi.wire.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.defpi.wire.protocol.ProcessProto.ProcessState;
import org.defpi.wire.protocol.ProcessProto.ProcessStateUpdateMessage;
import org.defpi.wire.protocol.ProcessProto.SetConfigMessage;
import org.junit.jupiter.api.Test;

class ProtobufMessageCodecTest {
  private final ProtobufMessageCodec codec = ProtobufMessageCodec.of(
      SetConfigMessage.getDefaultInstance(), ProcessStateUpdateMessage.getDefaultInstance());

  @Test
  void payloadIsLengthPrefixedSimpleNameThenProtobuf() throws Exception {
    SetConfigMessage message = SetConfigMessage.newBuilder()
        .setProcessId("p1").setIsUpdate(false).putConfig("count", "10").build();
    byte[] payload = codec.encode(message);
    assertThat(payload[0]).isEqualTo((byte) 16);
    assertThat(new String(payload, 1, 16, StandardCharsets.US_ASCII)).isEqualTo("SetConfigMessage");
    assertThat(Arrays.copyOfRange(payload, 17, payload.length)).isEqualTo(message.toByteArray());
    assertThat(codec.decode(payload)).isEqualTo(message);
  }

  @Test
  void unknownTypeNameIsRefusedByName() {
    byte[] payload = ProtobufMessageCodec.of(ProcessStateUpdateMessage.getDefaultInstance()).encode(
        ProcessStateUpdateMessage.newBuilder().setProcessId("p").setState(ProcessState.RUNNING).build());
    ProtobufMessageCodec other = ProtobufMessageCodec.of(SetConfigMessage.getDefaultInstance());
    assertThatThrownBy(() -> other.decode(payload))
        .isInstanceOf(UnknownMessageException.class)
        .hasMessageContaining("'ProcessStateUpdateMessage'");
  }

  @Test
  void garbageIsRefusedNotThrownAsRuntimeException() {
    assertThatThrownBy(() -> codec.decode(new byte[] {50, 1, 2})).isInstanceOf(UnknownMessageException.class);
    byte[] bad = codec.encode(SetConfigMessage.newBuilder().setProcessId("p").setIsUpdate(true).build());
    byte[] truncated = Arrays.copyOf(bad, bad.length - 1);
    assertThatThrownBy(() -> codec.decode(truncated)).isInstanceOf(UnknownMessageException.class);
  }
}
