package org.defpi.maven.interfaces;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.defpi.maven.service.ServiceProject;
import org.defpi.wire.hash.InterfaceHash;
import org.defpi.wire.label.InterfaceLabel;
import org.defpi.wire.label.InterfaceVersionLabel;
import org.defpi.wire.service.InterfaceDescription;
import org.defpi.wire.service.InterfaceVersionDescription;

/**
 * A service's interfaces with the hashes of each version (WIRE.md section 2): what the image labels
 * will say, and what the orchestrator matches when it connects two processes (one side's
 * {@code sendsHash} must be the other's {@code receivesHash} and vice versa).
 */
public record InterfaceReport(String service, String version, String serviceId, List<Interface> interfaces) {
  public InterfaceReport {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(serviceId, "serviceId");
    interfaces = List.copyOf(interfaces);
  }

  /** One interface, as in the {@code org.flexiblepower.interfaces} label. */
  public record Interface(String id, String name, boolean autoConnect, boolean allowMultiple,
      List<Version> interfaceVersions) {
    public Interface {
      interfaceVersions = List.copyOf(interfaceVersions);
    }
  }

  /** One version: its file, the file's hash, and the hash of each direction's message set. */
  public record Version(String versionName, String type, String location, String fileHash, String sendsHash,
      String receivesHash, List<String> sends, List<String> receives) {
    public Version {
      sends = List.copyOf(sends);
      receives = List.copyOf(receives);
    }
  }

  /** The report of {@code project}; the hashes are those its image labels carry. */
  public static InterfaceReport of(ServiceProject project) {
    List<Interface> interfaces = new ArrayList<>();
    for (InterfaceDescription iface : project.description().interfaces()) {
      InterfaceLabel label = project.labelOf(iface);
      List<Version> versions = new ArrayList<>();
      for (int i = 0; i < iface.interfaceVersions().size(); i++) {
        InterfaceVersionDescription version = iface.interfaceVersions().get(i);
        InterfaceVersionLabel hashes = label.interfaceVersions().get(i);
        versions.add(new Version(version.versionName(), version.type().name().toLowerCase(Locale.ROOT),
            version.location(), InterfaceHash.fileHash(project.interfaceFileBytes(version)), hashes.sendsHash(),
            hashes.receivesHash(), version.sends(), version.receives()));
      }
      interfaces.add(new Interface(label.id(), iface.name(), iface.autoConnect(), iface.allowMultiple(), versions));
    }
    return new InterfaceReport(project.description().name(), project.description().version(), project.serviceId(),
        interfaces);
  }

  /** Lines for a person to read. */
  public List<String> text() {
    List<String> lines = new ArrayList<>();
    lines.add(service + " " + version + " (service id " + serviceId + "): " + interfaces.size()
        + (interfaces.size() == 1 ? " interface" : " interfaces"));
    for (Interface iface : interfaces) {
      lines.add("");
      lines.add(iface.name() + "  id " + iface.id() + "  autoConnect " + iface.autoConnect() + "  allowMultiple "
          + iface.allowMultiple());
      for (Version version : iface.interfaceVersions()) {
        lines.add("  " + version.versionName() + "  " + version.type() + " " + version.location());
        lines.add("    fileHash      " + version.fileHash());
        lines.add("    sendsHash     " + version.sendsHash() + "  sends " + version.sends());
        lines.add("    receivesHash  " + version.receivesHash() + "  receives " + version.receives());
      }
    }
    return lines;
  }

  /** The report as JSON, for scripts. */
  public String json() {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("records of strings and lists always serialize", e);
    }
  }
}
