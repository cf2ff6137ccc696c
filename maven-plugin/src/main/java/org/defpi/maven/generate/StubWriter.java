package org.defpi.maven.generate;

import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.lang.model.element.Modifier;
import org.defpi.maven.generate.MessageBinding.Received;
import org.defpi.maven.generate.ServiceLayout.InterfaceLayout;
import org.defpi.maven.generate.ServiceLayout.VersionLayout;

/**
 * Writes the classes the developer fills in: {@code <Name>Service}, each
 * {@code <Iface>ConnectionManagerImpl(<Name>Service)} and each
 * {@code <Iface><Version>ConnectionHandlerImpl(Connection, <Name>Service)}. The generated main
 * class calls these constructors, so a developer keeps their signatures.
 */
final class StubWriter {
  private final ServiceLayout layout;
  private final Function<VersionLayout, MessageBinding> bindings;

  StubWriter(ServiceLayout layout, Function<VersionLayout, MessageBinding> bindings) {
    this.layout = layout;
    this.bindings = bindings;
  }

  List<JavaFile> files() {
    List<JavaFile> files = new ArrayList<>();
    files.add(Generated.stub(layout.packageName(), service()));
    for (InterfaceLayout iface : layout.interfaces()) {
      files.add(Generated.stub(iface.packageName(), managerImpl(iface)));
      for (VersionLayout version : iface.versions()) {
        files.add(Generated.stub(version.packageName(), handlerImpl(version)));
      }
    }
    return files;
  }

  private TypeSpec service() {
    return TypeSpec.classBuilder(layout.service())
        .addModifiers(Modifier.PUBLIC)
        .addSuperinterface(ParameterizedTypeName.get(Generated.SERVICE, layout.configuration()))
        .addJavadoc("The service's behaviour over its life: configured, maybe reconfigured, suspended and resumed, terminated.\n")
        .addMethod(MethodSpec.methodBuilder("init").addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .addParameter(layout.configuration(), "config")
            .addParameter(Generated.DEFPI_PARAMETERS, "parameters")
            .addException(Exception.class)
            .addComment("TODO start the service with its first configuration")
            .build())
        .addMethod(MethodSpec.methodBuilder("modify").addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .addParameter(layout.configuration(), "config")
            .addException(Exception.class)
            .addComment("TODO apply a changed configuration")
            .build())
        .addMethod(MethodSpec.methodBuilder("terminate").addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .addException(Exception.class)
            .addComment("TODO release what the service holds")
            .build())
        .build();
  }

  private TypeSpec managerImpl(InterfaceLayout iface) {
    TypeSpec.Builder type = TypeSpec.classBuilder(iface.managerImpl())
        .addModifiers(Modifier.PUBLIC)
        .addSuperinterface(iface.manager())
        .addField(FieldSpec.builder(layout.service(), "service", Modifier.PRIVATE, Modifier.FINAL).build())
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
            .addParameter(layout.service(), "service")
            .addStatement("this.service = service")
            .build());
    for (VersionLayout version : iface.versions()) {
      type.addMethod(MethodSpec.methodBuilder(version.buildMethod()).addAnnotation(Override.class)
          .addModifiers(Modifier.PUBLIC)
          .returns(version.handler())
          .addParameter(Generated.CONNECTION, "connection")
          .addStatement("return new $T(connection, service)", version.handlerImpl())
          .build());
    }
    return type.build();
  }

  private TypeSpec handlerImpl(VersionLayout version) {
    TypeSpec.Builder type = TypeSpec.classBuilder(version.handlerImpl())
        .addModifiers(Modifier.PUBLIC)
        .addSuperinterface(version.handler())
        .addField(FieldSpec.builder(Generated.CONNECTION, "connection", Modifier.PRIVATE, Modifier.FINAL).build())
        .addField(FieldSpec.builder(layout.service(), "service", Modifier.PRIVATE, Modifier.FINAL).build())
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
            .addParameter(Generated.CONNECTION, "connection")
            .addParameter(layout.service(), "service")
            .addStatement("this.connection = connection")
            .addStatement("this.service = service")
            .build());
    for (Received received : bindings.apply(version).received()) {
      type.addMethod(MethodSpec.methodBuilder(received.handleMethod()).addAnnotation(Override.class)
          .addModifiers(Modifier.PUBLIC)
          .addParameter(received.type(), "message")
          .addComment("TODO handle the message; reply with connection.send(...)")
          .build());
    }
    type.addMethod(MethodSpec.methodBuilder("terminated").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addComment("TODO the connection is closed for good")
        .build());
    return type.build();
  }
}
