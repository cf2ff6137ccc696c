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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

  /** Each rule of WIRE.md section 1, broken alone, is named with its pointer. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "`\"name\": \"Echo\"`  | `\"name\": \"\"`                     | /name | must be 1 to 64 characters long, is 0",
      "`\"name\": \"Echo\"`  | `\"name\": \"EchoEchoEchoEchoEchoEchoEchoEchoEchoEchoEchoEchoEchoEchoEchoEchoE\"` | /name | must be 1 to 64 characters long, is 65",
      "`\"1.0.0\"`          | `\"1.0.0-rc.1\"`                     | /version | '1.0.0-rc.1' does not match",
      "`\"1.0.0\"`          | `\"v1\"`                             | /version | 'v1' does not match",
      "`\"id\": \"port\"`    | `\"id\": \"my-port\"`                | /parameters/0/id | 'my-port' must start with a lower-case letter",
      "`\"type\": \"integer\"` | `\"type\": \"int32\"`              | /parameters/0/type | 'int32' is not one of boolean, byte",
      "`\"name\": \"Port\", ` | ``                                 | /parameters/0/name | is required",
      "`\"values\": [\"1\", \"2\"]` | `\"values\": [\"1\", \"2\"], \"labels\": [\"one\"]` | /parameters/0/labels | has 1 labels for 2 values",
      "`\"isArray\": false` | `\"isArray\": \"yes\"`               | /parameters/0/isArray | must be true or false, is \"yes\"",
      "`\"default\": \"1\"`  | `\"default\": [1, 2]`                | /parameters/0/default | must be a string",
      "`\"autoConnect\": false, ` | ``                                | /interfaces/0/autoConnect | is required",
      "`\"allowMultiple\": true` | `\"allowMultiple\": 1`           | /interfaces/0/allowMultiple | must be true or false",
      "`\"versionName\": \"v1\", ` | ``                             | /interfaces/0/interfaceVersions/0/versionName | is required",
      "`\"location\": \"echo.proto\"` | `\"location\": \"echo.txt\"` | /interfaces/0/interfaceVersions/0/type | is absent and the location 'echo.txt' ends in neither",
      "`\"location\": \"echo.proto\"` | `\"location\": \"echo.proto\", \"type\": \"json\"` | /interfaces/0/interfaceVersions/0/type | must be 'proto' or 'xsd'",
      "`\"sends\": [\"Pong\"]` | `\"sends\": [\"Pong\", 3]`         | /interfaces/0/interfaceVersions/0/sends/1 | must be a string",
      "`\"receives\": [\"Ping\"]` | `\"receives\": [\"Pung\"]`       | /interfaces/0/interfaceVersions/0/receives/0 | message type 'Pung' is not a top-level message",
  })
  void everyRuleOfTheServiceDescriptionIsEnforced(String good, String bad, String pointer, String message) throws Exception {
    String valid = service("""
        {"id": "port", "name": "Port", "type": "integer", "isArray": false, "values": ["1", "2"], "default": "1"}
        """, GOOD_VERSION);
    write(valid);
    assertThat(generate().generated()).as("the unbroken service.json is valid").isNotEmpty();
    assertThat(valid).contains(good);
    write(valid.replace(good, bad));
    assertThat(refusal().problems()).singleElement().satisfies(p -> {
      assertThat(p.pointer()).isEqualTo(pointer);
      assertThat(p.message()).startsWith(message);
    });
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

  private static final String XSD = """
      <?xml version="1.0"?>
      <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:e="urn:echo" targetNamespace="urn:echo">
        <xs:complexType name="Ping"><xs:sequence><xs:element name="n" type="xs:int"/></xs:sequence></xs:complexType>
        <xs:element name="ping" type="e:Ping"/>
        <xs:element name="otherPing" type="e:Ping"/>
        <xs:element name="pong"><xs:complexType><xs:attribute name="n" type="xs:int"/></xs:complexType></xs:element>
        <xs:element name="level" type="xs:double"/>
      </xs:schema>
      """;

  private static String xsdVersion(String sends, String receives) {
    return "{\"versionName\": \"v1\", \"location\": \"echo.xsd\", \"sends\": [" + sends + "], \"receives\": [" + receives + "]}";
  }

  @Test
  void xsdMessageTypesMustBeGlobalElementsOrComplexTypesOfTheSchema() throws Exception {
    write(service("", xsdVersion("\"pong\", \"Pang\", \"level\"", "\"Ping\"")));
    Files.writeString(project.resolve("echo.xsd"), XSD);
    InvalidServiceException e = refusal();
    assertThat(e.problems()).extracting(Problem::pointer).containsExactly(
        "/interfaces/0/interfaceVersions/0/sends/1", "/interfaces/0/interfaceVersions/0/sends/2",
        "/interfaces/0/interfaceVersions/0/receives/0");
    assertThat(e.problems().get(0).message()).startsWith("'Pang' is neither a global element nor a global complex type "
        + "(elements: level, otherPing, ping, pong; complex types: Ping) in " + project.resolve("echo.xsd"));
    assertThat(e.problems().get(1).message()).startsWith("'level' is a global element of simple type");
    // Ping is the type of two elements: which one to send it as is the developer's to say.
    assertThat(e.problems().get(2).message())
        .startsWith("'Ping' is the type of several global elements ({urn:echo}ping, {urn:echo}otherPing): name the element");
  }

  @Test
  void twoNamesOfOneReceivedClassAreRefused() throws Exception {
    write(service("", xsdVersion("", "\"ping\", \"pong\", \"Pong\"")));
    Files.writeString(project.resolve("echo.xsd"), XSD);
    // "Pong" is the simple name of the class xjc makes for element pong: the same class again.
    assertThat(refusal().problems()).singleElement().satisfies(p -> {
      assertThat(p.pointer()).isEqualTo("/interfaces/0/interfaceVersions/0/receives/2");
      assertThat(p.message()).isEqualTo("'Pong' is class Pong, as 'pong' is already: name each class once");
    });
  }

  @Test
  void schemaErrorsPointAtTheLocationWithTheirPositionInTheFile() throws Exception {
    write(service("", xsdVersion("", "")));
    Files.writeString(project.resolve("echo.xsd"), XSD.replace("<xs:element name=\"ping\" type=\"e:Ping\"/>",
        "<xs:element name=\"ping\" type=\"e:Nope\"/>"));
    assertThat(refusal().problems()).singleElement().satisfies(p -> {
      assertThat(p.pointer()).isEqualTo("/interfaces/0/interfaceVersions/0/location");
      assertThat(p.message()).startsWith("xjc: " + project.resolve("echo.xsd") + ":4:").contains("e:Nope");
    });
  }

  @Test
  void anXsdWithoutMessagesStillGeneratesCompilableCode() throws Exception {
    write(service("", xsdVersion("", "")));
    Files.writeString(project.resolve("echo.xsd"),
        "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:simpleType name=\"T\">"
            + "<xs:restriction base=\"xs:int\"/></xs:simpleType></xs:schema>");
    generate();
    TestCompiler.compile(project.resolve("classes"), project.resolve("target/generated-sources/defpi"),
        project.resolve("src/main/java"));
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

  @Test
  void protocErrorsInAnImportedFilePointIntoThatFile() throws Exception {
    write(service("", GOOD_VERSION));
    Files.writeString(project.resolve("echo.proto"),
        "syntax = \"proto2\";\nimport \"shared/n.proto\";\nmessage Ping { optional N n = 1; }\nmessage Pong { }\n");
    Files.createDirectories(project.resolve("shared"));
    Files.writeString(project.resolve("shared/n.proto"), "syntax = \"proto2\";\n\nmessage N { optional int32 }\n");
    assertThatThrownBy(this::generate)
        .isInstanceOf(ProtoCompiler.ProtocException.class)
        .hasMessageContaining(project.resolve("shared/n.proto") + ":3:");
  }

  @Test
  void aMissingImportIsNamedInTheImportingFile() throws Exception {
    write(service("", GOOD_VERSION));
    Files.writeString(project.resolve("echo.proto"),
        "syntax = \"proto2\";\nimport \"gone.proto\";\nmessage Ping { }\nmessage Pong { }\n");
    assertThatThrownBy(this::generate)
        .isInstanceOf(ProtoCompiler.ProtocException.class)
        .hasMessageContaining("gone.proto: File not found")
        .hasMessageContaining(project.resolve("echo.proto") + ":2:");
  }
}
