package org.defpi.maven.generate;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;
import org.defpi.maven.generate.ServiceLayout.InterfaceLayout;
import org.defpi.maven.generate.ServiceLayout.VersionLayout;

/**
 * Writes {@code <Name>Main}: builds the service's {@code ServiceDefinition} (the developer's
 * service, the binder, and every interface version with the hashes computed at build time, from the
 * same bytes as the image labels) and hands it to {@code ServiceRunner.run}.
 */
final class MainWriter {
  private final ServiceLayout layout;
  private final String serviceName;

  MainWriter(ServiceLayout layout, String serviceName) {
    this.layout = layout;
    this.serviceName = serviceName;
  }

  JavaFile file() {
    ParameterizedTypeName definitionType =
        ParameterizedTypeName.get(Generated.SERVICE_DEFINITION, layout.configuration());
    MethodSpec.Builder definition = MethodSpec.methodBuilder("definition")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(definitionType)
        .addJavadoc("A new instance of the service, wired to its interfaces.\n")
        .addStatement("$T service = new $T()", layout.service(), layout.service());
    List<CodeBlock> versions = new ArrayList<>();
    for (InterfaceLayout iface : layout.interfaces()) {
      definition.addStatement("$T $N = new $T(service)", iface.manager(), iface.variable(), iface.managerImpl());
      for (VersionLayout version : iface.versions()) {
        versions.add(CodeBlock.of("new $T($S, $S,\n        $S,\n        $S,\n        $T.codec(), $N::$N, $T::dispatch)",
            Generated.INTERFACE_VERSION, iface.interfaceId(), version.description().versionName(),
            version.receivesHash(), version.sendsHash(), version.handler(), iface.variable(), version.buildMethod(),
            version.handler()));
      }
    }
    definition.addStatement("return new $T<>(service, new $T(), $T.of($L))", Generated.SERVICE_DEFINITION,
        layout.configurationBinder(), List.class,
        versions.isEmpty() ? CodeBlock.of("") : CodeBlock.of("\n    $L", CodeBlock.join(versions, ",\n    ")));
    TypeSpec type = TypeSpec.classBuilder(layout.main())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc("Runs $L as a dEF-Pi process. The hashes are those of the image labels.\n",
            Generated.javadocText(serviceName))
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
        .addMethod(MethodSpec.methodBuilder("main")
            .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
            .addParameter(String[].class, "args")
            .addStatement("$T.run(definition())", Generated.SERVICE_RUNNER)
            // The service may hold non-daemon threads: once terminated, the process must end.
            .addStatement("System.exit(0)")
            .build())
        .addMethod(definition.build())
        .build();
    return Generated.file(layout.packageName(), type);
  }
}
