package org.defpi.maven.generate;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.lang.model.SourceVersion;

/**
 * How names in service.json become Java names. Words are the runs of letters and digits; anything
 * else separates them. Names that would start with a digit get a prefix, and package segments that
 * are Java keywords get a trailing underscore, so every result is a legal Java name.
 */
public final class JavaNames {
  private JavaNames() {}

  /**
   * UpperCamelCase of {@code raw}: each word's first letter upper-cased, the rest kept as written
   * ({@code "Power Meter"} and {@code "power-meter"} give {@code PowerMeter}, {@code "v0.0.1"} gives
   * {@code V001}). {@code digitPrefix} is put in front when the result would start with a digit.
   * Empty when {@code raw} holds no letter or digit.
   */
  public static String typePart(String raw, String digitPrefix) {
    StringBuilder name = new StringBuilder();
    boolean wordStart = true;
    for (int cp : raw.codePoints().toArray()) {
      if (Character.isLetterOrDigit(cp)) {
        name.appendCodePoint(wordStart ? Character.toUpperCase(cp) : cp);
        wordStart = false;
      } else {
        wordStart = true;
      }
    }
    if (!name.isEmpty() && Character.isDigit(name.codePointAt(0))) {
      name.insert(0, digitPrefix);
    }
    return name.toString();
  }

  /**
   * A package segment from {@code raw}: its letters and digits, lower-cased ({@code "Power
   * Measurement"} gives {@code powermeasurement}). {@code digitPrefix} is put in front when it would
   * start with a digit; a Java keyword gets a trailing {@code _}. Empty when {@code raw} holds no
   * letter or digit.
   */
  public static String packageSegment(String raw, String digitPrefix) {
    StringBuilder segment = new StringBuilder();
    raw.codePoints().filter(Character::isLetterOrDigit).forEach(segment::appendCodePoint);
    String lower = segment.toString().toLowerCase(Locale.ROOT);
    if (!lower.isEmpty() && Character.isDigit(lower.codePointAt(0))) {
      lower = digitPrefix + lower;
    }
    return SourceVersion.isKeyword(lower) ? lower + "_" : lower;
  }

  /**
   * The default Java package of a service: {@code groupId.artifactId} with every character that
   * cannot be part of a package name removed, lower-cased, each segment made legal.
   */
  public static String defaultPackage(String groupId, String artifactId) {
    return Arrays.stream((groupId + "." + artifactId).split("\\."))
        .map(s -> s.codePoints()
            .filter(cp -> Character.isLetterOrDigit(cp) || cp == '_')
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString()
            .toLowerCase(Locale.ROOT))
        .filter(s -> !s.isEmpty())
        .map(s -> Character.isDigit(s.codePointAt(0)) ? "_" + s : s)
        .map(s -> SourceVersion.isKeyword(s) ? s + "_" : s)
        .collect(Collectors.joining("."));
  }

  /** True when {@code name} is a legal Java package name. */
  public static boolean isPackageName(String name) {
    return !name.isEmpty() && SourceVersion.isName(name);
  }

  /**
   * lowerCamelCase of an UpperCamelCase type part, for variable names: the leading capitals are
   * lowered, but for the last one when a lower-case letter follows ({@code HTTPServer} gives
   * {@code httpServer}, {@code HTTP} gives {@code http}).
   */
  static String lowerFirst(String typePart) {
    int upper = 0;
    while (upper < typePart.length() && Character.isUpperCase(typePart.charAt(upper))) {
      upper++;
    }
    if (upper > 1 && upper < typePart.length() && Character.isLowerCase(typePart.charAt(upper))) {
      upper--;
    }
    if (upper == 0) {
      upper = Math.min(1, typePart.length());
    }
    return typePart.substring(0, upper).toLowerCase(Locale.ROOT) + typePart.substring(upper);
  }

  /** {@code get<Id>} for a parameter id; {@code getClass_} for id {@code class}, as Object owns getClass(). */
  static String getterName(String parameterId) {
    String getter = "get" + parameterId.substring(0, 1).toUpperCase(Locale.ROOT) + parameterId.substring(1);
    return getter.equals("getClass") ? "getClass_" : getter;
  }

  /** Names a record component cannot have (JLS 8.10.1): those of Object's no-argument methods. */
  private static final java.util.Set<String> NOT_COMPONENTS =
      java.util.Set.of("clone", "finalize", "getClass", "hashCode", "notify", "notifyAll", "toString", "wait");

  /**
   * A field, variable or record component name for a parameter id: the id, or the id plus {@code _}
   * when it is a keyword or the name of one of Object's no-argument methods.
   */
  static String fieldName(String parameterId) {
    return SourceVersion.isKeyword(parameterId) || NOT_COMPONENTS.contains(parameterId) ? parameterId + "_" : parameterId;
  }
}
