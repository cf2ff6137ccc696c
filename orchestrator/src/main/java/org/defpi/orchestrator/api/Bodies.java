package org.defpi.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.defpi.orchestrator.Refusal;

/**
 * Reads request bodies by hand, field by field, so that every way a body can be wrong is a 400 whose
 * detail names the field and what was expected, never a 500 from a binding library.
 */
final class Bodies {
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private Bodies() {}

  /** The body as a JSON object with no fields but {@code allowed}. */
  static ObjectNode object(byte[] bytes, Set<String> allowed) throws Refusal.BadRequest {
    String body;
    try {
      // Strict: a lenient decoder would store U+FFFD where the client sent bytes that are not text.
      body = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new Refusal.BadRequest("the request body is not valid UTF-8");
    }
    return object(body, allowed);
  }

  static ObjectNode object(String body, Set<String> allowed) throws Refusal.BadRequest {
    if (body == null || body.isBlank()) {
      throw new Refusal.BadRequest("the request body is empty; expected a JSON object with " + allowed);
    }
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new Refusal.BadRequest("the request body is not valid JSON: " + reason(e)
          + (at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    }
    if (!(node instanceof ObjectNode object)) {
      throw new Refusal.BadRequest("the request body must be a JSON object, not " + kind(node));
    }
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw new Refusal.BadRequest("unknown field '" + name + "'; expected only " + allowed);
      }
    }
    return object;
  }

  private static final Pattern DUPLICATE_FIELD = Pattern.compile("^Duplicate field '(.*)' for ");
  /** "(start marker at [Source: REDACTED (`…` disabled); line: 1, column: 1])". */
  private static final Pattern START_MARKER = Pattern.compile(
      "\\s*\\(start marker at \\[Source: [^;]*; line: (\\d+), column: (\\d+)]\\)");
  /** ", from `StreamReadConstraints.getMaxNestingDepth()`" in the limits' messages. */
  private static final Pattern FROM_SETTING = Pattern.compile(",? from `[^`]*`");
  private static final Pattern JAVA_NAME = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.){2,}[A-Za-z]|Exception");

  /**
   * Why the parser refused, in words: Jackson's own messages name its classes and settings
   * ({@code `StreamReadConstraints.getMaxNestingDepth()`}, {@code [Source: REDACTED …]}), which
   * mean nothing to a client, so those parts are cut or the message replaced.
   */
  static String reason(JsonProcessingException e) {
    String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (m.startsWith("Trailing token")) {
      return "there is more after the first JSON value; send exactly one JSON object";
    }
    Matcher duplicate = DUPLICATE_FIELD.matcher(m);
    if (duplicate.find()) {
      return "field '" + duplicate.group(1) + "' is given twice";
    }
    m = START_MARKER.matcher(m).replaceAll(" (opened at line $1, column $2)");
    m = FROM_SETTING.matcher(m).replaceAll("");
    if (m.isBlank() || m.contains("`") || m.contains("[Source") || JAVA_NAME.matcher(m).find()) {
      return "it cannot be parsed";
    }
    return m;
  }

  static String requiredText(ObjectNode object, String field) throws Refusal.BadRequest {
    return optionalText(object, field).orElseThrow(() ->
        new Refusal.BadRequest("field '" + field + "' is required (a non-empty string)"));
  }

  static Optional<String> optionalText(ObjectNode object, String field) throws Refusal.BadRequest {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new Refusal.BadRequest("field '" + field + "' must be a string, not " + kind(value));
    }
    if (value.asText().isEmpty()) {
      throw new Refusal.BadRequest("field '" + field + "' must not be empty");
    }
    noNul(field, value.asText());
    return Optional.of(value.asText());
  }

  static ObjectNode requiredObject(ObjectNode object, String field, Set<String> allowed) throws Refusal.BadRequest {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      throw new Refusal.BadRequest("field '" + field + "' is required (an object with " + allowed + ")");
    }
    if (!(value instanceof ObjectNode nested)) {
      throw new Refusal.BadRequest("field '" + field + "' must be an object with " + allowed + ", not " + kind(value));
    }
    for (Iterator<String> it = nested.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw new Refusal.BadRequest("unknown field '" + field + "." + name + "'; expected only " + allowed);
      }
    }
    return nested;
  }

  static String requiredText(ObjectNode object, String parent, String field) throws Refusal.BadRequest {
    try {
      return requiredText(object, field);
    } catch (Refusal.BadRequest e) {
      throw new Refusal.BadRequest(e.getMessage().replace("'" + field + "'", "'" + parent + "." + field + "'"));
    }
  }

  /** A whole number, if given (null is as absent). */
  static Optional<Long> optionalLong(ObjectNode object, String field) throws Refusal.BadRequest {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new Refusal.BadRequest("field '" + field + "' must be a whole number, not "
          + (value.isNumber() ? value.toString() : kind(value)));
    }
    return Optional.of(value.longValue());
  }

  /** A whole number that fits an int (a port), required. */
  static int requiredInt(ObjectNode object, String field) throws Refusal.BadRequest {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      throw new Refusal.BadRequest("field '" + field + "' is required (a whole number)");
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new Refusal.BadRequest("field '" + field + "' must be a whole number, not "
          + (value.isNumber() ? value.toString() : kind(value)));
    }
    return value.intValue();
  }

  /** A finite number, if given. */
  static Optional<Double> optionalNumber(ObjectNode object, String field) throws Refusal.BadRequest {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
      throw new Refusal.BadRequest("field '" + field + "' must be a number, not "
          + (value.isNumber() ? "one this large" : kind(value)));
    }
    return Optional.of(value.doubleValue());
  }

  /** A boolean, if given. */
  static Optional<Boolean> optionalBoolean(ObjectNode object, String field) throws Refusal.BadRequest {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isBoolean()) {
      throw new Refusal.BadRequest("field '" + field + "' must be true or false, not " + kind(value));
    }
    return Optional.of(value.booleanValue());
  }

  /**
   * An array of objects with no fields but {@code allowed}, if given (empty when absent). A nested
   * field's errors name it as {@code field[i].name}: read them with {@link #nested}.
   */
  static java.util.List<ObjectNode> objects(ObjectNode object, String field, Set<String> allowed)
      throws Refusal.BadRequest {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return java.util.List.of();
    }
    if (!value.isArray()) {
      throw new Refusal.BadRequest("field '" + field + "' must be an array of objects with " + allowed + ", not "
          + kind(value));
    }
    java.util.List<ObjectNode> items = new java.util.ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      if (!(value.get(i) instanceof ObjectNode item)) {
        throw new Refusal.BadRequest("field '" + field + "[" + i + "]' must be an object with " + allowed + ", not "
            + kind(value.get(i)));
      }
      for (Iterator<String> it = item.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!allowed.contains(name)) {
          throw new Refusal.BadRequest("unknown field '" + field + "[" + i + "]." + name + "'; expected only " + allowed);
        }
      }
      items.add(item);
    }
    return items;
  }

  /** Reads a field of a nested object; its errors name it {@code parent.field}. */
  static <T> T nested(String parent, String field, Reader<T> read) throws Refusal.BadRequest {
    try {
      return read.read(field);
    } catch (Refusal.BadRequest e) {
      throw new Refusal.BadRequest(e.getMessage().replace("'" + field + "'", "'" + parent + "." + field + "'"));
    }
  }

  @FunctionalInterface
  interface Reader<T> {
    T read(String field) throws Refusal.BadRequest;
  }

  /**
   * An object of configuration values. Values are strings; numbers and booleans are taken as their
   * JSON text ({@code 10} as {@code "10"}), since the management protocol carries strings only.
   */
  static Map<String, String> stringMap(ObjectNode object, String field) throws Refusal.BadRequest {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return Map.of();
    }
    if (!value.isObject()) {
      throw new Refusal.BadRequest("field '" + field + "' must be an object of strings, not " + kind(value));
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (!(v.isTextual() || v.isNumber() || v.isBoolean())) {
        throw new Refusal.BadRequest("field '" + field + "." + e.getKey() + "' must be a string, not " + kind(v));
      }
      noNul(field + "." + e.getKey(), e.getKey());
      noNul(field + "." + e.getKey(), v.asText());
      map.put(e.getKey(), v.asText());
    }
    return map;
  }

  /**
   * No text the API takes has a NUL in it, and PostgreSQL cannot store one (it would be a 500), so
   * U+0000 is refused here for every field.
   */
  private static void noNul(String field, String text) throws Refusal.BadRequest {
    if (text.indexOf('\u0000') >= 0) {
      throw new Refusal.BadRequest("field '" + field + "' must not contain the NUL character (U+0000)");
    }
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case BINARY -> "binary data";
      case MISSING -> "nothing";
    };
  }
}
