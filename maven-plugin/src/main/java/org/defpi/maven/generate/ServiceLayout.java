package org.defpi.maven.generate;

import com.palantir.javapoet.ClassName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.defpi.maven.service.InvalidServiceException;
import org.defpi.maven.service.ServiceProject;
import org.defpi.wire.label.InterfaceLabel;
import org.defpi.wire.label.InterfaceVersionLabel;
import org.defpi.wire.service.InterfaceDescription;
import org.defpi.wire.service.InterfaceVersionDescription;
import org.defpi.wire.service.Problem;

/**
 * Every Java name the generated code of a service uses (ARCHITECTURE.md, "Generated code"). For a
 * service {@code Power Meter} in package {@code P} with interface {@code Power Measurement} version
 * {@code v1}: prefix {@code PowerMeter}, interface package {@code P.powermeasurement}, version
 * package {@code P.powermeasurement.v1}, protoc output in {@code P.powermeasurement.v1.proto}, xjc
 * output (XSD versions) in {@code P.powermeasurement.v1.xml}.
 */
public record ServiceLayout(String packageName, String prefix, List<InterfaceLayout> interfaces) {
  public ServiceLayout {
    interfaces = List.copyOf(interfaces);
  }

  /**
   * Derives the names for {@code project} in {@code packageName}.
   *
   * @throws InvalidServiceException a name yields no Java name, or two names yield the same one
   */
  public static ServiceLayout of(ServiceProject project, String packageName) throws InvalidServiceException {
    List<Problem> problems = new ArrayList<>();
    if (!JavaNames.isPackageName(packageName)) {
      problems.add(new Problem("", "the service package '" + packageName + "' is not a Java package name"));
    }
    String prefix = JavaNames.typePart(project.description().name(), "S");
    if (prefix.isEmpty()) {
      problems.add(new Problem("/name", "'" + project.description().name() + "' holds no letter or digit to name classes after"));
    }
    List<InterfaceLayout> interfaces = new ArrayList<>();
    Map<String, String> segments = new HashMap<>();
    Map<String, String> prefixes = new HashMap<>();
    List<InterfaceDescription> descriptions = project.description().interfaces();
    for (int i = 0; i < descriptions.size(); i++) {
      InterfaceDescription iface = descriptions.get(i);
      String at = "/interfaces/" + i;
      String segment = JavaNames.packageSegment(iface.name(), "i");
      String ifacePrefix = JavaNames.typePart(iface.name(), "I");
      if (segment.isEmpty()) {
        problems.add(new Problem(at + "/name", "'" + iface.name() + "' holds no letter or digit to name classes after"));
        continue;
      }
      unique(segments, segment, at + "/name", "package segment", problems);
      unique(prefixes, ifacePrefix, at + "/name", "class name prefix", problems);
      String ifacePackage = packageName + "." + segment;
      InterfaceLabel label = project.labelOf(iface);
      List<VersionLayout> versions = new ArrayList<>();
      Map<String, String> versionSegments = new HashMap<>();
      Map<String, String> versionPrefixes = new HashMap<>();
      for (int j = 0; j < iface.interfaceVersions().size(); j++) {
        InterfaceVersionDescription version = iface.interfaceVersions().get(j);
        String vat = at + "/interfaceVersions/" + j + "/versionName";
        String vSegment = JavaNames.packageSegment(version.versionName(), "v");
        String vPrefix = JavaNames.typePart(version.versionName(), "V");
        if (vSegment.isEmpty()) {
          problems.add(new Problem(vat, "'" + version.versionName() + "' holds no letter or digit to name classes after"));
          continue;
        }
        unique(versionSegments, vSegment, vat, "package segment", problems);
        unique(versionPrefixes, vPrefix, vat, "class name prefix", problems);
        InterfaceVersionLabel hashes = label.interfaceVersions().get(j);
        versions.add(new VersionLayout(version, "/interfaces/" + i + "/interfaceVersions/" + j,
            ifacePackage + "." + vSegment, ifacePrefix + vPrefix, vPrefix, hashes.receivesHash(), hashes.sendsHash()));
      }
      interfaces.add(new InterfaceLayout(iface, label.id(), ifacePackage, ifacePrefix, versions));
    }
    if (!problems.isEmpty()) {
      throw new InvalidServiceException("service.json names cannot all be turned into Java names", problems);
    }
    return new ServiceLayout(packageName, prefix, interfaces);
  }

  private static void unique(Map<String, String> seen, String name, String at, String what, List<Problem> problems) {
    String first = seen.putIfAbsent(name, at);
    if (first != null) {
      problems.add(new Problem(at, "gives the Java " + what + " '" + name + "', as " + first + " does already"));
    }
  }

  public ClassName configuration() {
    return ClassName.get(packageName, prefix + "Configuration");
  }

  public ClassName configurationBinder() {
    return ClassName.get(packageName, prefix + "ConfigurationBinder");
  }

  public ClassName main() {
    return ClassName.get(packageName, prefix + "Main");
  }

  /** The developer's service class (a stub, written once). */
  public ClassName service() {
    return ClassName.get(packageName, prefix + "Service");
  }

  /** One interface: {@code P.<iface>.<Iface>ConnectionManager} and its versions. */
  public record InterfaceLayout(
      InterfaceDescription description, String interfaceId, String packageName, String prefix, List<VersionLayout> versions) {
    public InterfaceLayout {
      versions = List.copyOf(versions);
    }

    public ClassName manager() {
      return ClassName.get(packageName, prefix + "ConnectionManager");
    }

    /** The developer's manager (a stub, written once), constructed with the service. */
    public ClassName managerImpl() {
      return ClassName.get(packageName, prefix + "ConnectionManagerImpl");
    }

    /** The variable the main class keeps this interface's manager in. */
    String variable() {
      return JavaNames.lowerFirst(prefix) + "Manager";
    }
  }

  /**
   * One interface version: {@code P.<iface>.<version>.<Iface><Version>ConnectionHandler}.
   *
   * @param pointer the JSON pointer of this version in service.json
   * @param prefix interface and version prefix together, e.g. {@code PowerMeasurementV1}
   * @param versionPrefix the version's own prefix, e.g. {@code V1} (in {@code buildV1})
   */
  public record VersionLayout(
      InterfaceVersionDescription description,
      String pointer,
      String packageName,
      String prefix,
      String versionPrefix,
      String receivesHash,
      String sendsHash) {
    public ClassName handler() {
      return ClassName.get(packageName, prefix + "ConnectionHandler");
    }

    /** The developer's handler (a stub, written once), constructed with the connection and the service. */
    public ClassName handlerImpl() {
      return ClassName.get(packageName, prefix + "ConnectionHandlerImpl");
    }

    /** The manager's method that builds this version's handler. */
    public String buildMethod() {
      return "build" + versionPrefix;
    }

    /** The package protoc writes this version's message classes to. */
    public String protoPackage() {
      return packageName + ".proto";
    }

    /** The outer class protoc nests this version's message classes in. */
    public ClassName protoOuterClass() {
      return ClassName.get(protoPackage(), prefix + "Proto");
    }

    /** The package xjc writes this version's JAXB classes to. */
    public String xmlPackage() {
      return packageName + ".xml";
    }

    /** The class protoc writes for {@code messageType} (proto versions only). */
    public ClassName messageClass(String messageType) {
      return protoOuterClass().nestedClass(messageType);
    }

    /** Every message type of this version, sent and received, sorted, without duplicates. */
    public List<String> messageTypes() {
      return java.util.stream.Stream.concat(description.sends().stream(), description.receives().stream())
          .distinct().sorted().toList();
    }
  }
}
