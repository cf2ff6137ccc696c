package org.defpi.sdk;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A service's saved state in a versioned envelope: what {@link Service#suspend()} returns and
 * {@link Service#resumeFrom(byte[])} is handed back, possibly in another container on another
 * node running a newer build of the service. The envelope says which format it is in, which
 * service and version wrote it, and what type its payload is; the payload is the service's own,
 * preferably a protobuf message, whose fields can evolve the way protobuf allows.
 *
 * <pre>{@code
 * public byte[] suspend() {
 *   MeterState state = MeterState.newBuilder().setTotalWh(totalWh).build();
 *   return ServiceState.of("power-meter", "1.2.0", state).toBytes();
 * }
 *
 * public void resumeFrom(byte[] saved) throws InvalidStateException {
 *   if (saved.length == 0) {
 *     return; // suspended by an older build that saved nothing
 *   }
 *   MeterState state = ServiceState.parse(saved)
 *       .requireService("power-meter")
 *       .payloadAs(MeterState.getDefaultInstance());
 *   totalWh = state.getTotalWh();
 * }
 * }</pre>
 *
 * <h2>Format</h2>
 *
 * <pre>
 * +---------------+-----------+------------------------------------------------+
 * | magic "DPST"  | format: 1 | envelope: protobuf encoding, fields below      |
 * | 4 bytes ASCII | 1 byte    | (its layout is what the format byte promises)  |
 * +---------------+-----------+------------------------------------------------+
 *
 * message ServiceStateEnvelope {           // format 1
 *   optional string service_id = 1;        // "power-meter": whose state this is
 *   optional string service_version = 2;   // "1.2.0": the build that wrote the payload
 *   optional string payload_type = 3;      // protobuf full name, or e.g. "application/json"
 *   optional bytes payload = 4;
 * }
 * </pre>
 *
 * A format-1 reader skips envelope fields it does not know, so fields can be added without a new
 * format; the format byte goes up only for a change a format-1 reader would misread, and a reader
 * refuses a format newer than {@link #FORMAT_VERSION} with an {@link InvalidStateException} that
 * says so (the resume then fails with that reason, instead of the service starting from a state it
 * misunderstood). The whole state travels in one management frame, so it must stay well under the
 * 16 MiB frame bound. Immutable; not Java serialization.
 */
public final class ServiceState {
  /** The envelope format this SDK writes, and the newest it reads. */
  public static final int FORMAT_VERSION = 1;

  private static final byte[] MAGIC = "DPST".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER_LENGTH = MAGIC.length + 1;
  private static final int SERVICE_ID = 1;
  private static final int SERVICE_VERSION = 2;
  private static final int PAYLOAD_TYPE = 3;
  private static final int PAYLOAD = 4;

  private final int formatVersion;
  private final String serviceId;
  private final String serviceVersion;
  private final String payloadType;
  private final byte[] payload;

  private ServiceState(int formatVersion, String serviceId, String serviceVersion, String payloadType, byte[] payload) {
    this.formatVersion = formatVersion;
    this.serviceId = serviceId;
    this.serviceVersion = serviceVersion;
    this.payloadType = payloadType;
    this.payload = payload;
  }

  /**
   * State whose payload is a protobuf message; its type is recorded by full name (e.g. {@code
   * org.example.meter.MeterState}) and checked by {@link #payloadAs}.
   *
   * @param serviceId the service's id from service.json, checked by {@link #requireService}
   * @param serviceVersion the version of the build saving the state, for a newer build to tell
   *     how to read an older payload
   */
  public static ServiceState of(String serviceId, String serviceVersion, Message payload) {
    Objects.requireNonNull(payload, "payload");
    return of(serviceId, serviceVersion, payload.getDescriptorForType().getFullName(), payload.toByteArray());
  }

  /**
   * State whose payload is in a format of the service's choosing (JSON, its own binary layout):
   * {@code payloadType} names it, e.g. {@code application/json; schema=meter-2}.
   */
  public static ServiceState of(String serviceId, String serviceVersion, String payloadType, byte[] payload) {
    requireNonEmpty(serviceId, "serviceId");
    Objects.requireNonNull(serviceVersion, "serviceVersion");
    requireNonEmpty(payloadType, "payloadType");
    Objects.requireNonNull(payload, "payload");
    return new ServiceState(FORMAT_VERSION, serviceId, serviceVersion, payloadType, payload.clone());
  }

  /**
   * Reads state written by {@link #toBytes()}.
   *
   * @throws InvalidStateException the bytes are empty, are not a saved {@code ServiceState}, are
   *     in a format newer than {@link #FORMAT_VERSION}, or are corrupt
   */
  public static ServiceState parse(byte[] bytes) throws InvalidStateException {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length == 0) {
      throw new InvalidStateException("the saved state is empty: nothing was saved at suspend");
    }
    if (bytes.length < HEADER_LENGTH || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new InvalidStateException("the saved state is not a defpi ServiceState (" + bytes.length
          + " bytes that do not start with \"DPST\" and a format version); was it saved with ServiceState.toBytes()?");
    }
    int format = bytes[MAGIC.length] & 0xFF;
    if (format > FORMAT_VERSION) {
      throw new InvalidStateException("the saved state is in format " + format + ", newer than this SDK reads (up to "
          + FORMAT_VERSION + "): it was saved by a newer build; resume it with that build or a later one");
    }
    if (format < 1) {
      throw new InvalidStateException("the saved state has format version 0, which no SDK writes: it is corrupt");
    }
    return readFormat1(bytes);
  }

  private static ServiceState readFormat1(byte[] bytes) throws InvalidStateException {
    String serviceId = "";
    String serviceVersion = "";
    String payloadType = "";
    byte[] payload = new byte[0];
    CodedInputStream in = CodedInputStream.newInstance(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH);
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        boolean delimited = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
        switch (delimited ? WireFormat.getTagFieldNumber(tag) : 0) {
          case SERVICE_ID -> serviceId = in.readStringRequireUtf8();
          case SERVICE_VERSION -> serviceVersion = in.readStringRequireUtf8();
          case PAYLOAD_TYPE -> payloadType = in.readStringRequireUtf8();
          case PAYLOAD -> payload = in.readByteArray();
          default -> in.skipField(tag); // a later format-1 field, or a stray one
        }
      }
    } catch (IOException e) {
      throw new InvalidStateException("the saved state is corrupt: " + e.getMessage(), e);
    }
    if (serviceId.isEmpty() || payloadType.isEmpty()) {
      throw new InvalidStateException("the saved state is corrupt: it names no "
          + (serviceId.isEmpty() ? "service id" : "payload type"));
    }
    return new ServiceState(1, serviceId, serviceVersion, payloadType, payload);
  }

  /** The bytes to return from {@link Service#suspend()}: always in format {@link #FORMAT_VERSION}. */
  public byte[] toBytes() {
    int bodyLength = CodedOutputStream.computeStringSize(SERVICE_ID, serviceId)
        + CodedOutputStream.computeStringSize(SERVICE_VERSION, serviceVersion)
        + CodedOutputStream.computeStringSize(PAYLOAD_TYPE, payloadType)
        + CodedOutputStream.computeByteArraySize(PAYLOAD, payload);
    byte[] bytes = new byte[HEADER_LENGTH + bodyLength];
    System.arraycopy(MAGIC, 0, bytes, 0, MAGIC.length);
    bytes[MAGIC.length] = (byte) FORMAT_VERSION;
    CodedOutputStream out = CodedOutputStream.newInstance(bytes, HEADER_LENGTH, bodyLength);
    try {
      out.writeString(SERVICE_ID, serviceId);
      out.writeString(SERVICE_VERSION, serviceVersion);
      out.writeString(PAYLOAD_TYPE, payloadType);
      out.writeByteArray(PAYLOAD, payload);
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("sizing the state envelope went wrong", e); // a bug, not input
    }
    return bytes;
  }

  /**
   * This state, if {@code expectedServiceId} saved it.
   *
   * @throws InvalidStateException another service saved it
   */
  public ServiceState requireService(String expectedServiceId) throws InvalidStateException {
    if (!serviceId.equals(expectedServiceId)) {
      throw new InvalidStateException("the saved state belongs to service '" + serviceId + "' (version '"
          + serviceVersion + "'), not to '" + expectedServiceId + "'");
    }
    return this;
  }

  /**
   * The payload as a protobuf message of the given type.
   *
   * @param defaultInstance the expected type's default instance, e.g. {@code
   *     MeterState.getDefaultInstance()}
   * @throws InvalidStateException the payload is of another type, or does not parse as this one
   */
  @SuppressWarnings("unchecked")
  public <T extends Message> T payloadAs(T defaultInstance) throws InvalidStateException {
    String expected = defaultInstance.getDescriptorForType().getFullName();
    if (!payloadType.equals(expected)) {
      throw new InvalidStateException("the saved state of '" + serviceId + "' (version '" + serviceVersion
          + "') holds a '" + payloadType + "', not a '" + expected + "'");
    }
    try {
      return (T) defaultInstance.getParserForType().parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidStateException("the saved " + payloadType + " of '" + serviceId + "' does not parse: "
          + e.getMessage(), e);
    }
  }

  /** The envelope format the state was read in (or is written in: {@link #FORMAT_VERSION}). */
  public int formatVersion() {
    return formatVersion;
  }

  public String serviceId() {
    return serviceId;
  }

  public String serviceVersion() {
    return serviceVersion;
  }

  public String payloadType() {
    return payloadType;
  }

  /** A copy of the payload's bytes. */
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceState s && formatVersion == s.formatVersion && serviceId.equals(s.serviceId)
        && serviceVersion.equals(s.serviceVersion) && payloadType.equals(s.payloadType)
        && Arrays.equals(payload, s.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(formatVersion, serviceId, serviceVersion, payloadType, Arrays.hashCode(payload));
  }

  /** Names the payload's type and size, never its content (state may hold secrets). */
  @Override
  public String toString() {
    return "ServiceState[format " + formatVersion + ", " + serviceId + " " + serviceVersion + ", "
        + payloadType + ", " + payload.length + " bytes]";
  }

  private static void requireNonEmpty(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
  }
}
