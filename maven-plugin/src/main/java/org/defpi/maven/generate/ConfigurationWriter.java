package org.defpi.maven.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;
import org.defpi.wire.service.Parameter;
import org.defpi.wire.service.ParameterType;

/**
 * Writes {@code <Name>Configuration}, an interface with one typed getter per parameter, and
 * {@code <Name>ConfigurationBinder}, the SDK's {@code ConfigBinder} that reads it from the string map of
 * a SetConfigMessage as {@link ParameterValues} describes, into its nested record {@code Values}: one
 * component per parameter (named like its id), whose getters delegate to the components.
 *
 * <p>Getter types: the parameter's primitive type (or {@code String}); {@code List} of the boxed type
 * for arrays; {@code Optional} of the boxed type for an optional parameter without a default. An
 * optional array without a default is an empty list when absent.
 */
final class ConfigurationWriter {
  private static final ClassName LIST = ClassName.get(List.class);
  private static final ClassName OPTIONAL = ClassName.get(Optional.class);
  private static final TypeName STRING = ClassName.get(String.class);
  private static final TypeName CONFIG_MAP = ParameterizedTypeName.get(Map.class, String.class, String.class);
  private static final String VALUES = "Values";

  private final ServiceLayout layout;
  private final String serviceName;
  private final List<Parameter> parameters;

  ConfigurationWriter(ServiceLayout layout, String serviceName, List<Parameter> parameters) {
    this.layout = layout;
    this.serviceName = serviceName;
    this.parameters = List.copyOf(parameters);
  }

  List<JavaFile> files() {
    return List.of(Generated.file(layout.packageName(), configuration()), Generated.file(layout.packageName(), binder()));
  }

  static TypeName primitive(ParameterType type) {
    return switch (type) {
      case BOOLEAN -> TypeName.BOOLEAN;
      case BYTE -> TypeName.BYTE;
      case CHARACTER -> TypeName.CHAR;
      case SHORT -> TypeName.SHORT;
      case INTEGER -> TypeName.INT;
      case LONG -> TypeName.LONG;
      case FLOAT -> TypeName.FLOAT;
      case DOUBLE -> TypeName.DOUBLE;
      case STRING -> STRING;
    };
  }

  static TypeName javaType(Parameter p) {
    TypeName element = primitive(p.type());
    if (p.isArray()) {
      return ParameterizedTypeName.get(LIST, element.box());
    }
    if (p.isOptional() && p.defaultValue().isEmpty()) {
      return ParameterizedTypeName.get(OPTIONAL, element.box());
    }
    return element;
  }

  private static String describe(Parameter p) {
    StringBuilder d = new StringBuilder(Generated.javadocText(p.name()))
        .append(" (parameter {@code ").append(p.id()).append("}, ")
        .append(p.type().jsonName()).append(p.isArray() ? " array" : "");
    p.defaultValue().ifPresent(v -> d.append(", default \"").append(Generated.javadocText(v)).append("\""));
    if (p.isOptional() && p.defaultValue().isEmpty()) {
      d.append(", optional");
    }
    if (!p.values().isEmpty()) {
      d.append(", one of ").append(p.values().stream().map(v -> "\"" + Generated.javadocText(v) + "\"")
          .collect(Collectors.joining(", ")));
    }
    return d.append(")").toString();
  }

