package org.defpi.maven.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.defpi.maven.Fixtures;
import org.defpi.maven.TestCompiler;
import org.defpi.maven.service.InvalidServiceException;
import org.defpi.wire.service.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the generator refuses, and how it says so: every problem, each with its JSON pointer. */
class GeneratorProblemsTest {
  @TempDir Path project;

  private static final String PROTO = """
      syntax = "proto2";
      message Ping { optional int32 n = 1; }
      message Pong { optional int32 n = 1; }
      """;

  private ServiceCodeGenerator.Result generate() throws Exception {
    return new ServiceCodeGenerator(Fixtures::protoc, line -> {}).generate(new ServiceCodeGenerator.Request(
        project.resolve("service.json"), "echo", "org.example.echo", project.resolve("target/generated-sources/defpi"),
        project.resolve("src/main/java"), project.resolve("target/defpi")));
  }

  private void write(String serviceJson) throws IOException {
    Files.writeString(project.resolve("service.json"), serviceJson);
    Files.writeString(project.resolve("echo.proto"), PROTO);
  }

  private InvalidServiceException refusal() {
    return catchThrowableOfType(InvalidServiceException.class, this::generate);
  }

  private static String service(String parameters, String versions) {
    return """
        {"name": "Echo", "version": "1.0.0", "parameters": [%s],
         "interfaces": [{"name": "Echo", "autoConnect": false, "allowMultiple": true, "interfaceVersions": [%s]}]}
        """.formatted(parameters, versions);
  }

  private static final String GOOD_VERSION =
      "{\"versionName\": \"v1\", \"location\": \"echo.proto\", \"sends\": [\"Pong\"], \"receives\": [\"Ping\"]}";

  @Test
  void aValidServiceGenerates() throws Exception {
    write(service("", GOOD_VERSION));
    assertThat(generate().generated()).isNotEmpty();
  }

  @Test
  void aServiceWithoutParametersOrInterfacesGeneratesCompilableCode() throws Exception {
    Files.writeString(project.resolve("service.json"), "{\"name\": \"Idle\", \"version\": \"1\", \"interfaces\": []}");
    ServiceCodeGenerator generator = new ServiceCodeGenerator(() -> {
      throw new AssertionError("protoc is only resolved for proto interfaces");
    }, line -> {});
    generator.generate(new ServiceCodeGenerator.Request(project.resolve("service.json"), "idle", "org.example.idle",
        project.resolve("gen"), project.resolve("src"), project.resolve("work")));
    TestCompiler.Compiled compiled = TestCompiler.compile(project.resolve("classes"), project.resolve("gen"), project.resolve("src"));
    assertThat(compiled.warnings()).isEmpty();
    Object definition = compiled.load("org.example.idle.IdleMain").getMethod("definition").invoke(null);
    assertThat(((org.defpi.sdk.ServiceDefinition<?>) definition).interfaceVersions()).isEmpty();
  }

  @Test
  void everyValidationProblemIsNamedByItsPointer() throws Exception {
    write("""
        {"version": "one", "parameters": [{"id": "Port", "name": "Port", "type": "int"}],
         "interfaces": [{"name": "Echo", "autoConnect": "yes", "allowMultiple": true, "interfaceVersions": []}]}
        """);
    InvalidServiceException e = refusal();
    assertThat(e.problems()).extracting(Problem::pointer).contains(
        "/name", "/version", "/parameters/0/id", "/parameters/0/type", "/interfaces/0/autoConnect",
        "/interfaces/0/interfaceVersions");
    // The message lists them all, one a line, for the build log.
    assertThat(e.getMessage()).contains("\n  /name: is required").contains("\n  /parameters/0/type: 'int' is not one of");
  }

  @Test
  void aServiceJsonThatIsNotJsonIsRefused() throws Exception {
    write("{\"name\": ");
    assertThat(refusal().problems()).singleElement().satisfies(p -> assertThat(p.message()).startsWith("not valid JSON"));
  }

  @Test
  void aMissingServiceJsonIsRefused() {
    assertThat(refusal().getMessage()).contains("service.json does not exist");
  }

