package org.defpi.wire.service;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** An interface of a service as written in service.json. */
public record InterfaceDescription(
    String name, boolean autoConnect, boolean allowMultiple, List<InterfaceVersionDescription> interfaceVersions) {
  public InterfaceDescription {
    Objects.requireNonNull(name, "name");
    interfaceVersions = List.copyOf(interfaceVersions);
  }

  /** The interface id: {@code <serviceId>/<name lower-cased, spaces replaced by '-'>}. */
  public String idFor(String serviceId) {
    return serviceId + "/" + name.toLowerCase(Locale.ROOT).replace(' ', '-');
  }
}
