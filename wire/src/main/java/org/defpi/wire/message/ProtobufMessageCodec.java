package org.defpi.wire.message;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Encodes and decodes the name-prefixed protobuf payloads of WIRE.md section 5. Immutable. */
public final class ProtobufMessageCodec {
  private final Map<String, Parser<? extends Message>> parsers;

  private ProtobufMessageCodec(Map<String, Parser<? extends Message>> parsers) {
    this.parsers = Map.copyOf(parsers);
  }

  /** A codec for the given message types, each given by a default instance. */
  public static ProtobufMessageCodec of(Message... defaultInstances) {
    return new ProtobufMessageCodec(Arrays.stream(defaultInstances)
        .collect(Collectors.toMap(
            m -> m.getDescriptorForType().getName(),
            (Function<Message, Parser<? extends Message>>) Message::getParserForType)));
  }

  public Set<String> typeNames() {
    return parsers.keySet();
  }

  public byte[] encode(Message message) {
    byte[] name = message.getDescriptorForType().getName().getBytes(StandardCharsets.US_ASCII);
    if (name.length > 255) {
      throw new IllegalArgumentException("message type name longer than 255 bytes: " + message.getDescriptorForType().getName());
    }
    byte[] body = message.toByteArray();
    byte[] payload = new byte[1 + name.length + body.length];
    payload[0] = (byte) name.length;
    System.arraycopy(name, 0, payload, 1, name.length);
    System.arraycopy(body, 0, payload, 1 + name.length, body.length);
    return payload;
  }

  public Message decode(byte[] payload) throws UnknownMessageException {
    if (payload.length < 1) {
      throw new UnknownMessageException("empty payload has no message type name");
    }
    int n = payload[0] & 0xFF;
    if (payload.length < 1 + n) {
      throw new UnknownMessageException(
          "payload of " + payload.length + " bytes is too short for a " + n + "-byte type name");
    }
    String name = new String(payload, 1, n, StandardCharsets.US_ASCII);
    Parser<? extends Message> parser = parsers.get(name);
    if (parser == null) {
      throw new UnknownMessageException("unknown message type '" + name + "'; expected one of " + parsers.keySet());
    }
    try {
      return parser.parseFrom(payload, 1 + n, payload.length - 1 - n);
    } catch (InvalidProtocolBufferException e) {
      throw new UnknownMessageException("cannot parse " + name + ": " + e.getMessage(), e);
    }
  }
}
