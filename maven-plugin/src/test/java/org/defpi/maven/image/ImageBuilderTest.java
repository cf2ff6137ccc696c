package org.defpi.maven.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.defpi.maven.Commands;
import org.defpi.maven.Fixtures;
import org.defpi.maven.TestCompiler;
import org.defpi.maven.TestRegistry;
import org.defpi.maven.service.ServiceProject;
import org.defpi.wire.label.ImageLabels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the fixture's image against the real registry of the environment (scripts/env.sh starts it
 * on 127.0.0.1:5000, with the base image as a linux/amd64 + linux/arm64 manifest list), reads it back
 * over the registry's HTTP API v2, and runs each platform's image with Docker (arm64 under the qemu
 * emulation scripts/env.sh registers). With DEFPI_ARM64=0 the base is amd64 alone, and so is the image.
 *
 * <p>The main class is a stand-in that prints what the entrypoint gave it, so the test sees the
 * shell form at work: PID 1, the flags of the build and of JVM_ARGUMENTS, the classpath.
 */
class ImageBuilderTest {
  static final String SERVICE_ID = "defpi-maven-plugin-test";
  static final String MAIN = "org.example.powermeter.PowerMeterMain";
  static final TestRegistry REGISTRY = new TestRegistry("services/" + SERVICE_ID);

  static ServiceProject project;
  static List<ImagePlatform> basePlatforms;
  static ImageResult result;
  static List<String> log = new ArrayList<>();

  @BeforeAll
  static void build(@TempDir Path dir) throws Exception {
    project = ServiceProject.load(Fixtures.copy("power-meter", dir.resolve("project")).resolve("service.json"),
        SERVICE_ID);
    basePlatforms = new BaseImageInspector().indexPlatforms(TestRegistry.BASE_IMAGE, ImagePlatform.DEFAULTS, true)
        .orElse(List.of(ImagePlatform.LINUX_AMD64));
    Path sources = Files.createDirectories(dir.resolve("src/org/example/powermeter"));
    Files.writeString(sources.resolve("PowerMeterMain.java"), """
        package org.example.powermeter;

        public class PowerMeterMain {
          public static void main(String[] args) {
            System.out.println("main pid=" + ProcessHandle.current().pid() + " arch=" + System.getProperty("os.arch")
                + " fromBuild=" + System.getProperty("defpi.fromBuild") + " fromEnv=" + System.getProperty("defpi.fromEnv")
                + " package=" + System.getenv("SERVICE_PACKAGE")
                + " resource=" + (PowerMeterMain.class.getResource("/simplelogger.properties") != null));
          }
        }
        """);
    Path classes = dir.resolve("classes");
    TestCompiler.compile(classes, dir.resolve("src"));
    Files.writeString(classes.resolve("simplelogger.properties"), "org.slf4j.simpleLogger.defaultLogLevel=info\n");
    List<Path> jars = List.of(jar(dir.resolve("lib-1.0.jar")), jar(dir.resolve("sdk-0.1.0-SNAPSHOT.jar")));

    result = new ImageBuilder(log::add).build(new ImageRequest(
        TestRegistry.BASE_IMAGE, ImageRequest.serviceRepository(TestRegistry.ADDRESS, SERVICE_ID),
        List.of("1.2.0", "latest"), project.imageLabels(),
        Map.of(ImageLabels.SERVICE_PACKAGE_ENV, "org.example.powermeter"), classes, jars, MAIN,
        List.of("-XX:+UseSerialGC", "-Ddefpi.fromBuild=two words"), List.of(), true, true,
        Optional.of(dir.resolve("cache"))));
  }

  @Test
  void pushesBothTagsForThePlatformsOfTheBaseImage() throws Exception {
    assertThat(result.image()).isEqualTo(TestRegistry.ADDRESS + "/services/" + SERVICE_ID + ":1.2.0");
    assertThat(result.digest()).startsWith("sha256:");
    assertThat(result.platforms()).isEqualTo(basePlatforms);
    assertThat(log).anyMatch(line -> line.contains("digest " + result.digest()));
    assertThat(REGISTRY.tags()).contains("1.2.0", "latest");
    assertThat(REGISTRY.digest("1.2.0")).isEqualTo(result.digest());
    assertThat(REGISTRY.digest("latest")).isEqualTo(result.digest());
  }

