package org.defpi.maven;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.defpi.maven.interfaces.InterfaceReport;
import org.defpi.maven.service.InvalidServiceException;
import org.defpi.maven.service.ServiceProject;

/**
 * Prints a service's interfaces with, per version, the hash of its file and of what it sends and
 * receives (WIRE.md section 2). Works without a pom: {@code mvn org.defpi:defpi-maven-plugin:<version>:interfaces
 * -Ddefpi.serviceJson=path/to/service.json}. The work is done by {@link InterfaceReport}.
 */
@Mojo(name = "interfaces", requiresProject = false, threadSafe = true)
public class InterfacesMojo extends AbstractMojo {
  @Parameter(defaultValue = "${project}", readonly = true)
  private MavenProject project;

  /** The service description; default service.json in the project's (or the current) directory. */
  @Parameter(property = "defpi.serviceJson")
  private File serviceJson;

  /**
   * The service id the interface ids are made of; default the project's artifactId, or without a pom
   * the name of service.json's directory.
   */
  @Parameter(property = "defpi.serviceId")
  private String serviceId;

  /** {@code text} or {@code json}. */
  @Parameter(property = "defpi.interfaces.format", defaultValue = "text")
  private String format;

  /** Write the report to this file instead of the build log. */
  @Parameter(property = "defpi.interfaces.output")
  private File output;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    boolean hasPom = project != null && project.getFile() != null;
    Path json = serviceJson != null ? serviceJson.toPath()
        : (hasPom ? project.getBasedir().toPath() : Path.of(System.getProperty("user.dir"))).resolve("service.json");
    json = json.toAbsolutePath();
    String id = serviceId != null && !serviceId.isBlank() ? serviceId.strip()
        : hasPom ? project.getArtifactId() : json.getParent().getFileName().toString();
    if (!format.equals("text") && !format.equals("json")) {
      throw new MojoFailureException("format '" + format + "' is not text or json");
    }
    InterfaceReport report;
    try {
      report = InterfaceReport.of(ServiceProject.load(json, id));
    } catch (InvalidServiceException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (IOException e) {
      throw new MojoExecutionException("could not read " + json + ": " + e.getMessage(), e);
    }
    String text = format.equals("json") ? report.json() : String.join("\n", report.text());
    if (output != null) {
      try {
        Files.createDirectories(output.toPath().toAbsolutePath().getParent());
        Files.writeString(output.toPath(), text + "\n", StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new MojoExecutionException("could not write " + output + ": " + e.getMessage(), e);
      }
      getLog().info("interfaces of " + json + " written to " + output);
      return;
    }
    text.lines().forEach(getLog()::info);
  }
}
