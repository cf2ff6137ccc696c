package org.defpi.wire.service;

import java.util.List;
import java.util.Objects;

/**
 * A service as described by its service.json (WIRE.md section 1). Read and validated by
 * {@link ServiceDescriptionReader}.
 */
public record ServiceDescription(
    String name, String version, List<Parameter> parameters, List<InterfaceDescription> interfaces) {
  public ServiceDescription {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    parameters = List.copyOf(parameters);
    interfaces = List.copyOf(interfaces);
  }
}
