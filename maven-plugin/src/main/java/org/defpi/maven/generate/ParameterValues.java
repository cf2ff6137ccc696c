package org.defpi.maven.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.defpi.wire.service.Parameter;
import org.defpi.wire.service.ParameterType;
import org.defpi.wire.service.Problem;

/**
 * How a configuration value, a string in the orchestrator's SetConfigMessage, is read as a
 * parameter's type. The generated binder does exactly this at run time (see
 * {@link ConfigurationWriter}); the generator does it at build time to refuse defaults and allowed
 * values a service could never accept.
 *
 * <p>An array value is a comma-separated list, optionally in square brackets, each element trimmed
 * and stripped of one pair of double quotes ({@code 1,2}, {@code [1, 2]}, {@code ["a", "b"]}).
 * Numbers are decimal, surrounding blanks ignored; booleans are {@code true} or {@code false} in any
 * case; a character is exactly one character; a string is taken as it is.
 */
public final class ParameterValues {
  private ParameterValues() {}

  /**
   * The canonical form of {@code raw} as {@code type} ({@code String.valueOf} of the parsed value),
   * or empty when it is not a value of that type. Allowed values are compared in this form, so
   * {@code 010} is allowed where {@code 10} is.
   */
  public static Optional<String> normalize(ParameterType type, String raw) {
    String t = raw.trim();
    try {
      return Optional.of(switch (type) {
        case BOOLEAN -> {
          if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
            throw new NumberFormatException();
          }
          yield t.toLowerCase(Locale.ROOT);
        }
        case BYTE -> String.valueOf(Byte.parseByte(t));
        case CHARACTER -> {
          if (raw.length() != 1) {
            throw new NumberFormatException();
          }
          yield raw;
        }
        case SHORT -> String.valueOf(Short.parseShort(t));
        case INTEGER -> String.valueOf(Integer.parseInt(t));
        case LONG -> String.valueOf(Long.parseLong(t));
        case FLOAT -> String.valueOf(Float.parseFloat(t));
        case DOUBLE -> String.valueOf(Double.parseDouble(t));
        case STRING -> raw;
      });
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The elements of an array value. */
  public static List<String> elements(String raw) {
    String t = raw.trim();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1).trim();
    }
    List<String> elements = new ArrayList<>();
    if (t.isEmpty()) {
      return elements;
    }
    for (String element : t.split(",", -1)) {
      String e = element.trim();
      if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
        e = e.substring(1, e.length() - 1);
      }
      elements.add(e);
    }
    return elements;
  }

  /** What a value of {@code type} must be, for error messages. */
  public static String expected(ParameterType type) {
    return switch (type) {
      case BOOLEAN -> "true or false";
      case BYTE -> "a byte (-128 to 127)";
      case CHARACTER -> "a single character";
      case SHORT -> "a short (-32768 to 32767)";
      case INTEGER -> "an integer";
      case LONG -> "a long integer";
      case FLOAT -> "a float";
      case DOUBLE -> "a double";
      case STRING -> "a string";
    };
  }

  /**
   * Checks that the parameter's allowed values and default are values of its type, and that the
   * default is allowed. Problems name the JSON pointer of the offending field under {@code at}.
   */
  static void check(Parameter parameter, String at, List<Problem> problems) {
    List<String> allowed = new ArrayList<>();
    for (int i = 0; i < parameter.values().size(); i++) {
      String value = parameter.values().get(i);
      Optional<String> normalized = normalize(parameter.type(), value);
      if (normalized.isEmpty()) {
        problems.add(new Problem(at + "/values/" + i, "'" + value + "' is not " + expected(parameter.type())));
      } else {
        allowed.add(normalized.get());
      }
    }
    if (parameter.defaultValue().isEmpty()) {
      return;
    }
    String defaultValue = parameter.defaultValue().get();
    List<String> values = parameter.isArray() ? elements(defaultValue) : List.of(defaultValue);
    for (String value : values) {
      Optional<String> normalized = normalize(parameter.type(), value);
      if (normalized.isEmpty()) {
        problems.add(new Problem(at + "/default", "'" + value + "' is not " + expected(parameter.type())));
      } else if (!parameter.values().isEmpty() && !allowed.contains(normalized.get())) {
        problems.add(new Problem(at + "/default", "'" + value + "' is not one of the allowed values " + parameter.values()));
      }
    }
  }
}
