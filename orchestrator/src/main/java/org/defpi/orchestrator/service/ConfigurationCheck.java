package org.defpi.orchestrator.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.defpi.wire.service.Parameter;

/**
 * Whether a process's configuration fits its service's parameters (WIRE.md section 1): every key is
 * a parameter, every required parameter (not optional, no default) is given, a value of a parameter
 * with allowed {@code values} is one of them, and a scalar value parses as the parameter's type.
 * Arrays are passed on unchecked: their encoding in the string map is the service's business.
 */
public final class ConfigurationCheck {
  private ConfigurationCheck() {}

  /** The problems, each a sentence naming the key; empty when the configuration fits. */
  public static List<String> problems(List<Parameter> parameters, Map<String, String> configuration) {
    List<String> problems = new ArrayList<>();
    Set<String> known = parameters.stream().map(Parameter::id).collect(Collectors.toCollection(TreeSet::new));
    for (String key : new TreeSet<>(configuration.keySet())) {
      if (!known.contains(key)) {
        problems.add("unknown key '" + key + "' (parameters: " + known + ")");
      }
    }
    for (Parameter p : parameters) {
      String value = configuration.get(p.id());
      if (value == null) {
        if (!p.isOptional() && p.defaultValue().isEmpty()) {
          problems.add("parameter '" + p.id() + "' is required");
        }
        continue;
      }
      if (p.isArray()) {
        continue;
      }
      if (!p.values().isEmpty() && !p.values().contains(value)) {
        problems.add("parameter '" + p.id() + "' is '" + value + "' but must be one of " + p.values());
        continue;
      }
      if (!parses(p, value)) {
        problems.add("parameter '" + p.id() + "' is '" + value + "', not a " + p.type().jsonName());
      }
    }
    return problems;
  }

  private static boolean parses(Parameter p, String value) {
    try {
      switch (p.type()) {
        case BOOLEAN -> {
          if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            return false;
          }
        }
        case BYTE -> Byte.parseByte(value);
        case SHORT -> Short.parseShort(value);
        case INTEGER -> Integer.parseInt(value);
        case LONG -> Long.parseLong(value);
        case FLOAT -> Float.parseFloat(value);
        case DOUBLE -> Double.parseDouble(value);
        case CHARACTER -> {
          if (value.codePointCount(0, value.length()) != 1) {
            return false;
          }
        }
        case STRING -> { }
      }
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
