package org.defpi.wire.label;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.defpi.wire.service.Parameter;
import org.defpi.wire.service.Problem;
import org.defpi.wire.service.ServiceDescriptionReader;

/**
 * The labels on a service image's config (WIRE.md section 3), written by the build tools and read
 * by the orchestrator's registry connector.
 */
public final class ImageLabels {
  public static final String SERVICE_NAME = "org.flexiblepower.serviceName";
  public static final String INTERFACES = "org.flexiblepower.interfaces";
  public static final String PARAMETERS = "org.flexiblepower.parameters";
  public static final String API_VERSION = "org.flexiblepower.defpi_api_version";
  public static final String CURRENT_API_VERSION = "1";
  /** Image env var naming the Java package of the generated service code. */
  public static final String SERVICE_PACKAGE_ENV = "SERVICE_PACKAGE";

  // Labels of other tools' versions may carry fields we do not know: ignore them, never fail.
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private ImageLabels() {}

  /** The four labels of a service image, in the spelling the original tools wrote. */
  public static Map<String, String> write(ServiceLabels service) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(SERVICE_NAME, service.serviceName());
    labels.put(INTERFACES, toJson(MAPPER.valueToTree(service.interfaces())));
    labels.put(PARAMETERS, service.parameters().isEmpty() ? "null" : toJson(parametersJson(service.parameters())));
    labels.put(API_VERSION, CURRENT_API_VERSION);
    return labels;
  }

  /** Reads the labels of an image; a missing or malformed label is refused with the reason. */
  public static ServiceLabels read(Map<String, String> labels) throws InvalidLabelsException {
    String name = labels.get(SERVICE_NAME);
    if (name == null || name.isBlank()) {
      throw new InvalidLabelsException("label " + SERVICE_NAME + " is missing");
    }
    String ifaceJson = labels.get(INTERFACES);
    if (ifaceJson == null) {
      throw new InvalidLabelsException("label " + INTERFACES + " is missing");
    }
    List<InterfaceLabel> interfaces;
    try {
      interfaces = List.of(MAPPER.readValue(ifaceJson, InterfaceLabel[].class));
    } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
      throw new InvalidLabelsException("label " + INTERFACES + " is malformed: " + rootMessage(e));
    }
    List<Parameter> parameters = List.of();
    String paramJson = labels.get(PARAMETERS);
    if (paramJson != null) {
      try {
        List<Problem> problems = new ArrayList<>();
        parameters = ServiceDescriptionReader.readParameters(MAPPER.readTree(paramJson), "", problems);
        if (!problems.isEmpty()) {
          throw new InvalidLabelsException("label " + PARAMETERS + " is malformed: "
              + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        }
      } catch (JsonProcessingException e) {
        throw new InvalidLabelsException("label " + PARAMETERS + " is not JSON: " + e.getOriginalMessage());
      }
    }
    return new ServiceLabels(name, interfaces, parameters);
  }

  private static ArrayNode parametersJson(List<Parameter> parameters) {
    ArrayNode array = MAPPER.createArrayNode();
    for (Parameter p : parameters) {
      ObjectNode o = array.addObject();
      o.put("id", p.id());
      o.put("name", p.name());
      o.put("type", p.type().jsonName());
      o.put("array", p.isArray());
      o.put("optional", p.isOptional());
      o.put("isArray", p.isArray());
      o.put("isOptional", p.isOptional());
      if (!p.values().isEmpty()) {
        p.values().forEach(o.putArray("values")::add);
      }
      if (!p.labels().isEmpty()) {
        p.labels().forEach(o.putArray("labels")::add);
      }
      p.defaultValue().ifPresent(d -> o.put("default", d));
    }
    return array;
  }

  private static String toJson(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree always serialises", e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : String.valueOf(t.getMessage());
  }
}
