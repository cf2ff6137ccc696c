package org.defpi.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Dependencies between the API and the runtime point one way: the runtime ({@code internal})
 * implements and uses the API's types, and {@link ServiceRunner} is the one API class that starts
 * the runtime. Checked on the compiled classes: a class refers to another exactly when the other's
 * binary name is in its constant pool, so a plain byte search finds every reference (and no
 * comment).
 */
class ApiBoundaryTest {
  private static final String INTERNAL = "org/defpi/sdk/internal/";
  private static final String SERVICE_RUNNER = "org/defpi/sdk/ServiceRunner";

  @Test
  void onlyServiceRunnerOfTheApiReachesIntoTheRuntime() throws Exception {
    List<String> offenders = classes(apiPackage())
        .filter(c -> !c.getFileName().toString().startsWith("ServiceRunner"))
        .filter(c -> mentions(c, INTERNAL))
        .map(ApiBoundaryTest::name)
        .toList();

    assertThat(offenders).as("API classes that refer to org.defpi.sdk.internal").isEmpty();
    assertThat(mentions(apiPackage().resolve("ServiceRunner.class"), INTERNAL)).isTrue();
  }

  @Test
  void theRuntimeNeverRefersToServiceRunner() throws Exception {
    List<String> offenders = classes(apiPackage().resolve("internal"))
        .filter(c -> mentions(c, SERVICE_RUNNER))
        .map(ApiBoundaryTest::name)
        .toList();

    assertThat(offenders).as("runtime classes that refer to ServiceRunner").isEmpty();
  }

  private static Path apiPackage() throws URISyntaxException {
    return Path.of(ServiceRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve("org/defpi/sdk");
  }

  private static Stream<Path> classes(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> classes = files.filter(f -> f.toString().endsWith(".class")).toList();
      assertThat(classes).as("compiled classes in " + dir).isNotEmpty();
      return classes.stream();
    }
  }

  private static boolean mentions(Path classFile, String binaryName) {
    try {
      // Constant-pool names are modified UTF-8; for ASCII names that is ISO-8859-1 byte for byte.
      return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains(binaryName);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String name(Path classFile) {
    return classFile.getFileName().toString().replace(".class", "");
  }
}
