package org.defpi.maven.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import java.util.List;
import java.util.Objects;
import org.defpi.maven.generate.ServiceLayout.VersionLayout;

/**
 * The Java side of one interface version's messages, known once its interface file is compiled:
 * the {@code handle} method of each received type, in the order the dispatcher tries them, and the
 * expression that builds the version's codec.
 *
 * @param received one entry per distinct received class; a subclass comes before its superclasses,
 *     so that {@code instanceof} picks the most specific method
 * @param codec an expression of type {@code MessageCodec} knowing every sent and received type
 */
record MessageBinding(List<Received> received, CodeBlock codec) {
  MessageBinding {
    received = List.copyOf(received);
    Objects.requireNonNull(codec, "codec");
  }

  /** {@code handle<Type>(Type message)} for one received class. */
  record Received(String handleMethod, ClassName type) {}

  /** A proto version: protoc's nested classes, named as the messages, none extending another. */
  static MessageBinding protobuf(VersionLayout version) {
    List<Received> received = version.description().receives().stream().distinct().sorted()
        .map(type -> new Received("handle" + type, version.messageClass(type)))
        .toList();
    CodeBlock defaults = version.messageTypes().stream()
        .map(t -> CodeBlock.of("$T.getDefaultInstance()", version.messageClass(t)))
        .collect(CodeBlock.joining(",\n    "));
    return new MessageBinding(received, defaults.isEmpty()
        ? CodeBlock.of("$T.protobuf()", Generated.MESSAGE_CODEC)
        : CodeBlock.of("$T.protobuf(\n    $L)", Generated.MESSAGE_CODEC, defaults));
  }
}
