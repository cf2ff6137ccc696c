package org.defpi.maven.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.defpi.wire.service.Problem;

/**
 * The rules of WIRE.md section 1 that the reader in {@code wire} reads leniently, because image
 * labels written by the original tools must still be read: in a service.json being built, the
 * flags of a parameter are booleans and its default is a single value.
 */
final class ServiceJsonChecks {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ServiceJsonChecks() {}

  /** The problems of {@code json}, which {@code ServiceDescriptionReader} has read without complaint. */
  static List<Problem> check(byte[] json) throws IOException {
    List<Problem> problems = new ArrayList<>();
    JsonNode parameters = MAPPER.readTree(json).path("parameters");
    for (int i = 0; i < parameters.size(); i++) {
      JsonNode p = parameters.get(i);
      for (String flag : List.of("isArray", "isOptional", "array", "optional")) {
        JsonNode v = p.get(flag);
        if (v != null && !v.isNull() && !v.isBoolean()) {
          problems.add(new Problem("/parameters/" + i + "/" + flag, "must be true or false, is " + v));
        }
      }
      JsonNode d = p.get("default");
      if (d != null && (d.isArray() || d.isObject())) {
        problems.add(new Problem("/parameters/" + i + "/default",
            "must be a string (for an array parameter: comma-separated values), is " + d));
      }
    }
    return problems;
  }
}
