package org.defpi.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The saved-state envelope, without sockets: round trips, the pinned layout, and every refusal. */
class ServiceStateTest {
  private static final Struct METER = Struct.newBuilder()
      .putFields("totalWh", Value.newBuilder().setNumberValue(1234.5).build())
      .putFields("unit", Value.newBuilder().setStringValue("Wh").build())
      .build();

  @Test
  void aProtobufPayloadComesBackEqualWithWhoSavedIt() throws Exception {
    byte[] saved = ServiceState.of("power-meter", "1.2.0", METER).toBytes();

    ServiceState state = ServiceState.parse(saved);

    assertThat(state.payloadAs(Struct.getDefaultInstance())).isEqualTo(METER);
    assertThat(state.formatVersion()).isEqualTo(ServiceState.FORMAT_VERSION);
    assertThat(state.serviceId()).isEqualTo("power-meter");
    assertThat(state.serviceVersion()).isEqualTo("1.2.0");
    assertThat(state.payloadType()).isEqualTo("google.protobuf.Struct");
    assertThat(state).isEqualTo(ServiceState.of("power-meter", "1.2.0", METER));
  }

  @Test
  void theLayoutIsPinnedSoAStateSavedTodayIsReadableByEveryLaterBuild() throws Exception {
    byte[] saved = ServiceState.of("meter", "1.0", "text/plain", "hi".getBytes(StandardCharsets.US_ASCII)).toBytes();

    // "DPST", format 1, then fields 1..4 as protobuf: tag, length, bytes.
    assertThat(HexFormat.of().formatHex(saved)).isEqualTo("44505354" + "01"
        + "0a05" + hex("meter") + "1203" + hex("1.0") + "1a0a" + hex("text/plain") + "2202" + hex("hi"));
    assertThat(ServiceState.parse(saved).payload()).asString(StandardCharsets.US_ASCII).isEqualTo("hi");
  }

  @Test
  void envelopeFieldsAFormat1ReaderDoesNotKnowAreSkipped() throws Exception {
    ByteArrayOutputStream later = new ByteArrayOutputStream();
    later.writeBytes(ServiceState.of("meter", "2.0", METER).toBytes());
    later.writeBytes(HexFormat.of().parseHex("2a03616263" + "3007")); // field 5 (bytes), field 6 (varint)

    assertThat(ServiceState.parse(later.toByteArray()).payloadAs(Struct.getDefaultInstance())).isEqualTo(METER);
  }

  @Test
  void aStateInAFutureFormatIsRefusedSayingSo() {
    byte[] future = ServiceState.of("meter", "9.0", METER).toBytes();
    future[4] = 2;

    assertThatThrownBy(() -> ServiceState.parse(future))
        .isInstanceOf(InvalidStateException.class)
        .hasMessage("the saved state is in format 2, newer than this SDK reads (up to 1): it was saved by a newer"
            + " build; resume it with that build or a later one");
  }

  @Test
  void bytesThatAreNoServiceStateAreRefused() {
    assertThatThrownBy(() -> ServiceState.parse("saved-state".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidStateException.class)
        .hasMessageContaining("is not a defpi ServiceState (11 bytes");
    assertThatThrownBy(() -> ServiceState.parse(new byte[0]))
        .isInstanceOf(InvalidStateException.class)
        .hasMessage("the saved state is empty: nothing was saved at suspend");
    assertThatThrownBy(() -> ServiceState.parse(new byte[] {'D', 'P', 'S', 'T', 0}))
        .hasMessageContaining("format version 0");
  }

  @Test
  void aTruncatedStateIsCorrupt() {
    byte[] saved = ServiceState.of("meter", "1.0", METER).toBytes();
    byte[] truncated = java.util.Arrays.copyOf(saved, saved.length - 3);

    assertThatThrownBy(() -> ServiceState.parse(truncated))
        .isInstanceOf(InvalidStateException.class)
        .hasMessageStartingWith("the saved state is corrupt: ");
  }

  @Test
  void anotherServicesStateOrAnotherPayloadTypeIsRefusedNamingBoth() throws Exception {
    ServiceState state = ServiceState.parse(ServiceState.of("power-meter", "1.2.0", METER).toBytes());

    assertThatThrownBy(() -> state.requireService("power-logger"))
        .isInstanceOf(InvalidStateException.class)
        .hasMessage("the saved state belongs to service 'power-meter' (version '1.2.0'), not to 'power-logger'");
    assertThatThrownBy(() -> state.payloadAs(ListValue.getDefaultInstance()))
        .isInstanceOf(InvalidStateException.class)
        .hasMessage("the saved state of 'power-meter' (version '1.2.0') holds a 'google.protobuf.Struct',"
            + " not a 'google.protobuf.ListValue'");
  }

  @Test
  void toStringShowsTheTypeAndSizeButNeverThePayload() {
    ServiceState state = ServiceState.of("vault", "1", "text/plain", "hunter2".getBytes(StandardCharsets.UTF_8));

    assertThat(state.toString()).isEqualTo("ServiceState[format 1, vault 1, text/plain, 7 bytes]");
  }

  @Test
  void thePayloadCannotBeChangedFromOutside() throws Exception {
    byte[] payload = {1, 2, 3};
    ServiceState state = ServiceState.of("s", "1", "application/octet-stream", payload);
    payload[0] = 9;
    state.payload()[1] = 9;

    assertThat(state.payload()).containsExactly(1, 2, 3);
  }

  private static String hex(String ascii) {
    return HexFormat.of().formatHex(ascii.getBytes(StandardCharsets.US_ASCII));
  }
}
