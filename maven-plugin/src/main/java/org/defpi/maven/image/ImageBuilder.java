package org.defpi.maven.image;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.JavaContainerBuilder;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Builds a service image with Jib and pushes it to a registry, with no Docker daemon: one image per
 * platform, under one manifest list when there are several. Layers on the base image: release
 * dependency jars, snapshot dependency jars (both in {@code /app/libs}), resources
 * ({@code /app/resources}), classes ({@code /app/classes}). Entrypoint: see {@link Entrypoint}. The
 * base image's env and labels carry over; ours are added on top, on every platform's image.
 *
 * <p>With {@link ImageRequest#armTags()}, the linux/arm64 image is pushed once more under the
 * {@code -arm} tags. Jib builds reproducibly (fixed times, same layers), so that second push only
 * adds a manifest, the same one the manifest list names.
 */
public final class ImageBuilder {
  private final Consumer<String> log;
  private final BaseImageInspector inspector = new BaseImageInspector();

  /** @param log receives Jib's progress and the pushed digests, one line each */
  public ImageBuilder(Consumer<String> log) {
    this.log = log;
  }

  public ImageResult build(ImageRequest request) throws ImageBuildException, IOException {
    if (!Files.isDirectory(request.classes())) {
      throw new ImageBuildException("no compiled classes at " + request.classes() + ": compile the project first");
    }
    try {
      List<ImagePlatform> platforms = platforms(request);
      String primary = request.repository() + ":" + request.tags().get(0);
      log.accept("building " + primary + " for " + platforms + " on " + request.baseImage());
      JibContainer pushed = container(request, platforms).containerize(containerizer(request, request.tags()));
      log.accept("pushed " + request.repository() + " tags " + request.tags() + " digest " + pushed.getDigest());

      Optional<String> armDigest = Optional.empty();
      if (request.armTags() && platforms.contains(ImagePlatform.LINUX_ARM64)) {
        List<String> armTags = request.tags().stream().map(tag -> tag + ImageRequest.ARM_SUFFIX).toList();
        JibContainer arm = container(request, List.of(ImagePlatform.LINUX_ARM64))
            .containerize(containerizer(request, armTags));
        armDigest = Optional.of(arm.getDigest().toString());
        log.accept("pushed " + request.repository() + " tags " + armTags + " (linux/arm64) digest " + arm.getDigest());
      }
      return new ImageResult(primary, pushed.getDigest().toString(), pushed.getImageId().toString(), pushed.getTags(),
          platforms, armDigest);
    } catch (InvalidImageReferenceException e) {
      throw new ImageBuildException("invalid image reference: " + e.getMessage(), e);
    } catch (RegistryException | CacheDirectoryCreationException e) {
      throw new ImageBuildException("could not build " + request.repository() + ": " + e.getMessage(), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new ImageBuildException("could not build " + request.repository() + ": " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageBuildException("interrupted while building " + request.repository(), e);
    }
  }

  /** The requested platforms, or the defaults the base image offers. */
  private List<ImagePlatform> platforms(ImageRequest request)
      throws ImageBuildException, IOException, RegistryException, InvalidImageReferenceException {
    if (!request.platforms().isEmpty()) {
      return request.platforms();
    }
    Optional<List<ImagePlatform>> offered = inspector.indexPlatforms(request.baseImage(), ImagePlatform.DEFAULTS,
        request.allowInsecureRegistries());
    if (offered.isEmpty()) {
      // A single image: Jib takes its platform as it is (it checks only platforms other than its default).
      log.accept("base image " + request.baseImage() + " is a single-platform image: building one image");
      return List.of(ImagePlatform.LINUX_AMD64);
    }
    if (offered.get().isEmpty()) {
      throw new ImageBuildException("base image " + request.baseImage() + " offers none of " + ImagePlatform.DEFAULTS
          + ": name the platforms to build for (parameter platforms)");
    }
    return offered.get();
  }

  private JibContainerBuilder container(ImageRequest request, List<ImagePlatform> platforms)
      throws InvalidImageReferenceException, IOException {
    List<Path> releases = new ArrayList<>();
    List<Path> snapshots = new ArrayList<>();
    for (Path jar : request.dependencies()) {
      (jar.getFileName().toString().contains("SNAPSHOT") ? snapshots : releases).add(jar);
    }
    JibContainerBuilder container = JavaContainerBuilder.from(RegistryImage.named(request.baseImage()))
        .addDependencies(releases)
        .addSnapshotDependencies(snapshots)
        .addClasses(request.classes())
        .addResources(request.classes())
        .setMainClass(request.mainClass())
        .toContainerBuilder();
    Set<Platform> jibPlatforms = new LinkedHashSet<>();
    platforms.forEach(p -> jibPlatforms.add(p.toJib()));
    return container
        .setEntrypoint(Entrypoint.shellForm(container.toContainerBuildPlan().getEntrypoint(), request.jvmFlags()))
        .setLabels(request.labels())
        .setEnvironment(request.environment())
        .setPlatforms(jibPlatforms);
  }

  private Containerizer containerizer(ImageRequest request, List<String> tags) throws InvalidImageReferenceException {
    Containerizer containerizer = Containerizer.to(RegistryImage.named(request.repository() + ":" + tags.get(0)))
        .setAllowInsecureRegistries(request.allowInsecureRegistries())
        .setToolName("defpi-maven-plugin")
        .addEventHandler(LogEvent.class, this::onLog);
    for (String tag : tags.subList(1, tags.size())) {
      containerizer.withAdditionalTag(tag);
    }
    if (request.applicationLayersCache().isPresent()) {
      containerizer.setApplicationLayersCache(request.applicationLayersCache().get());
    }
    return containerizer;
  }

  private void onLog(LogEvent event) {
    switch (event.getLevel()) {
      case ERROR, WARN, LIFECYCLE, PROGRESS -> log.accept(event.getMessage());
      default -> {
        // INFO and DEBUG: Jib's per-step chatter, too much for a build log.
      }
    }
  }

  /** The image could not be built or pushed; the message says why. */
  public static final class ImageBuildException extends Exception {
    public ImageBuildException(String message) {
      super(message);
    }

    public ImageBuildException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
