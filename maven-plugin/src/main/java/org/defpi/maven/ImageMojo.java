package org.defpi.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;
import org.defpi.maven.generate.ServiceLayout;
import org.defpi.maven.image.ImageBuilder;
import org.defpi.maven.image.ImageBuilder.ImageBuildException;
import org.defpi.maven.image.ImagePlatform;
import org.defpi.maven.image.ImageRequest;
import org.defpi.maven.service.InvalidServiceException;
import org.defpi.maven.service.ServiceProject;
import org.defpi.wire.label.ImageLabels;

/**
 * Builds the service image with Jib (no Docker daemon) and pushes it as
 * {@code <registry>/services/<artifactId>} with tags {@code <version>} and {@code latest}, labelled as
 * WIRE.md section 3 says: one image per platform of the base image (linux/amd64 and linux/arm64 with
 * the default base) under one manifest list, and the arm64 image also as {@code <version>-arm},
 * {@code latest-arm}. Runs in the deploy phase unless bound elsewhere: building is pushing, so
 * {@code mvn deploy} publishes the service. The work is done by {@link ImageBuilder}.
 */
@Mojo(name = "image", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true,
    requiresDependencyResolution = ResolutionScope.RUNTIME)
public class ImageMojo extends AbstractMojo {
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  /** The service description. */
  @Parameter(property = "defpi.serviceJson", defaultValue = "${project.basedir}/service.json")
  private File serviceJson;

  /** Java package of the generated code; must be the one the generate goal used. */
  @Parameter(property = "defpi.servicePackage")
  private String servicePackage;

  /** The registry to push to; default 127.0.0.1:5000. */
  @Parameter(property = "defpi.registry")
  private String registry;

  /**
   * The base image, with {@code java} on its PATH and {@code /bin/sh}; default
   * {@code <registry>/defpi/jre:25}. With internet access e.g. {@code eclipse-temurin:21-jre}.
   */
  @Parameter(property = "defpi.baseImage")
  private String baseImage;

  /**
   * The platforms to build for, {@code os/architecture} (e.g. {@code linux/amd64}); default: linux/amd64
   * and linux/arm64 as far as the base image offers them.
   */
  @Parameter(property = "defpi.image.platforms")
  private List<String> platforms = new ArrayList<>();

  /** Also push {@code <tag>-arm} naming the linux/arm64 image alone, for the original orchestrator's ARM nodes. */
  @Parameter(property = "defpi.image.armTags", defaultValue = "true")
  private boolean armTags;

  /** The version tag; {@code latest} is pushed too unless {@link #latestTag} is off. */
  @Parameter(property = "defpi.image.tag", defaultValue = "${project.version}", required = true)
  private String tag;

  /**
   * Also push {@code latest} (and {@code latest-arm}). Off for an extra build of the same service
   * under another version tag, which should not become what a process without a version gets.
   */
  @Parameter(property = "defpi.image.latest", defaultValue = "true")
  private boolean latestTag;

  /** JVM flags for the entrypoint, before the orchestrator's {@code $JVM_ARGUMENTS} and {@code -cp}. */
  @Parameter
  private List<String> jvmFlags = new ArrayList<>();

  /** Talk plain HTTP to registries without TLS, like the loopback registry. */
  @Parameter(property = "defpi.allowInsecureRegistries", defaultValue = "true")
  private boolean allowInsecureRegistries;

  /** Skip building the image. */
  @Parameter(property = "defpi.image.skip", defaultValue = "false")
  private boolean skipImage;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skipImage) {
      getLog().info("skipping the image (defpi.image.skip)");
      return;
    }
    String packageName = ServiceParameters.servicePackage(servicePackage, project);
    String targetRegistry = registry == null || registry.isBlank() ? ServiceParameters.DEFAULT_REGISTRY : registry.strip();
    String base = baseImage == null || baseImage.isBlank()
        ? targetRegistry + ServiceParameters.DEFAULT_BASE_IMAGE_PATH : baseImage.strip();
    List<ImagePlatform> targetPlatforms = new ArrayList<>();
    try {
      for (String platform : platforms) {
        if (!platform.isBlank()) {
          targetPlatforms.add(ImagePlatform.parse(platform));
        }
      }
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException("parameter platforms: " + e.getMessage(), e);
    }
    try {
      ServiceProject service = ServiceProject.load(
          ServiceParameters.serviceJson(serviceJson, project).toPath(), project.getArtifactId());
      ServiceLayout layout = ServiceLayout.of(service, packageName);
      List<Path> jars = new ArrayList<>();
      for (Artifact artifact : project.getArtifacts()) {
        if (artifact.getArtifactHandler().isAddedToClasspath() && artifact.getFile() != null
            && (Artifact.SCOPE_COMPILE.equals(artifact.getScope()) || Artifact.SCOPE_RUNTIME.equals(artifact.getScope()))) {
          jars.add(artifact.getFile().toPath());
        }
      }
      new ImageBuilder(getLog()::info).build(new ImageRequest(
          base,
          ImageRequest.serviceRepository(targetRegistry, project.getArtifactId()),
          latestTag ? List.of(tag, "latest") : List.of(tag),
          service.imageLabels(),
          Map.of(ImageLabels.SERVICE_PACKAGE_ENV, packageName),
          Path.of(project.getBuild().getOutputDirectory()),
          jars,
          layout.main().canonicalName(),
          jvmFlags,
          targetPlatforms,
          armTags,
          allowInsecureRegistries,
          Optional.of(Path.of(project.getBuild().getDirectory(), "defpi", "jib-cache"))));
    } catch (InvalidServiceException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (ImageBuildException | IOException e) {
      throw new MojoExecutionException(e.getMessage(), e);
    }
  }
}