  @Test
  void defaultsAndAllowedValuesMustBeValuesOfTheType() throws Exception {
    write(service("""
        {"id": "port", "name": "Port", "type": "integer", "default": "80.5"},
        {"id": "mode", "name": "Mode", "type": "string", "values": ["a", "b"], "default": "c"},
        {"id": "level", "name": "Level", "type": "byte", "values": ["1", "1000"]},
        {"id": "levels", "name": "Levels", "type": "short", "isArray": true, "default": "[1, x]"},
        {"id": "port", "name": "Port again", "type": "integer"}
        """, GOOD_VERSION));
    assertThat(refusal().problems()).containsExactlyInAnyOrder(
        new Problem("/parameters/0/default", "'80.5' is not an integer"),
        new Problem("/parameters/1/default", "'c' is not one of the allowed values [a, b]"),
        new Problem("/parameters/2/values/1", "'1000' is not a byte (-128 to 127)"),
        new Problem("/parameters/3/default", "'x' is not a short (-32768 to 32767)"),
        new Problem("/parameters/4/id", "'port' is the id of /parameters/0 already"));
  }

  @Test
  void messageTypesMustBeTopLevelMessagesOfTheFile() throws Exception {
    write(service("",
        "{\"versionName\": \"v1\", \"location\": \"echo.proto\", \"sends\": [\"Pong\", \"Pang\"], \"receives\": [\"Peng\"]}"));
    InvalidServiceException e = refusal();
    assertThat(e.problems()).extracting(Problem::pointer).containsExactly(
        "/interfaces/0/interfaceVersions/0/sends/1", "/interfaces/0/interfaceVersions/0/receives/0");
    assertThat(e.problems().get(0).message()).contains("'Pang'").contains("(it has Ping, Pong)");
  }

  @Test
  void xsdInterfacesAreNotSupportedYet() throws Exception {
    write(service("", "{\"versionName\": \"v1\", \"location\": \"echo.xsd\", \"sends\": [], \"receives\": []}"));
    Files.writeString(project.resolve("echo.xsd"), "<schema/>");
    assertThat(refusal().problems()).containsExactly(new Problem("/interfaces/0/interfaceVersions/0/type",
        "XSD interfaces are not supported yet: describe the messages in a .proto file"));
  }

  @Test
  void interfaceFilesAtUrlsAreNotSupportedYet() throws Exception {
    write(service("",
        "{\"versionName\": \"v1\", \"location\": \"https://example.org/echo.proto\", \"sends\": [], \"receives\": []}"));
    assertThat(refusal().problems()).singleElement().satisfies(p -> {
      assertThat(p.pointer()).isEqualTo("/interfaces/0/interfaceVersions/0/location");
      assertThat(p.message()).contains("not supported yet");
    });
  }

  @Test
  void aMissingInterfaceFileIsNamed() throws Exception {
    write(service("", "{\"versionName\": \"v1\", \"location\": \"gone.proto\", \"sends\": [], \"receives\": []}"));
    assertThat(refusal().problems()).singleElement().satisfies(p -> {
      assertThat(p.pointer()).isEqualTo("/interfaces/0/interfaceVersions/0/location");
      assertThat(p.message()).contains("gone.proto does not exist");
    });
  }

  @Test
  void versionNamesGivingTheSameJavaNameAreRefused() throws Exception {
    write(service("", GOOD_VERSION + ", " + GOOD_VERSION.replace("\"v1\"", "\"V-1\"")));
    assertThat(refusal().problems()).extracting(Problem::pointer)
        .containsExactly("/interfaces/0/interfaceVersions/1/versionName", "/interfaces/0/interfaceVersions/1/versionName");
  }

  @Test
  void protocErrorsPointIntoTheOriginalFile() throws Exception {
    write(service("", GOOD_VERSION));
    // Line 3 is broken; the copy handed to protoc keeps the original's lines.
    Files.writeString(project.resolve("echo.proto"), "syntax = \"proto2\";\nmessage Ping { optional int32 n = 1; }\nmessage Pong { int32 }\n");
    assertThatThrownBy(this::generate)
        .isInstanceOf(ProtoCompiler.ProtocException.class)
        .hasMessageContaining(project.resolve("echo.proto") + ":3:");
  }
}
