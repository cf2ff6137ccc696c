package org.defpi.wire.label;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.defpi.wire.hash.InterfaceHash;
import org.defpi.wire.service.InterfaceDescription;
import org.defpi.wire.service.InterfaceVersionDescription;

/** One interface as it appears in the {@code org.flexiblepower.interfaces} label (WIRE.md section 3). */
public record InterfaceLabel(
    String id,
    String name,
    String serviceId,
    List<InterfaceVersionLabel> interfaceVersions,
    boolean allowMultiple,
    boolean autoConnect) {
  public InterfaceLabel {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(serviceId, "serviceId");
    interfaceVersions = List.copyOf(interfaceVersions);
  }

  /**
   * The label of an interface of service {@code serviceId}, hashing each version's interface file
   * as {@code fileBytes} gives it (the exact bytes the code was generated from).
   */
  public static InterfaceLabel of(
      String serviceId, InterfaceDescription description, Function<InterfaceVersionDescription, byte[]> fileBytes) {
    List<InterfaceVersionLabel> versions = description.interfaceVersions().stream()
        .map(v -> {
          String fileHash = InterfaceHash.fileHash(fileBytes.apply(v));
          return new InterfaceVersionLabel(
              v.versionName(),
              InterfaceHash.messageSetHash(fileHash, v.receives()),
              InterfaceHash.messageSetHash(fileHash, v.sends()));
        })
        .toList();
    return new InterfaceLabel(
        description.idFor(serviceId), description.name(), serviceId, versions,
        description.allowMultiple(), description.autoConnect());
  }
}