  private TypeSpec configuration() {
    TypeSpec.Builder type = TypeSpec.interfaceBuilder(layout.configuration())
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("The configuration of $L, as the orchestrator sets it: one getter per parameter of service.json.\n"
            + "The binder returns a {@link $T.$L}.\n",
            Generated.javadocText(serviceName), layout.configurationBinder(), VALUES);
    for (Parameter p : parameters) {
      type.addMethod(MethodSpec.methodBuilder(JavaNames.getterName(p.id()))
          .addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT)
          .returns(javaType(p))
          .addJavadoc("$L\n", describe(p))
          .build());
    }
    return type.build();
  }

  /** The record the binder returns: one component per parameter, named like its id; the getters delegate to them. */
  private TypeSpec values() {
    TypeSpec.Builder type = TypeSpec.recordBuilder(VALUES)
        .addModifiers(Modifier.PUBLIC)
        .addSuperinterface(layout.configuration())
        .addJavadoc("The values of a $T, one component per parameter.\n", layout.configuration());
    MethodSpec.Builder constructor = MethodSpec.compactConstructorBuilder().addModifiers(Modifier.PUBLIC);
    for (Parameter p : parameters) {
      TypeName t = javaType(p);
      String field = JavaNames.fieldName(p.id());
      constructor.addParameter(t, field);
      if (p.isArray()) {
        constructor.addStatement("$N = $T.copyOf($N)", field, List.class, field);
      } else if (!t.isPrimitive()) {
        constructor.addStatement("$T.requireNonNull($N, $S)", Objects.class, field, p.id());
      }
      type.addMethod(MethodSpec.methodBuilder(JavaNames.getterName(p.id()))
          .addAnnotation(Override.class)
          .addModifiers(Modifier.PUBLIC)
          .returns(t)
          .addStatement("return $N", field)
          .build());
    }
    type.recordConstructor(constructor.build());
    return type.build();
  }

  private TypeSpec binder() {
    TypeSpec.Builder type = TypeSpec.classBuilder(layout.configurationBinder())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(ParameterizedTypeName.get(Generated.CONFIG_BINDER, layout.configuration()))
        .addJavadoc("Reads a $T from the configuration map of a SetConfigMessage: applies defaults, checks\n"
            + "allowed values, and names the parameter and the reason when a value is missing or wrong.\n",
            layout.configuration());
    CodeBlock arguments = parameters.stream()
        .map(p -> CodeBlock.of("$N(config)", bindMethod(p)))
        .collect(CodeBlock.joining(",\n    "));
    type.addMethod(MethodSpec.methodBuilder("bind").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).returns(layout.configuration())
        .addParameter(CONFIG_MAP, "config")
        .addException(Generated.INVALID_CONFIG)
        .addStatement(parameters.isEmpty() ? CodeBlock.of("return new $N()", VALUES)
            : CodeBlock.of("return new $N(\n    $L)", VALUES, arguments))
        .build());
    type.addType(values());
    Set<ParameterType> parsed = EnumSet.noneOf(ParameterType.class);
    for (Parameter p : parameters) {
      if (!p.values().isEmpty()) {
        List<String> allowed = new ArrayList<>();
        for (String v : p.values()) {
          // Checked by the generator: every allowed value is a value of the parameter's type.
          allowed.add(ParameterValues.normalize(p.type(), v).orElseThrow());
        }
        type.addField(FieldSpec.builder(ParameterizedTypeName.get(Set.class, String.class), allowedField(p),
                Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer("$T.of($L)", Set.class,
                allowed.stream().distinct().map(v -> CodeBlock.of("$S", v)).collect(CodeBlock.joining(", ")))
            .build());
      }
      if (p.type() != ParameterType.STRING) {
        parsed.add(p.type());
      }
      type.addMethod(bindMethodSpec(p));
    }
    if (!parameters.isEmpty()) {
      type.addMethod(valueHelper());
      type.addMethod(MethodSpec.methodBuilder("missing").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
          .returns(Generated.INVALID_CONFIG)
          .addParameter(STRING, "id").addParameter(STRING, "name")
          .addStatement("return new $T(\"parameter '\" + id + \"' (\" + name + \") is required but has no value\")",
              Generated.INVALID_CONFIG)
          .build());
      type.addMethod(MethodSpec.methodBuilder("invalid").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
          .returns(Generated.INVALID_CONFIG)
          .addParameter(STRING, "id").addParameter(STRING, "raw").addParameter(STRING, "expected")
          .addStatement("return new $T(\"parameter '\" + id + \"': '\" + raw + \"' is not \" + expected)",
              Generated.INVALID_CONFIG)
          .build());
    }
    if (parameters.stream().anyMatch(Parameter::isArray)) {
      type.addMethod(elementsHelper());
    }
    if (parameters.stream().anyMatch(p -> !p.values().isEmpty())) {
      type.addMethod(MethodSpec.methodBuilder("checkAllowed").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
          .addParameter(STRING, "id").addParameter(STRING, "raw").addParameter(STRING, "canonical")
          .addParameter(ParameterizedTypeName.get(Set.class, String.class), "allowed")
          .addException(Generated.INVALID_CONFIG)
          .beginControlFlow("if (!allowed.contains(canonical))")
          .addStatement("throw new $T(\"parameter '\" + id + \"': '\" + raw + \"' is not one of the allowed values \" + allowed)",
              Generated.INVALID_CONFIG)
          .endControlFlow()
          .build());
    }
    for (ParameterType t : parsed) {
      type.addMethod(parser(t));
    }
    return type.build();
  }

  private static String bindMethod(Parameter p) {
    return "bind" + p.id().substring(0, 1).toUpperCase(java.util.Locale.ROOT) + p.id().substring(1);
  }

  private static String allowedField(Parameter p) {
    return p.id().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT) + "_ALLOWED";
  }

  private static String parserName(ParameterType t) {
    String n = t.jsonName();
    return "parse" + n.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + n.substring(1);
  }

  /** Parses one value (an element for arrays) into {@code value}, checking it is allowed. */
  private static CodeBlock parseOne(Parameter p, String rawVar) {
    TypeName t = primitive(p.type());
    CodeBlock.Builder code = CodeBlock.builder();
    if (p.type() == ParameterType.STRING) {
      code.addStatement("$T value = $N", t, rawVar);
    } else {
      code.addStatement("$T value = $N($S, $N)", t, parserName(p.type()), p.id(), rawVar);
    }
    if (!p.values().isEmpty()) {
      code.addStatement("checkAllowed($S, $N, $T.valueOf(value), $N)", p.id(), rawVar, String.class, allowedField(p));
    }
    return code.build();
  }

  private static MethodSpec bindMethodSpec(Parameter p) {
    TypeName t = javaType(p);
    // An empty string is a value only for strings and arrays (the empty list); otherwise it counts as absent.
    boolean emptyIsAbsent = !p.isArray() && p.type() != ParameterType.STRING;
    MethodSpec.Builder m = MethodSpec.methodBuilder(bindMethod(p))
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(t)
        .addParameter(CONFIG_MAP, "config")
        .addException(Generated.INVALID_CONFIG)
        .addStatement("$T raw = value(config, $S, $L)", String.class, p.id(), emptyIsAbsent);
    m.beginControlFlow("if (raw == null)");
    if (p.defaultValue().isPresent()) {
      m.addStatement("raw = $S", p.defaultValue().get());
    } else if (p.isOptional()) {
      m.addStatement(p.isArray() ? "return $T.of()" : "return $T.empty()", p.isArray() ? List.class : Optional.class);
    } else {
      m.addStatement("throw missing($S, $S)", p.id(), p.name());
    }
    m.endControlFlow();
    if (p.isArray()) {
      m.addStatement("$T values = new $T<>()", ParameterizedTypeName.get(LIST, primitive(p.type()).box()), ArrayList.class);
      m.beginControlFlow("for ($T element : elements(raw))", String.class);
      m.addCode(parseOne(p, "element"));
      m.addStatement("values.add(value)");
      m.endControlFlow();
      m.addStatement("return $T.copyOf(values)", List.class);
    } else {
      m.addCode(parseOne(p, "raw"));
      if (t.isPrimitive() || t.equals(STRING)) {
        m.addStatement("return value");
      } else {
        m.addStatement("return $T.of(value)", Optional.class);
      }
    }
    return m.build();
  }

  private static MethodSpec valueHelper() {
    return MethodSpec.methodBuilder("value")
        .addJavadoc("The value of {@code id}; keys are matched ignoring case when no key matches exactly, as dEF-Pi did.\n")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(String.class)
        .addParameter(CONFIG_MAP, "config").addParameter(STRING, "id").addParameter(TypeName.BOOLEAN, "emptyIsAbsent")
        .addStatement("$T value = config.get(id)", String.class)
        .beginControlFlow("if (value == null)")
        .beginControlFlow("for ($T<$T, $T> entry : config.entrySet())", Map.Entry.class, String.class, String.class)
        .beginControlFlow("if (entry.getKey().equalsIgnoreCase(id))")
        .addStatement("value = entry.getValue()")
        .addStatement("break")
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .addStatement("return value == null || (emptyIsAbsent && value.isBlank()) ? null : value")
        .build();
  }

  /** Mirrors {@link ParameterValues#elements(String)}. */
  private static MethodSpec elementsHelper() {
    return MethodSpec.methodBuilder("elements")
        .addJavadoc("The elements of an array value: comma-separated, optionally in [ ], each trimmed and unquoted.\n")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(ParameterizedTypeName.get(List.class, String.class))
        .addParameter(STRING, "raw")
        .addStatement("$T t = raw.trim()", String.class)
        .beginControlFlow("if (t.startsWith(\"[\") && t.endsWith(\"]\"))")
        .addStatement("t = t.substring(1, t.length() - 1).trim()")
        .endControlFlow()
        .addStatement("$T<$T> elements = new $T<>()", List.class, String.class, ArrayList.class)
        .beginControlFlow("if (t.isEmpty())")
        .addStatement("return elements")
        .endControlFlow()
        .beginControlFlow("for ($T element : t.split(\",\", -1))", String.class)
        .addStatement("$T e = element.trim()", String.class)
        .beginControlFlow("if (e.length() >= 2 && e.startsWith(\"\\\"\") && e.endsWith(\"\\\"\"))")
        .addStatement("e = e.substring(1, e.length() - 1)")
        .endControlFlow()
        .addStatement("elements.add(e)")
        .endControlFlow()
        .addStatement("return elements")
        .build();
  }

  /** Mirrors {@link ParameterValues#normalize}. */
  private static MethodSpec parser(ParameterType t) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(parserName(t))
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(primitive(t))
        .addParameter(STRING, "id").addParameter(STRING, "raw")
        .addException(Generated.INVALID_CONFIG);
    String expected = ParameterValues.expected(t);
    switch (t) {
      case BOOLEAN -> m
          .addStatement("$T t = raw.trim()", String.class)
          .beginControlFlow("if (t.equalsIgnoreCase(\"true\") || t.equalsIgnoreCase(\"false\"))")
          .addStatement("return t.equalsIgnoreCase(\"true\")")
          .endControlFlow()
          .addStatement("throw invalid(id, raw, $S)", expected);
      case CHARACTER -> m
          .beginControlFlow("if (raw.length() != 1)")
          .addStatement("throw invalid(id, raw, $S)", expected)
          .endControlFlow()
          .addStatement("return raw.charAt(0)");
      default -> {
        String call = switch (t) {
          case BYTE -> "Byte.parseByte";
          case SHORT -> "Short.parseShort";
          case INTEGER -> "Integer.parseInt";
          case LONG -> "Long.parseLong";
          case FLOAT -> "Float.parseFloat";
          case DOUBLE -> "Double.parseDouble";
          default -> throw new IllegalStateException("no parser for " + t);
        };
        m.beginControlFlow("try")
            .addStatement("return $L(raw.trim())", call)
            .nextControlFlow("catch ($T e)", NumberFormatException.class)
            .addStatement("throw invalid(id, raw, $S)", expected)
            .endControlFlow();
      }
    }
    return m.build();
  }
}
