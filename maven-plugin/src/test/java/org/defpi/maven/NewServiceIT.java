package org.defpi.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.defpi.maven.image.BaseImageInspector;
import org.defpi.maven.image.ImagePlatform;
import org.defpi.maven.interfaces.InterfaceReport;
import org.defpi.maven.service.ServiceProject;
import org.defpi.wire.label.ImageLabels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin as a developer uses it, with real Maven runs: {@code defpi:new} in an empty directory,
 * {@code mvn deploy} of the project it wrote (code generated, compiled, the image pushed for the base
 * image's platforms, no jar deployment), the arm64 image started under emulation, and
 * {@code defpi:interfaces} without a pom.
 *
 * <p>Failsafe runs this in the install phase, after the plugin is installed: the nested builds
 * resolve the plugin and the SDK from the local repository, as a developer's build would.
 */
class NewServiceIT {
  static final String VERSION = System.getProperty("defpi.it.version");
  static final String SERVICE_ID = "defpi-it-new-service";
  static final String PLUGIN = "org.defpi:defpi-maven-plugin:" + VERSION;

  @Test
  void aNewServiceDeploysForEveryPlatformAndStartsUnderEmulation(@TempDir Path dir) throws Exception {
    mvn(dir, Duration.ofSeconds(90), PLUGIN + ":new", "-DserviceId=" + SERVICE_ID, "-Dpackage=org.example.it.battery");
    Path project = dir.resolve(SERVICE_ID);
    assertThat(project.resolve("pom.xml")).exists();

    mvn(project, Duration.ofSeconds(240), "deploy");
    assertThat(project.resolve("src/main/java/org/example/it/battery")).isDirectory();

    TestRegistry registry = new TestRegistry("services/" + SERVICE_ID);
    assertThat(registry.tags()).contains("0.1.0", "latest");
    Map<ImagePlatform, String> images = registry.platformImages("0.1.0");
    // linux/amd64 + linux/arm64 with the environment's base image; amd64 alone with DEFPI_ARM64=0
    assertThat(images.keySet()).containsExactlyElementsOf(new BaseImageInspector()
        .indexPlatforms(TestRegistry.BASE_IMAGE, ImagePlatform.DEFAULTS, true).orElse(List.of(ImagePlatform.LINUX_AMD64)));
    Map<String, String> labels = ServiceProject.load(project.resolve("service.json"), SERVICE_ID).imageLabels();
    for (String image : images.values()) {
      assertThat(registry.labels(image)).containsAllEntriesOf(labels).containsKey(ImageLabels.INTERFACES);
    }
    String arm = images.get(ImagePlatform.LINUX_ARM64);
    if (arm != null) {
      assertThat(registry.digest("0.1.0-arm")).isEqualTo(arm);
      // The real generated main, on the emulated arm64 JVM, gets as far as reading its environment
      // (WIRE.md section 4), finds it empty and exits with the SDK's start failure status.
      Commands.Result run = Commands.docker("run", "--rm", "--network", "none", "--platform", "linux/arm64",
          registry.reference(arm));
      assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
      assertThat(run.output()).containsPattern("environment variable ORCHESTRATOR_[A-Z]+ is not set");
    }

    Path report = dir.resolve("interfaces.txt");
    mvn(dir, Duration.ofSeconds(90), PLUGIN + ":interfaces", "-Ddefpi.serviceJson=" + project.resolve("service.json"),
        "-Ddefpi.interfaces.output=" + report);
    assertThat(Files.readAllLines(report)).isEqualTo(
        InterfaceReport.of(ServiceProject.load(project.resolve("service.json"), SERVICE_ID)).text());
  }

  /** {@code mvnw -B -q ARGS} in {@code directory}, with this build's JDK and local repository. */
  private static void mvn(Path directory, Duration timeout, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(System.getProperty("defpi.it.mvnw"), "-B", "-q",
        "-Dmaven.repo.local=" + System.getProperty("defpi.it.localRepository"),
        "-Ddefpi.registry=" + TestRegistry.ADDRESS));
    command.addAll(List.of(args));
    Commands.run(timeout, directory, Map.of("JAVA_HOME", System.getProperty("java.home")), command).ok();
  }
}
