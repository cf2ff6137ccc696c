package org.defpi.maven.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;
import org.defpi.maven.generate.MessageBinding.Received;
import org.defpi.maven.generate.ServiceLayout.InterfaceLayout;
import org.defpi.maven.generate.ServiceLayout.VersionLayout;

/**
 * Writes, per interface, {@code <Iface>ConnectionManager} (one {@code build<Version>(Connection)}
 * per version) and, per version, {@code <Iface><Version>ConnectionHandler}: one
 * {@code handle<Type>} method per received message type, plus the static {@code codec()} and
 * {@code dispatch} the main class hands the runtime.
 */
final class ConnectionWriter {
  private final InterfaceLayout iface;
  private final Function<VersionLayout, MessageBinding> bindings;

  ConnectionWriter(InterfaceLayout iface, Function<VersionLayout, MessageBinding> bindings) {
    this.iface = iface;
    this.bindings = bindings;
  }

  List<JavaFile> files() {
    List<JavaFile> files = new ArrayList<>();
    files.add(Generated.file(iface.packageName(), manager()));
    for (VersionLayout version : iface.versions()) {
      files.add(Generated.file(version.packageName(), handler(version)));
    }
    return files;
  }

  private TypeSpec manager() {
    TypeSpec.Builder type = TypeSpec.interfaceBuilder(iface.manager())
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("Builds the handler of each new connection on interface $L ({@code $L}), one method per version.\n",
            Generated.javadocText(iface.description().name()), iface.interfaceId());
    for (VersionLayout version : iface.versions()) {
      type.addMethod(MethodSpec.methodBuilder(version.buildMethod())
          .addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT)
          .returns(version.handler())
          .addParameter(Generated.CONNECTION, "connection")
          .addJavadoc("A handler for a new connection of version $L.\n", Generated.javadocText(version.description().versionName()))
          .build());
    }
    return type.build();
  }

  private TypeSpec handler(VersionLayout version) {
    ClassName handler = version.handler();
    MessageBinding binding = bindings.apply(version);
    TypeSpec.Builder type = TypeSpec.interfaceBuilder(handler)
        .addModifiers(Modifier.PUBLIC)
        .addSuperinterface(Generated.CONNECTION_HANDLER)
        .addJavadoc("Handles one connection of interface version $L: one method per message type it receives.\n"
            + "Send with {@link $T#send}: this version sends $L.\n",
            Generated.javadocText(version.description().versionName()), Generated.CONNECTION,
            version.description().sends().isEmpty() ? "nothing" : String.join(", ", version.description().sends()));
    for (Received received : binding.received()) {
      type.addMethod(MethodSpec.methodBuilder(received.handleMethod())
          .addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT)
          .addParameter(received.type(), "message")
          .build());
    }
    type.addMethod(MethodSpec.methodBuilder("codec")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(Generated.MESSAGE_CODEC)
        .addJavadoc("The codec of every message type of this version, sent and received.\n")
        .addStatement("return $L", binding.codec())
        .build());
    MethodSpec.Builder dispatch = MethodSpec.methodBuilder("dispatch")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addParameter(Generated.CONNECTION_HANDLER, "handler")
        .addParameter(ClassName.OBJECT, "message")
        .addJavadoc("Calls the {@code handle} method of {@code handler} for the type of {@code message}.\n\n"
            + "@throws IllegalArgumentException {@code message} is not of a type this version receives\n");
    List<Received> received = binding.received();
    if (!received.isEmpty()) {
      dispatch.addStatement("$T typed = ($T) handler", handler, handler);
      // A subclass comes before its superclasses (MessageBinding), so the most specific method wins.
      for (Received r : received) {
        dispatch.beginControlFlow("if (message instanceof $T m)", r.type())
            .addStatement("typed.$N(m)", r.handleMethod())
            .addStatement("return")
            .endControlFlow();
      }
    }
    dispatch.addStatement("throw new $T($S + (message == null ? $S : message.getClass().getName()))",
        IllegalArgumentException.class,
        "version " + version.description().versionName() + " of " + iface.interfaceId() + " receives "
            + (received.isEmpty() ? "no messages"
                : received.stream().map(r -> r.type().simpleName()).collect(Collectors.joining(", "))) + ", not ",
        "null");
    type.addMethod(dispatch.build());
    return type.build();
  }
}
