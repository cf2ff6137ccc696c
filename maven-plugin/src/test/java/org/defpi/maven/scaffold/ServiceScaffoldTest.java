package org.defpi.maven.scaffold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.defpi.maven.TestCompiler;
import org.defpi.maven.Fixtures;
import org.defpi.maven.generate.ServiceCodeGenerator;
import org.defpi.maven.generate.ServiceLayout;
import org.defpi.maven.service.ServiceProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;

class ServiceScaffoldTest {
  final ServiceScaffold scaffold = new ServiceScaffold();

  @Test
  void derivesWhatIsNotGivenFromTheServiceId(@TempDir Path dir) {
    ServiceScaffold.Request request = ServiceScaffold.Request.of(dir, "battery-manager", Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), "0.1.0-SNAPSHOT");
    assertThat(request.groupId()).isEqualTo("org.example");
    assertThat(request.packageName()).isEqualTo("org.example.batterymanager");
    assertThat(request.name()).isEqualTo("Battery Manager");
    assertThat(request.version()).isEqualTo("0.1.0");
    assertThat(request.directory()).isEqualTo(dir.resolve("battery-manager"));
  }

  @Test
  void writesAProjectWhoseServiceJsonLoadsAndWhoseCodeGeneratesAndCompiles(@TempDir Path dir) throws Exception {
    ServiceScaffold.Request request = ServiceScaffold.Request.of(dir, "battery-manager", Optional.of("com.acme"),
        Optional.of("com.acme.battery"), Optional.of("Battery <Manager> & \"Co\""), Optional.of("1.0.0"), "9.9.9");
    assertThat(scaffold.create(request)).containsExactly(request.directory().resolve("pom.xml"),
        request.directory().resolve("service.json"), request.directory().resolve("example.proto"),
        request.directory().resolve(".gitignore"));

    Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(request.directory().resolve("pom.xml").toFile());
    assertThat(text(pom, "artifactId")).isEqualTo("battery-manager");
    assertThat(text(pom, "groupId")).isEqualTo("com.acme");
    assertThat(text(pom, "name")).isEqualTo("Battery <Manager> & \"Co\"");
    assertThat(text(pom, "defpi.version")).isEqualTo("9.9.9");
    assertThat(text(pom, "servicePackage")).isEqualTo("com.acme.battery");
    assertThat(text(pom, "maven.deploy.skip")).isEqualTo("true");

    ServiceProject project = ServiceProject.load(request.directory().resolve("service.json"), "battery-manager");
    assertThat(project.description().name()).isEqualTo("Battery <Manager> & \"Co\"");
    assertThat(project.description().version()).isEqualTo("1.0.0");
    assertThat(project.interfaceLabels()).singleElement()
        .satisfies(label -> assertThat(label.id()).isEqualTo("battery-manager/example"));

    // What `mvn install` will do first: generate the code and the stubs, then compile them.
    Path work = dir.resolve("work");
    new ServiceCodeGenerator(Fixtures::protoc, line -> {}).generate(new ServiceCodeGenerator.Request(
        request.directory().resolve("service.json"), "battery-manager", "com.acme.battery",
        work.resolve("generated"), work.resolve("stubs"), work.resolve("defpi")));
    TestCompiler.Compiled compiled = TestCompiler.compile(work.resolve("classes"), work.resolve("generated"),
        work.resolve("stubs"));
    assertThat(compiled.load(ServiceLayout.of(project, "com.acme.battery").main().canonicalName())).isNotNull();
  }

  @Test
  void refusesADirectoryThatIsNotEmpty(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("meter"));
    Files.writeString(dir.resolve("meter/notes.txt"), "mine");
    ServiceScaffold.Request request = ServiceScaffold.Request.of(dir, "meter", Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), "1");
    assertThatThrownBy(() -> scaffold.create(request)).isInstanceOf(ServiceScaffold.DirectoryNotEmptyException.class)
        .hasMessageContaining(dir.resolve("meter").toString());
    assertThat(dir.resolve("meter/pom.xml")).doesNotExist();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Battery", "battery manager", "-battery", "battery--manager", "battery-", ""})
  void refusesAServiceIdThatIsNotARepositoryName(String serviceId, @TempDir Path dir) {
    assertThatThrownBy(() -> ServiceScaffold.Request.of(dir, serviceId, Optional.empty(), Optional.of("a.b"),
        Optional.of("A"), Optional.empty(), "1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("serviceId '" + serviceId + "'");
  }

  @Test
  void refusesAPackageThatIsNotAJavaPackage(@TempDir Path dir) {
    assertThatThrownBy(() -> ServiceScaffold.Request.of(dir, "meter", Optional.empty(), Optional.of("org.class.x"),
        Optional.empty(), Optional.empty(), "1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("package 'org.class.x'");
  }

  @Test
  void namesComeFromTheServiceIdsWords() {
    assertThat(ServiceScaffold.displayName("battery-manager")).isEqualTo("Battery Manager");
    assertThat(ServiceScaffold.displayName("hvac.zone_2")).isEqualTo("Hvac Zone 2");
    assertThat(ServiceScaffold.protoPackage("2nd-meter.x")).isEqualTo("s2nd_meter_x");
  }

  private static String text(Document pom, String tag) {
    return pom.getElementsByTagName(tag).item(0).getTextContent();
  }
}
