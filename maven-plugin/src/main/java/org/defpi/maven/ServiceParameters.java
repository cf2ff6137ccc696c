package org.defpi.maven;

import java.io.File;
import org.apache.maven.project.MavenProject;
import org.defpi.maven.generate.JavaNames;

/** What both goals derive alike from the project. */
final class ServiceParameters {
  /** The registry of {@code defpi.registry} in the defpi parent POM, for projects that do not inherit it. */
  static final String DEFAULT_REGISTRY = "127.0.0.1:5000";
  static final String DEFAULT_BASE_IMAGE_PATH = "/defpi/jre:25";

  private ServiceParameters() {}

  static String servicePackage(String configured, MavenProject project) {
    return configured == null || configured.isBlank()
        ? JavaNames.defaultPackage(project.getGroupId(), project.getArtifactId())
        : configured.strip();
  }

  static File serviceJson(File configured, MavenProject project) {
    return configured != null ? configured : new File(project.getBasedir(), "service.json");
  }
}
