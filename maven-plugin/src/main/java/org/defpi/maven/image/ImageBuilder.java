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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Builds a service image with Jib and pushes it to a registry, with no Docker daemon. Layers on the
 * base image: release dependency jars, snapshot dependency jars (both in {@code /app/libs}),
 * resources ({@code /app/resources}), classes ({@code /app/classes}). Entrypoint, exec form:
 * {@code java [jvmFlags] -cp /app/libs/*:/app/classes:/app/resources <main>}. The base image's env and
 * labels carry over; ours are added on top.
 */
public final class ImageBuilder {
  private final Consumer<String> log;

  /** @param log receives Jib's progress and the pushed digest, one line each */
  public ImageBuilder(Consumer<String> log) {
    this.log = log;
  }

  public ImageResult build(ImageRequest request) throws ImageBuildException, IOException {
    try {
      List<Path> releases = new ArrayList<>();
      List<Path> snapshots = new ArrayList<>();
      for (Path jar : request.dependencies()) {
        (jar.getFileName().toString().contains("SNAPSHOT") ? snapshots : releases).add(jar);
      }
      JavaContainerBuilder java = JavaContainerBuilder.from(RegistryImage.named(request.baseImage()))
          .addDependencies(releases)
          .addSnapshotDependencies(snapshots)
          .addJvmFlags(request.jvmFlags())
          .setMainClass(request.mainClass());
      if (Files.isDirectory(request.classes())) {
        java.addClasses(request.classes()).addResources(request.classes());
      } else {
        throw new ImageBuildException("no compiled classes at " + request.classes() + ": compile the project first");
      }
      JibContainerBuilder container = java.toContainerBuilder()
          .setLabels(request.labels())
          .setEnvironment(request.environment());

      String primary = request.repository() + ":" + request.tags().get(0);
      Containerizer containerizer = Containerizer.to(RegistryImage.named(primary))
          .setAllowInsecureRegistries(request.allowInsecureRegistries())
          .setToolName("defpi-maven-plugin")
          .addEventHandler(LogEvent.class, this::onLog);
      for (String tag : request.tags().subList(1, request.tags().size())) {
        containerizer.withAdditionalTag(tag);
      }
      if (request.applicationLayersCache().isPresent()) {
        containerizer.setApplicationLayersCache(request.applicationLayersCache().get());
      }
      log.accept("building " + primary + " on " + request.baseImage());
      JibContainer pushed = container.containerize(containerizer);
      ImageResult result = new ImageResult(primary, pushed.getDigest().toString(), pushed.getImageId().toString(),
          pushed.getTags());
      log.accept("pushed " + request.repository() + " tags " + request.tags() + " digest " + result.digest());
      return result;
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
