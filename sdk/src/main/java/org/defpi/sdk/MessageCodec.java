package org.defpi.sdk;

import com.google.protobuf.Message;
import org.defpi.wire.message.ProtobufMessageCodec;
import org.defpi.wire.message.UnknownMessageException;

/** Turns the messages of one interface version into frame payloads and back. */
public interface MessageCodec {
  byte[] encode(Object message);

  Object decode(byte[] payload) throws UnknownMessageException;

  /** A codec for protobuf interfaces that knows the given message types (sent and received). */
  static MessageCodec protobuf(Message... defaultInstances) {
    ProtobufMessageCodec codec = ProtobufMessageCodec.of(defaultInstances);
    return new MessageCodec() {
      @Override
      public byte[] encode(Object message) {
        if (!(message instanceof Message m) || !codec.typeNames().contains(m.getDescriptorForType().getName())) {
          throw new IllegalArgumentException("cannot send " + (message == null ? "null" : message.getClass().getName())
              + ": this interface version sends " + codec.typeNames());
        }
        return codec.encode(m);
      }

      @Override
      public Object decode(byte[] payload) throws UnknownMessageException {
        return codec.decode(payload);
      }
    };
  }

  /**
   * A codec for XSD interfaces whose message types are the given {@code @XmlRootElement} classes
   * (sent and received). The generated code uses {@link XmlMessageCodec#builder} instead, which
   * also knows message types declared by element only.
   */
  static MessageCodec xml(Class<?>... rootElementTypes) {
    XmlMessageCodec.Builder builder = XmlMessageCodec.builder();
    for (Class<?> type : rootElementTypes) {
      builder.message(type);
    }
    return builder.build();
  }
}
