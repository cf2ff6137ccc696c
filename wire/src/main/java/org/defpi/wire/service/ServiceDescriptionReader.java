package org.defpi.wire.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads service.json and checks it against WIRE.md section 1. Every problem is collected with the
 * JSON pointer of the field it concerns, so a developer can fix them all in one go.
 *
 * <p>Parameters are also read in the spelling the original tools wrote into image labels
 * ({@code array}/{@code optional} beside {@code isArray}/{@code isOptional}, defaults as numbers or
 * strings), see {@link #readParameters(JsonNode, String, List)}.
 */
public final class ServiceDescriptionReader {
  static final Pattern VERSION = Pattern.compile("^([0-9]+\\.)*[0-9]+(-[0-9a-zA-Z]*)?$");
  static final Pattern PARAMETER_ID = Pattern.compile("^[a-z][a-zA-Z0-9]*$");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ServiceDescriptionReader() {}

  public static ServiceDescription read(byte[] json) throws InvalidServiceDescriptionException {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      String reason = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
      throw new InvalidServiceDescriptionException(List.of(new Problem("", "not valid JSON: " + reason)));
    }
    List<Problem> problems = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new InvalidServiceDescriptionException(List.of(new Problem("", "must be a JSON object")));
    }
    String name = requiredString(root, "name", "", problems);
    if (name != null && (name.isEmpty() || name.length() > 64)) {
      problems.add(new Problem("/name", "must be 1 to 64 characters long, is " + name.length()));
    }
    String version = requiredString(root, "version", "", problems);
    if (version != null && !VERSION.matcher(version).matches()) {
      problems.add(new Problem("/version", "'" + version + "' does not match " + VERSION.pattern()));
    }
    List<Parameter> parameters = readParameters(root.get("parameters"), "/parameters", problems);
    List<InterfaceDescription> interfaces = new ArrayList<>();
    JsonNode ifaces = root.get("interfaces");
    if (ifaces != null && !ifaces.isNull()) {
      if (!ifaces.isArray()) {
        problems.add(new Problem("/interfaces", "must be an array"));
      } else {
        for (int i = 0; i < ifaces.size(); i++) {
          readInterface(ifaces.get(i), "/interfaces/" + i, problems).ifPresent(interfaces::add);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidServiceDescriptionException(problems);
    }
    return new ServiceDescription(name, version, parameters, interfaces);
  }

  private static Optional<InterfaceDescription> readInterface(JsonNode node, String at, List<Problem> problems) {
    if (!node.isObject()) {
      problems.add(new Problem(at, "must be an object"));
      return Optional.empty();
    }
    int before = problems.size();
    String name = requiredString(node, "name", at, problems);
    Boolean autoConnect = requiredBoolean(node, "autoConnect", at, problems);
    Boolean allowMultiple = requiredBoolean(node, "allowMultiple", at, problems);
    List<InterfaceVersionDescription> versions = new ArrayList<>();
    JsonNode vs = node.get("interfaceVersions");
    if (vs == null || !vs.isArray() || vs.isEmpty()) {
      problems.add(new Problem(at + "/interfaceVersions", "must be a non-empty array"));
    } else {
      for (int i = 0; i < vs.size(); i++) {
        readVersion(vs.get(i), at + "/interfaceVersions/" + i, problems).ifPresent(versions::add);
      }
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new InterfaceDescription(name, autoConnect, allowMultiple, versions));
  }

  private static Optional<InterfaceVersionDescription> readVersion(JsonNode node, String at, List<Problem> problems) {
    if (!node.isObject()) {
      problems.add(new Problem(at, "must be an object"));
      return Optional.empty();
    }
    int before = problems.size();
    String versionName = requiredString(node, "versionName", at, problems);
    String location = requiredString(node, "location", at, problems);
    InterfaceType type = null;
    JsonNode t = node.get("type");
    if (t != null && !t.isNull()) {
      switch (t.asText().toLowerCase(Locale.ROOT)) {
        case "proto" -> type = InterfaceType.PROTO;
        case "xsd" -> type = InterfaceType.XSD;
        default -> problems.add(new Problem(at + "/type", "must be 'proto' or 'xsd', is '" + t.asText() + "'"));
      }
    } else if (location != null) {
      String lower = location.toLowerCase(Locale.ROOT);
      if (lower.endsWith(".proto")) {
        type = InterfaceType.PROTO;
      } else if (lower.endsWith(".xsd")) {
        type = InterfaceType.XSD;
      } else {
        problems.add(new Problem(at + "/type", "is absent and the location '" + location + "' ends in neither .proto nor .xsd"));
      }
    }
    List<String> sends = stringArray(node, "sends", at, problems);
    List<String> receives = stringArray(node, "receives", at, problems);
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new InterfaceVersionDescription(versionName, type, location, sends, receives));
  }

  /** Reads a parameter list from service.json or from the {@code org.flexiblepower.parameters} label. */
  public static List<Parameter> readParameters(JsonNode node, String at, List<Problem> problems) {
    List<Parameter> parameters = new ArrayList<>();
    if (node == null || node.isNull()) {
      return parameters;
    }
    if (!node.isArray()) {
      problems.add(new Problem(at, "must be an array"));
      return parameters;
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode p = node.get(i);
      String pat = at + "/" + i;
      if (!p.isObject()) {
        problems.add(new Problem(pat, "must be an object"));
        continue;
      }
      int before = problems.size();
      String id = requiredString(p, "id", pat, problems);
      if (id != null && !PARAMETER_ID.matcher(id).matches()) {
        problems.add(new Problem(pat + "/id", "'" + id + "' must start with a lower-case letter and hold only letters and digits"));
      }
      String name = requiredString(p, "name", pat, problems);
      String typeName = requiredString(p, "type", pat, problems);
      ParameterType type = null;
      if (typeName != null) {
        type = ParameterType.fromJson(typeName).orElse(null);
        if (type == null) {
          problems.add(new Problem(pat + "/type", "'" + typeName + "' is not one of boolean, byte, character, short, integer, long, float, double, string"));
        }
      }
      boolean isArray = flag(p, "isArray", "array");
      boolean isOptional = flag(p, "isOptional", "optional");
      List<String> values = stringArray(p, "values", pat, problems);
      List<String> labels = stringArray(p, "labels", pat, problems);
      if (!labels.isEmpty() && labels.size() != values.size()) {
        problems.add(new Problem(pat + "/labels", "has " + labels.size() + " labels for " + values.size() + " values"));
      }
      JsonNode d = p.get("default");
      Optional<String> defaultValue = d == null || d.isNull() ? Optional.empty() : Optional.of(d.asText());
      if (problems.size() == before) {
        parameters.add(new Parameter(id, name, type, isArray, isOptional, values, labels, defaultValue));
      }
    }
    return parameters;
  }

  private static boolean flag(JsonNode node, String name, String alias) {
    JsonNode v = node.has(name) ? node.get(name) : node.get(alias);
    return v != null && v.asBoolean(false);
  }

  private static String requiredString(JsonNode node, String field, String at, List<Problem> problems) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      problems.add(new Problem(at + "/" + field, "is required"));
      return null;
    }
    if (!v.isTextual()) {
      problems.add(new Problem(at + "/" + field, "must be a string"));
      return null;
    }
    return v.asText();
  }

  private static Boolean requiredBoolean(JsonNode node, String field, String at, List<Problem> problems) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      problems.add(new Problem(at + "/" + field, "is required"));
      return null;
    }
    if (!v.isBoolean()) {
      problems.add(new Problem(at + "/" + field, "must be true or false"));
      return null;
    }
    return v.asBoolean();
  }

  private static List<String> stringArray(JsonNode node, String field, String at, List<Problem> problems) {
    JsonNode v = node.get(field);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      problems.add(new Problem(at + "/" + field, "must be an array of strings"));
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) {
        problems.add(new Problem(at + "/" + field + "/" + i, "must be a string"));
      } else {
        out.add(v.get(i).asText());
      }
    }
    return out;
  }
}
