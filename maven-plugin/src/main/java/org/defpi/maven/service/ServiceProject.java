package org.defpi.maven.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.defpi.wire.label.ImageLabels;
import org.defpi.wire.label.InterfaceLabel;
import org.defpi.wire.label.ServiceLabels;
import org.defpi.wire.service.InterfaceDescription;
import org.defpi.wire.service.InterfaceVersionDescription;
import org.defpi.wire.service.InvalidServiceDescriptionException;
import org.defpi.wire.service.Problem;
import org.defpi.wire.service.ServiceDescription;
import org.defpi.wire.service.ServiceDescriptionReader;

/**
 * A service as the build tools see it: its validated service.json, its service id, and the exact
 * bytes of every interface file. Both goals start here: the code generator and the image builder
 * must hash the same bytes, or the hashes compiled into the code would not match the labels.
 *
 * @param serviceId the Maven artifactId of the service's project (WIRE.md section 1)
 * @param interfaceFiles each version's interface file: where its bytes were read and the bytes
 */
public record ServiceProject(
    Path serviceJson,
    String serviceId,
    ServiceDescription description,
    Map<InterfaceVersionDescription, InterfaceFile> interfaceFiles,
    List<InterfaceLabel> interfaceLabels) {
  /**
   * One interface file as read.
   *
   * @param path the file read: next to service.json, or the cached copy of a URL
   * @param systemId where it came from, as a URI: the file's, or the URL (relative references in the
   *     file resolve against it)
   * @param bytes the exact bytes, the bytes its hashes are taken over
   */
  public record InterfaceFile(Path path, String systemId, byte[] bytes) {}

  public ServiceProject {
    Objects.requireNonNull(serviceJson, "serviceJson");
    Objects.requireNonNull(serviceId, "serviceId");
    Objects.requireNonNull(description, "description");
    interfaceFiles = Map.copyOf(interfaceFiles);
    interfaceLabels = List.copyOf(interfaceLabels);
  }

  /** {@link #load(Path, String, InterfaceCache)} with the {@linkplain InterfaceCache#standard() standard cache}. */
  public static ServiceProject load(Path serviceJson, String serviceId) throws InvalidServiceException, IOException {
    return load(serviceJson, serviceId, InterfaceCache.standard());
  }

  /**
   * Reads and validates {@code serviceJson} and the interface files it names: locations relative to
   * its directory, or http(s) URLs read through {@code cache}.
   *
   * @throws InvalidServiceException service.json breaks WIRE.md section 1, or an interface file is
   *     missing or cannot be fetched; every problem is listed with its JSON pointer
   */
  public static ServiceProject load(Path serviceJson, String serviceId, InterfaceCache cache)
      throws InvalidServiceException, IOException {
    byte[] json;
    try {
      json = Files.readAllBytes(serviceJson);
    } catch (NoSuchFileException e) {
      throw new InvalidServiceException("no service description",
          List.of(new Problem("", serviceJson + " does not exist")));
    }
    ServiceDescription description;
    try {
      description = ServiceDescriptionReader.read(json);
    } catch (InvalidServiceDescriptionException e) {
      throw new InvalidServiceException(serviceJson + " is invalid", e.problems());
    }
    List<Problem> strict = ServiceJsonChecks.check(json);
    if (!strict.isEmpty()) {
      throw new InvalidServiceException(serviceJson + " is invalid", strict);
    }
    Path directory = serviceJson.toAbsolutePath().getParent();
    List<Problem> problems = new ArrayList<>();
    // Two versions equal as values name the same file, so sharing one entry is harmless.
    Map<InterfaceVersionDescription, InterfaceFile> files = new HashMap<>();
    for (int i = 0; i < description.interfaces().size(); i++) {
      List<InterfaceVersionDescription> versions = description.interfaces().get(i).interfaceVersions();
      for (int j = 0; j < versions.size(); j++) {
        InterfaceVersionDescription version = versions.get(j);
        String at = "/interfaces/" + i + "/interfaceVersions/" + j + "/location";
        if (InterfaceCache.isUrl(version.location())) {
          try {
            Path cached = cache.fetch(version.location());
            files.put(version, new InterfaceFile(cached, version.location(), Files.readAllBytes(cached)));
          } catch (IOException e) {
            problems.add(new Problem(at, "'" + version.location() + "' " + e.getMessage()));
          }
          continue;
        }
        Path file = directory.resolve(version.location());
        if (!Files.isRegularFile(file)) {
          problems.add(new Problem(at, "interface file " + file + " does not exist"));
          continue;
        }
        files.put(version, new InterfaceFile(file, file.toUri().toString(), Files.readAllBytes(file)));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidServiceException(serviceJson + " names interface files that cannot be read", problems);
    }
    List<InterfaceLabel> labels = description.interfaces().stream()
        .map(iface -> InterfaceLabel.of(serviceId, iface, v -> files.get(v).bytes()))
        .toList();
    return new ServiceProject(serviceJson, serviceId, description, files, labels);
  }

  /** The directory interface file locations are relative to. */
  public Path directory() {
    return serviceJson.toAbsolutePath().getParent();
  }

  /** The file the interface file of {@code version} was read from (for a URL, its cached copy). */
  public Path interfaceFile(InterfaceVersionDescription version) {
    return file(version).path();
  }

  /** Where the interface file of {@code version} came from, as a URI (a file's, or the URL). */
  public String interfaceSystemId(InterfaceVersionDescription version) {
    return file(version).systemId();
  }

  /** The exact bytes of the interface file of {@code version}, the bytes its hashes are taken over. */
  public byte[] interfaceFileBytes(InterfaceVersionDescription version) {
    return file(version).bytes().clone();
  }

  private InterfaceFile file(InterfaceVersionDescription version) {
    InterfaceFile file = interfaceFiles.get(version);
    if (file == null) {
      throw new IllegalArgumentException("not a version of this service: " + version);
    }
    return file;
  }

  /** The label of {@code iface}, with the hashes of its versions. */
  public InterfaceLabel labelOf(InterfaceDescription iface) {
    int index = description.interfaces().indexOf(iface);
    if (index < 0) {
      throw new IllegalArgumentException("not an interface of this service: " + iface.name());
    }
    return interfaceLabels.get(index);
  }

  /** The four image labels of WIRE.md section 3. */
  public Map<String, String> imageLabels() {
    return ImageLabels.write(new ServiceLabels(description.name(), interfaceLabels, description.parameters()));
  }
}
