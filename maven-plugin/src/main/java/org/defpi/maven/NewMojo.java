package org.defpi.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.defpi.maven.scaffold.ServiceScaffold;
import org.defpi.maven.scaffold.ServiceScaffold.DirectoryNotEmptyException;

/**
 * Creates a new service project in {@code <directory>/<serviceId>}: pom.xml, service.json with one
 * example proto interface, the .proto. Needs no project:
 * {@code mvn org.defpi:defpi-maven-plugin:<version>:new -DserviceId=battery-manager -Dpackage=com.acme.battery}.
 * The work is done by {@link ServiceScaffold}.
 */
@Mojo(name = "new", requiresProject = false, threadSafe = true)
public class NewMojo extends AbstractMojo {
  /** The service id, which is the artifactId and the directory name: lower case, parts joined by '-', '_' or '.'. */
  @Parameter(property = "serviceId", required = true)
  private String serviceId;

  /** The Java package of the generated code; default {@code <groupId>.<serviceId>} made legal. */
  @Parameter(property = "package")
  private String packageName;

  /** The project's groupId; default {@code org.example}. */
  @Parameter(property = "groupId")
  private String groupId;

  /** The service's display name; default the service id's words capitalised. */
  @Parameter(property = "serviceName")
  private String serviceName;

  /** The project's and the service's version; default 0.1.0. */
  @Parameter(property = "serviceVersion")
  private String serviceVersion;

  /** Where the project's directory is made; default the current directory. */
  @Parameter(property = "directory", defaultValue = "${user.dir}")
  private File directory;

  /** The defpi version the project uses: this plugin's. */
  @Parameter(defaultValue = "${plugin.version}", readonly = true, required = true)
  private String pluginVersion;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    ServiceScaffold.Request request;
    try {
      request = ServiceScaffold.Request.of(directory.toPath().toAbsolutePath(), serviceId, Optional.ofNullable(groupId),
          Optional.ofNullable(packageName), Optional.ofNullable(serviceName), Optional.ofNullable(serviceVersion),
          pluginVersion);
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException(e.getMessage(), e);
    }
    List<Path> files;
    try {
      files = new ServiceScaffold().create(request);
    } catch (DirectoryNotEmptyException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (IOException e) {
      throw new MojoExecutionException("could not write the project: " + e.getMessage(), e);
    }
    getLog().info("created service '" + request.name() + "' (" + request.groupId() + ":" + request.serviceId() + ":"
        + request.version() + ", package " + request.packageName() + ") in " + request.directory());
    files.forEach(file -> getLog().info("  " + request.directory().relativize(file)));
    getLog().info("next: cd " + request.serviceId() + " && mvn install   (generates the code; fill in the stubs in "
        + "src/main/java)");
    getLog().info("      mvn deploy    (pushes the image to 127.0.0.1:5000/services/" + request.serviceId() + ")");
  }
}
