package org.defpi.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The API's OpenAPI 3.1 document, {@code openapi.yaml} next to this class: read once, served as
 * JSON at {@code GET /openapi.json} with {@code info.version} set to the build version.
 */
public final class OpenApi {
  /** The document's resource, relative to this class. */
  static final String RESOURCE = "openapi.yaml";
  /** The vendor extension on each operation naming who may call it. */
  public static final String ACCESS = "x-defpi-access";
  /** The values {@link #ACCESS} takes. */
  public static final Set<String> ACCESS_LEVELS = Set.of("public", "process", "user", "admin");

  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  /** One operation of the document: who may call {@code method path}. */
  public record Operation(String method, String path, String access) {
    public Operation {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(access, "access");
    }
  }

  private final String json;
  private final List<Operation> operations;

  /** The document with {@code info.version} = {@code buildVersion}. */
  public OpenApi(String buildVersion) {
    Objects.requireNonNull(buildVersion, "buildVersion");
    ObjectNode document = Source.DOCUMENT.deepCopy();
    ((ObjectNode) document.get("info")).put("version", buildVersion);
    try {
      this.json = Bodies.JSON.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree always serialises", e);
    }
    this.operations = Source.OPERATIONS;
  }

  /** The document as JSON. */
  public String json() {
    return json;
  }

  /** Every operation of the document, in document order; methods in upper case. */
  public List<Operation> operations() {
    return operations;
  }

  /** The parsed YAML, read once per class loader. */
  private static final class Source {
    static final ObjectNode DOCUMENT = read();
    static final List<Operation> OPERATIONS = operations(DOCUMENT);

    private static ObjectNode read() {
      try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("no resource " + RESOURCE + " next to " + OpenApi.class.getName());
        }
        JsonNode tree = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).readTree(in);
        if (!(tree instanceof ObjectNode object) || !(object.get("info") instanceof ObjectNode)
            || !(object.get("paths") instanceof ObjectNode)) {
          throw new IllegalStateException(RESOURCE + " is not an OpenAPI document with info and paths");
        }
        return object;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + RESOURCE, e);
      }
    }

    private static List<Operation> operations(ObjectNode document) {
      List<Operation> operations = new ArrayList<>();
      for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
        for (Map.Entry<String, JsonNode> item : path.getValue().properties()) {
          if (!METHODS.contains(item.getKey())) {
            continue; // parameters, summary, …
          }
          JsonNode access = item.getValue().get(ACCESS);
          if (access == null || !ACCESS_LEVELS.contains(access.asText())) {
            throw new IllegalStateException(item.getKey() + " " + path.getKey() + " in " + RESOURCE + " needs "
                + ACCESS + " (one of " + ACCESS_LEVELS + "), not " + access);
          }
          operations.add(new Operation(item.getKey().toUpperCase(Locale.ROOT), path.getKey(), access.asText()));
        }
      }
      return List.copyOf(operations);
    }
  }
}
