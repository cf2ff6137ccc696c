package org.defpi.wire.label;

import java.util.List;
import java.util.Objects;
import org.defpi.wire.service.Parameter;

/** What the labels of a service image say about the service (WIRE.md section 3). */
public record ServiceLabels(String serviceName, List<InterfaceLabel> interfaces, List<Parameter> parameters) {
  public ServiceLabels {
    Objects.requireNonNull(serviceName, "serviceName");
    interfaces = List.copyOf(interfaces);
    parameters = List.copyOf(parameters);
  }
}
