package org.defpi.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * Resolves protoc through Maven's own resolver (local repository, then the project's remote
 * repositories) and copies it into the build directory, where it may be made executable without
 * touching the local repository.
 */
final class MavenProtocResolver {
  private final RepositorySystem system;
  private final RepositorySystemSession session;
  private final List<RemoteRepository> repositories;
  private final Path targetDirectory;

  MavenProtocResolver(RepositorySystem system, RepositorySystemSession session, List<RemoteRepository> repositories,
      Path targetDirectory) {
    this.system = system;
    this.session = session;
    this.repositories = List.copyOf(repositories);
    this.targetDirectory = targetDirectory;
  }

  Path resolve(String version, String classifier) throws IOException {
    DefaultArtifact artifact = new DefaultArtifact(
        ProtocArtifact.GROUP_ID, ProtocArtifact.ARTIFACT_ID, classifier, ProtocArtifact.TYPE, version);
    Path resolved;
    try {
      resolved = system.resolveArtifact(session, new ArtifactRequest(artifact, repositories, null))
          .getArtifact().getFile().toPath();
    } catch (ArtifactResolutionException e) {
      throw new IOException("cannot resolve protoc " + artifact + ": " + e.getMessage(), e);
    }
    Path copy = targetDirectory.resolve("protoc-" + version + "-" + classifier + ".exe");
    if (!Files.exists(copy) || Files.size(copy) != Files.size(resolved)) {
      Files.createDirectories(targetDirectory);
      Files.copy(resolved, copy, StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.isExecutable(copy) && !copy.toFile().setExecutable(true)) {
      throw new IOException("cannot make " + copy + " executable");
    }
    return copy;
  }
}