  @Test
  void everyPlatformsImageHasTheLabelsEnvAndShellEntrypoint() throws Exception {
    Map<ImagePlatform, String> images = REGISTRY.platformImages(result.digest());
    assertThat(images.keySet()).containsExactlyElementsOf(basePlatforms);
    ObjectMapper json = new ObjectMapper();
    for (Map.Entry<ImagePlatform, String> image : images.entrySet()) {
      JsonNode config = REGISTRY.config(image.getValue());
      assertThat(config.path("architecture").asText()).as("architecture").isEqualTo(image.getKey().architecture());
      Map<String, String> labels = REGISTRY.labels(image.getValue());
      assertThat(labels).as("labels of " + image.getKey()).containsAllEntriesOf(project.imageLabels());
      assertThat(labels.keySet()).contains(ImageLabels.SERVICE_NAME, ImageLabels.INTERFACES, ImageLabels.PARAMETERS,
          ImageLabels.API_VERSION);
      assertThat(labels.get(ImageLabels.SERVICE_NAME)).isEqualTo("Power Meter");
      assertThat(labels.get(ImageLabels.API_VERSION)).isEqualTo("1");
      assertThat(labels.get(ImageLabels.INTERFACES)).contains("\"id\":\"" + SERVICE_ID + "/power-measurement\"");
      assertThat(labels.get(ImageLabels.PARAMETERS)).contains("\"id\":\"port\"");
      assertThat(json.convertValue(config.path("config").path("Env"), String[].class))
          .contains("SERVICE_PACKAGE=org.example.powermeter");
      assertThat(json.convertValue(config.path("config").path("Entrypoint"), String[].class)).containsExactly(
          "/bin/sh", "-c", "set -f; exec java -XX:+UseSerialGC '-Ddefpi.fromBuild=two words' $JVM_ARGUMENTS -cp "
              + "'/app/libs/*:/app/classes:/app/resources' " + MAIN);
    }
  }

  @Test
  void theArmTagsNameTheArm64ImageOfTheList() throws Exception {
    assumeTrue(basePlatforms.contains(ImagePlatform.LINUX_ARM64), "the base image has no linux/arm64 (DEFPI_ARM64=0)");
    String arm = REGISTRY.platformImages(result.digest()).get(ImagePlatform.LINUX_ARM64);
    assertThat(result.armDigest()).contains(arm);
    assertThat(REGISTRY.digest("1.2.0-arm")).isEqualTo(arm);
    assertThat(REGISTRY.digest("latest-arm")).isEqualTo(arm);
  }

  @Test
  void eachPlatformRunsTheMainAsPid1WithTheBuildsAndTheOrchestratorsJvmArguments() throws Exception {
    for (Map.Entry<ImagePlatform, String> image : REGISTRY.platformImages(result.digest()).entrySet()) {
      // Run by digest: `docker run --platform` of one tag would repoint the engine's local tag.
      List<String> output = Commands.docker("run", "--rm", "--network", "none", "--platform", image.getKey().toString(),
          "-e", "JVM_ARGUMENTS=-Ddefpi.fromEnv=a*b -Xmx64m", REGISTRY.reference(image.getValue())).ok().lines();
      String arch = image.getKey().equals(ImagePlatform.LINUX_ARM64) ? "aarch64" : "amd64";
      // set -f: the * in JVM_ARGUMENTS reaches java as it is, not as a file pattern
      assertThat(output).as("output on " + image.getKey()).contains("main pid=1 arch=" + arch
          + " fromBuild=two words fromEnv=a*b package=org.example.powermeter resource=true");
    }
  }

  private static Path jar(Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
      zip.write("Manifest-Version: 1.0\n".getBytes(StandardCharsets.US_ASCII));
      zip.closeEntry();
    }
    return file;
  }
}
