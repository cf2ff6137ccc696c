package org.defpi.maven;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Test fixtures: service projects under src/test/resources/fixtures, and the protoc the build copied. */
public final class Fixtures {
  private Fixtures() {}

  /** A copy of fixture {@code name} in {@code dir}, so a test may change it. */
  public static Path copy(String name, Path dir) {
    try {
      Path source = Path.of(Fixtures.class.getResource("/fixtures/" + name).toURI());
      try (Stream<Path> files = Files.walk(source)) {
        for (Path file : files.toList()) {
          Path target = dir.resolve(source.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(target);
          } else {
            Files.copy(file, target);
          }
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The protoc that maven-dependency-plugin copied for the tests (see the plugin's pom). */
  public static Path protoc() {
    String path = System.getProperty("defpi.test.protoc");
    if (path == null || !Files.isRegularFile(Path.of(path))) {
      throw new IllegalStateException("no protoc at defpi.test.protoc=" + path + ": run the tests through Maven");
    }
    return Path.of(path);
  }
}
