package org.defpi.maven;

import java.io.File;
import java.io.IOException;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.defpi.maven.generate.ProtoCompiler.ProtocException;
import org.defpi.maven.generate.ServiceCodeGenerator;
import org.defpi.maven.service.InterfaceCache;
import org.defpi.maven.service.InvalidServiceException;
import org.eclipse.aether.RepositorySystem;

/**
 * Generates the service's code from service.json and its interface files into
 * {@code target/generated-sources/defpi}, and writes the stubs the developer fills in to
 * {@code src/main/java} where they do not exist yet. The work is done by {@link ServiceCodeGenerator}.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenerateMojo extends AbstractMojo {
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  private MavenSession session;

  /** The service description. */
  @Parameter(property = "defpi.serviceJson", defaultValue = "${project.basedir}/service.json")
  private File serviceJson;

  /** Java package of the generated code; default: groupId.artifactId, lower case, non-identifier characters removed. */
  @Parameter(property = "defpi.servicePackage")
  private String servicePackage;

  /** Where the generated code goes; emptied on each run and added as a compile source root. */
  @Parameter(defaultValue = "${project.build.directory}/generated-sources/defpi", required = true)
  private File outputDirectory;

  /** Where the stubs go when they do not exist yet. */
  @Parameter(defaultValue = "${project.build.sourceDirectory}", required = true)
  private File stubDirectory;

  /** A protoc executable to use instead of resolving {@code com.google.protobuf:protoc} from the repositories. */
  @Parameter(property = "defpi.protoc")
  private File protoc;

  /** The version of protoc to resolve; default: the protobuf version the defpi SDK is built with. */
  @Parameter(property = "defpi.protocVersion")
  private String protocVersion;

  /**
   * Where interface files given as http(s) URLs are cached (see {@link InterfaceCache}); default
   * {@code ~/.m2/defpi-interface-cache}. A URL is fetched once; offline builds read the cache.
   */
  @Parameter(property = InterfaceCache.DIRECTORY_PROPERTY)
  private File interfaceCache;

  /** Fetch interface files given as URLs again, replacing their cached copies. */
  @Parameter(property = "defpi.refreshInterfaces", defaultValue = "false")
  private boolean refreshInterfaces;

  private final RepositorySystem repositorySystem;

  @Inject
  public GenerateMojo(RepositorySystem repositorySystem) {
    this.repositorySystem = repositorySystem;
  }

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    File work = new File(project.getBuild().getDirectory(), "defpi");
    ServiceCodeGenerator generator = new ServiceCodeGenerator(this::protoc, getLog()::info);
    try {
      generator.generate(new ServiceCodeGenerator.Request(
          ServiceParameters.serviceJson(serviceJson, project).toPath(), project.getArtifactId(),
          ServiceParameters.servicePackage(servicePackage, project), outputDirectory.toPath(),
          stubDirectory.toPath(), work.toPath(), new InterfaceCache(
              interfaceCache == null ? InterfaceCache.defaultDirectory() : interfaceCache.toPath(),
              session.isOffline(), refreshInterfaces)));
    } catch (InvalidServiceException | ProtocException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (IOException e) {
      throw new MojoExecutionException("code generation failed: " + e.getMessage(), e);
    }
    project.addCompileSourceRoot(outputDirectory.getAbsolutePath());
  }

  private java.nio.file.Path protoc() throws IOException {
    if (protoc != null) {
      return protoc.toPath();
    }
    String version = protocVersion == null || protocVersion.isBlank() ? ProtocArtifact.defaultVersion() : protocVersion;
    String classifier;
    try {
      classifier = ProtocArtifact.currentClassifier();
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
    getLog().debug("resolving protoc " + version + " for " + classifier);
    return new MavenProtocResolver(repositorySystem, session.getRepositorySession(),
        project.getRemoteProjectRepositories(), new File(project.getBuild().getDirectory(), "defpi/protoc").toPath())
        .resolve(version, classifier);
  }
}
