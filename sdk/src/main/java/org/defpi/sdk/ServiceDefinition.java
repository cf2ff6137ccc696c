package org.defpi.sdk;

import java.util.List;
import java.util.Objects;

/** Everything the runtime needs to run a service; built by the generated main class. */
public record ServiceDefinition<C>(
    Service<C> service, ConfigBinder<C> configBinder, List<InterfaceVersion> interfaceVersions) {
  public ServiceDefinition {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(configBinder, "configBinder");
    interfaceVersions = List.copyOf(interfaceVersions);
  }
}
