package org.defpi.wire.service;

import java.util.List;
import java.util.Objects;

/** One version of an interface: the file describing its messages and which of them flow which way. */
public record InterfaceVersionDescription(
    String versionName, InterfaceType type, String location, List<String> sends, List<String> receives) {
  public InterfaceVersionDescription {
    Objects.requireNonNull(versionName, "versionName");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(location, "location");
    sends = List.copyOf(sends);
    receives = List.copyOf(receives);
  }
}
