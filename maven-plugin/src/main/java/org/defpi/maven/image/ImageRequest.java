package org.defpi.maven.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What goes into a service image.
 *
 * @param baseImage the image to build on, with {@code java} on its PATH and {@code /bin/sh} (e.g.
 *     {@code 127.0.0.1:5000/defpi/jre:25}, or {@code eclipse-temurin:21-jre} with internet access)
 * @param repository where to push, without tag (e.g. {@code 127.0.0.1:5000/services/power-meter})
 * @param tags the tags to push; the first one is the image's primary tag
 * @param labels the image config labels (WIRE.md section 3), on every platform's image
 * @param environment the image env (SERVICE_PACKAGE)
 * @param classes the project's compiled classes and resources
 * @param dependencies the runtime dependency jars
 * @param mainClass the generated main class the entrypoint runs
 * @param jvmFlags flags put after {@code java} in the entrypoint, before {@code $JVM_ARGUMENTS}
 * @param platforms the platforms to build for; empty: those of {@link ImagePlatform#DEFAULTS} the
 *     base image's manifest list offers (linux/amd64 alone when the base is a single image)
 * @param armTags also push {@code <tag>-arm} for every tag, naming the linux/arm64 image alone, as
 *     the original build tools named their ARM builds (WIRE.md section 3); only when building for arm64
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
    List<ImagePlatform> platforms,
    boolean armTags,
    boolean allowInsecureRegistries,
    Optional<Path> applicationLayersCache) {
  /** The suffix of the tags that name the ARM image alone (WIRE.md section 3). */
  public static final String ARM_SUFFIX = "-arm";

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
    platforms = List.copyOf(platforms);
    if (platforms.stream().distinct().count() != platforms.size()) {
      throw new IllegalArgumentException("platforms named twice: " + platforms);
    }
    Objects.requireNonNull(applicationLayersCache, "applicationLayersCache");
  }

  /** The repository of a service's images: {@code <registry>/services/<serviceId>} (WIRE.md section 3). */
  public static String serviceRepository(String registry, String serviceId) {
    return registry + "/services/" + serviceId;
  }
}
