package org.defpi.maven.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What goes into a service image.
 *
 * @param baseImage the image to build on, with java on its PATH (e.g. {@code 127.0.0.1:5000/defpi/jre:25})
 * @param repository where to push, without tag (e.g. {@code 127.0.0.1:5000/services/power-meter})
 * @param tags the tags to push; the first one is the image's primary tag
 * @param labels the image config labels (WIRE.md section 3)
 * @param environment the image env (SERVICE_PACKAGE)
 * @param classes the project's compiled classes and resources
 * @param dependencies the runtime dependency jars
 * @param mainClass the generated main class the entrypoint runs
 * @param jvmFlags flags put before {@code -cp} in the entrypoint
 * @param allowInsecureRegistries talk plain HTTP to registries that lack TLS (the loopback registry)
 * @param applicationLayersCache where Jib caches the application layers; empty: a temporary directory
 */
public record ImageRequest(
    String baseImage,
    String repository,
    List<String> tags,
    Map<String, String> labels,
    Map<String, String> environment,
    Path classes,
    List<Path> dependencies,
    String mainClass,
    List<String> jvmFlags,
    boolean allowInsecureRegistries,
    Optional<Path> applicationLayersCache) {
  public ImageRequest {
    Objects.requireNonNull(baseImage, "baseImage");
    Objects.requireNonNull(repository, "repository");
    tags = List.copyOf(tags);
    if (tags.isEmpty()) {
      throw new IllegalArgumentException("an image needs at least one tag");
    }
    labels = Map.copyOf(labels);
    environment = Map.copyOf(environment);
    Objects.requireNonNull(classes, "classes");
    dependencies = List.copyOf(dependencies);
    Objects.requireNonNull(mainClass, "mainClass");
    jvmFlags = List.copyOf(jvmFlags);
    Objects.requireNonNull(applicationLayersCache, "applicationLayersCache");
  }

  /** The repository of a service's images: {@code <registry>/services/<serviceId>} (WIRE.md section 3). */
  public static String serviceRepository(String registry, String serviceId) {
    return registry + "/services/" + serviceId;
  }
}
