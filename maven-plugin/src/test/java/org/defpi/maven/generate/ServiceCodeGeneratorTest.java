package org.defpi.maven.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.defpi.maven.Fixtures;
import org.defpi.maven.TestCompiler;
import org.defpi.maven.TestCompiler.Compiled;
import org.defpi.sdk.ConfigBinder;
import org.defpi.sdk.Connection;
import org.defpi.sdk.ConnectionHandler;
import org.defpi.sdk.ConnectionState;
import org.defpi.sdk.InterfaceVersion;
import org.defpi.sdk.InvalidConfigException;
import org.defpi.sdk.ServiceDefinition;
import org.defpi.wire.hash.InterfaceHash;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs the generator on the power-meter fixture (two interfaces, three versions, every parameter
 * type), compiles what it wrote against the SDK, and exercises the compiled classes.
 */
class ServiceCodeGeneratorTest {
  static final String PACKAGE = "org.example.powermeter";

  @TempDir static Path dir;
  static Path project;
  static ServiceCodeGenerator.Result result;
  static Compiled compiled;

  @BeforeAll
  static void generateAndCompile() throws Exception {
    project = Fixtures.copy("power-meter", dir.resolve("project"));
    result = generate(project);
    compiled = TestCompiler.compile(dir.resolve("classes"),
        project.resolve("target/generated-sources/defpi"), project.resolve("src/main/java"));
  }

  static ServiceCodeGenerator.Result generate(Path project) throws Exception {
    return new ServiceCodeGenerator(Fixtures::protoc, line -> {}).generate(new ServiceCodeGenerator.Request(
        project.resolve("service.json"), "power-meter", PACKAGE, project.resolve("target/generated-sources/defpi"),
        project.resolve("src/main/java"), project.resolve("target/defpi")));
  }

  static Class<?> load(String name) throws ClassNotFoundException {
    return compiled.load(PACKAGE + "." + name);
  }

  @Test
  void writesTheClassesOfTheContract() {
    Path generated = project.resolve("target/generated-sources/defpi/org/example/powermeter");
    assertThat(generated.resolve("PowerMeterConfiguration.java")).exists();
    assertThat(generated.resolve("PowerMeterConfigurationBinder.java")).exists();
    assertThat(generated.resolve("PowerMeterMain.java")).exists();
    assertThat(generated.resolve("powermeasurement/PowerMeasurementConnectionManager.java")).exists();
    assertThat(generated.resolve("powermeasurement/v1/PowerMeasurementV1ConnectionHandler.java")).exists();
    // Version "2.0" starts with a digit: prefixed.
    assertThat(generated.resolve("powermeasurement/v20/PowerMeasurementV20ConnectionHandler.java")).exists();
    assertThat(generated.resolve("powermeasurement/v1/proto/PowerMeasurementV1Proto.java")).exists();
    assertThat(generated.resolve("http/HTTPConnectionManager.java")).exists();
    assertThat(generated.resolve("http/v1/HTTPV1ConnectionHandler.java")).exists();
    assertThat(generated.resolve("http/v1/proto/HTTPV1Proto.java")).exists();

    Path stubs = project.resolve("src/main/java/org/example/powermeter");
    assertThat(result.stubsWritten()).containsExactlyInAnyOrder(
        stubs.resolve("PowerMeterService.java"),
        stubs.resolve("powermeasurement/PowerMeasurementConnectionManagerImpl.java"),
        stubs.resolve("powermeasurement/v1/PowerMeasurementV1ConnectionHandlerImpl.java"),
        stubs.resolve("powermeasurement/v20/PowerMeasurementV20ConnectionHandlerImpl.java"),
        stubs.resolve("http/HTTPConnectionManagerImpl.java"),
        stubs.resolve("http/v1/HTTPV1ConnectionHandlerImpl.java"));
    assertThat(result.stubsKept()).isEmpty();
  }

  @Test
  void generatedCodeCompilesWithoutWarnings() {
    // protoc's output is not ours to judge; everything else should be lint-clean.
    assertThat(compiled.warnings()).filteredOn(w -> !w.contains("/proto/")).isEmpty();
  }

  @Test
  void configurationHasATypedGetterPerParameter() throws Exception {
    Class<?> config = load("PowerMeterConfiguration");
    // An interface: the binder returns its nested record Values.
    assertThat(config.isInterface()).isTrue();
    assertThat(bind(Map.of("enabled", "true"))).isInstanceOf(config)
        .extracting(Object::getClass).matches(Class::isRecord);
    assertThat(getter(config, "getPort").getReturnType()).isEqualTo(int.class);
    assertThat(getter(config, "getEnabled").getReturnType()).isEqualTo(boolean.class);
    assertThat(getter(config, "getUnit").getReturnType()).isEqualTo(String.class);
    assertThat(getter(config, "getFactor").getGenericReturnType().getTypeName()).isEqualTo("java.util.Optional<java.lang.Double>");
    assertThat(getter(config, "getPhases").getGenericReturnType().getTypeName()).isEqualTo("java.util.List<java.lang.Byte>");
    assertThat(getter(config, "getSeparator").getReturnType()).isEqualTo(char.class);
    assertThat(getter(config, "getMaxSamples").getReturnType()).isEqualTo(long.class);
    assertThat(getter(config, "getTags").getGenericReturnType().getTypeName()).isEqualTo("java.util.List<java.lang.String>");
    assertThat(getter(config, "getGain").getReturnType()).isEqualTo(float.class);
    assertThat(getter(config, "getOffset").getGenericReturnType().getTypeName()).isEqualTo("java.util.List<java.lang.Short>");
    // Object owns getClass(): the parameter "class" gets getClass_().
    assertThat(getter(config, "getClass_").getGenericReturnType().getTypeName()).isEqualTo("java.util.Optional<java.lang.String>");
  }

  @Test
  void binderAppliesDefaults() throws Exception {
    Object config = bind(Map.of("enabled", "true"));
    assertThat(get(config, "getPort")).isEqualTo(8080);
    assertThat(get(config, "getEnabled")).isEqualTo(true);
    assertThat(get(config, "getUnit")).isEqualTo("W");
    assertThat(get(config, "getFactor")).isEqualTo(Optional.empty());
    assertThat(get(config, "getPhases")).isEqualTo(List.of((byte) 1, (byte) 2, (byte) 3));
    assertThat(get(config, "getSeparator")).isEqualTo(';');
    assertThat(get(config, "getMaxSamples")).isEqualTo(100L);
    assertThat(get(config, "getTags")).isEqualTo(List.of());
    assertThat(get(config, "getGain")).isEqualTo(1.5f);
    assertThat(get(config, "getOffset")).isEqualTo(List.of((short) 0, (short) 10));
    assertThat(get(config, "getClass_")).isEqualTo(Optional.empty());
  }

  @Test
  void binderReadsEveryType() throws Exception {
    Object config = bind(Map.ofEntries(
        Map.entry("Port", " 9090 "), // keys match ignoring case, as in dEF-Pi; blanks around numbers are ignored
        Map.entry("enabled", "FALSE"),
        Map.entry("unit", "kW"),
        Map.entry("factor", "2.5"),
        Map.entry("phases", "[4, 5]"),
        Map.entry("separator", ","),
        Map.entry("maxSamples", "12345678901"),
        Map.entry("tags", "[\"a\", \"b c\"]"),
        Map.entry("gain", "0.25"),
        Map.entry("offset", "20,010"),
        Map.entry("class", "")));
    assertThat(get(config, "getPort")).isEqualTo(9090);
    assertThat(get(config, "getEnabled")).isEqualTo(false);
    assertThat(get(config, "getUnit")).isEqualTo("kW");
    assertThat(get(config, "getFactor")).isEqualTo(Optional.of(2.5));
    assertThat(get(config, "getPhases")).isEqualTo(List.of((byte) 4, (byte) 5));
    assertThat(get(config, "getSeparator")).isEqualTo(',');
    assertThat(get(config, "getMaxSamples")).isEqualTo(12345678901L);
    assertThat(get(config, "getTags")).isEqualTo(List.of("a", "b c"));
    assertThat(get(config, "getGain")).isEqualTo(0.25f);
    // "010" is allowed: allowed values are compared as numbers, not as strings.
    assertThat(get(config, "getOffset")).isEqualTo(List.of((short) 20, (short) 10));
    // For a string, the empty string is a value.
    assertThat(get(config, "getClass_")).isEqualTo(Optional.of(""));
    assertThat(config).isEqualTo(bind(Map.ofEntries(Map.entry("port", "9090"), Map.entry("enabled", "false"),
        Map.entry("unit", "kW"), Map.entry("factor", "2.5"), Map.entry("phases", "4,5"), Map.entry("separator", ","),
        Map.entry("maxSamples", "12345678901"), Map.entry("tags", "a,b c"), Map.entry("gain", ".25"),
        Map.entry("offset", "20, 10"), Map.entry("class", ""))));
    assertThat(config.toString()).startsWith("Values[port=9090, enabled=false, unit=kW");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "enabled   |           | parameter 'enabled' (Enabled) is required but has no value",
      "enabled   | ' '       | parameter 'enabled' (Enabled) is required but has no value",
      "enabled   | yes       | parameter 'enabled': 'yes' is not true or false",
      "port      | abc       | parameter 'port': 'abc' is not an integer",
      "port      | 99999999999 | parameter 'port': '99999999999' is not an integer",
      "unit      | MW        | parameter 'unit': 'MW' is not one of the allowed values",
      "phases    | '1,300'   | parameter 'phases': '300' is not a byte (-128 to 127)",
      "separator | ab        | parameter 'separator': 'ab' is not a single character",
      "offset    | '[0, 5]'  | parameter 'offset': '5' is not one of the allowed values",
      "factor    | x1        | parameter 'factor': 'x1' is not a double",
      "gain      | fast      | parameter 'gain': 'fast' is not a float",
      "maxSamples | 1.5      | parameter 'maxSamples': '1.5' is not a long integer",
  })
  void binderNamesTheParameterAndTheReason(String id, String value, String message) throws Exception {
    Map<String, String> values = new java.util.HashMap<>(Map.of("enabled", "true"));
    if (value == null) {
      values.remove(id);
    } else {
      values.put(id, value);
    }
    assertThatThrownBy(() -> bind(values))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void mainDefinesEveryInterfaceVersionWithTheHashesOfTheOriginalFiles() throws Exception {
    ServiceDefinition<?> definition = definition();
    assertThat(definition.service().getClass().getName()).isEqualTo(PACKAGE + ".PowerMeterService");
    assertThat(definition.configBinder().getClass().getName()).isEqualTo(PACKAGE + ".PowerMeterConfigurationBinder");
    assertThat(definition.interfaceVersions())
        .extracting(InterfaceVersion::interfaceId, InterfaceVersion::versionName)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("power-meter/power-measurement", "v1"),
            org.assertj.core.groups.Tuple.tuple("power-meter/power-measurement", "2.0"),
            org.assertj.core.groups.Tuple.tuple("power-meter/http", "v1"));
    // The hashes are over the original files' bytes, not the copies handed to protoc.
    String power = InterfaceHash.fileHash(Files.readAllBytes(project.resolve("power.proto")));
    String power2 = InterfaceHash.fileHash(Files.readAllBytes(project.resolve("protos/power2.proto")));
    InterfaceVersion v1 = definition.interfaceVersions().get(0);
    assertThat(v1.sendsHash()).isEqualTo(InterfaceHash.messageSetHash(power, List.of("Reading")));
    assertThat(v1.receivesHash()).isEqualTo(InterfaceHash.messageSetHash(power, List.of("ReadingRequest")));
    InterfaceVersion v2 = definition.interfaceVersions().get(1);
    assertThat(v2.sendsHash()).isEqualTo(InterfaceHash.messageSetHash(power2, List.of("Status", "Reading")));
    assertThat(v2.receivesHash()).isEqualTo(InterfaceHash.messageSetHash(power2, List.of()));
    InterfaceVersion http = definition.interfaceVersions().get(2);
    assertThat(http.receivesHash()).isEqualTo(InterfaceHash.messageSetHash(power, List.of("Reading", "ReadingRequest")));
  }

  @Test
  void managerBuildsTheDevelopersHandler() throws Exception {
    InterfaceVersion http = definition().interfaceVersions().get(2);
    ConnectionHandler handler = http.handlerFactory().apply(new FakeConnection());
    assertThat(handler.getClass().getName()).isEqualTo(PACKAGE + ".http.v1.HTTPV1ConnectionHandlerImpl");
  }

  @Test
  void dispatcherCallsTheHandleMethodOfTheMessagesType() throws Exception {
    Class<?> handlerType = load("http.v1.HTTPV1ConnectionHandler");
    assertThat(Stream.of(handlerType.getDeclaredMethods()).filter(m -> m.getName().startsWith("handle"))
        .map(m -> m.getName() + "(" + m.getParameterTypes()[0].getSimpleName() + ")"))
        .containsExactlyInAnyOrder("handleReading(Reading)", "handleReadingRequest(ReadingRequest)");
    List<String> calls = new ArrayList<>();
    Object recorder = Proxy.newProxyInstance(compiled.loader(), new Class<?>[] {handlerType}, (proxy, method, args) -> {
      calls.add(method.getName() + ":" + args[0].getClass().getSimpleName());
      return null;
    });
    Message request = defaultInstance("http.v1.proto.HTTPV1Proto$ReadingRequest");
    Message reading = defaultInstance("http.v1.proto.HTTPV1Proto$Reading");
    InterfaceVersion http = definition().interfaceVersions().get(2);
    http.dispatcher().dispatch((ConnectionHandler) recorder, request);
    http.dispatcher().dispatch((ConnectionHandler) recorder, reading);
    assertThat(calls).containsExactly("handleReadingRequest:ReadingRequest", "handleReading:Reading");

    // Version 2.0 receives nothing: whatever arrives is refused.
    InterfaceVersion v2 = definition().interfaceVersions().get(1);
    assertThatThrownBy(() -> v2.dispatcher().dispatch((ConnectionHandler) recorder, reading))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("receives no messages");
  }

  @Test
  void codecKnowsEveryMessageTypeOfTheVersion() throws Exception {
    InterfaceVersion v1 = definition().interfaceVersions().get(0);
    Message request = defaultInstance("powermeasurement.v1.proto.PowerMeasurementV1Proto$ReadingRequest");
    request = request.toBuilder().setField(request.getDescriptorForType().findFieldByName("package"), "p").build();
    assertThat(v1.codec().decode(v1.codec().encode(request))).isEqualTo(request);
    // The payload starts with the type's simple name (WIRE.md section 5).
    assertThat(new String(v1.codec().encode(request), 1, "ReadingRequest".length(), java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("ReadingRequest");
    InterfaceVersion v2 = definition().interfaceVersions().get(1);
    Message status = defaultInstance("powermeasurement.v20.proto.PowerMeasurementV20Proto$Status");
    assertThat(v2.codec().decode(v2.codec().encode(status))).isEqualTo(status);
  }

  @Test
  void stubsAreWrittenOnceAndNeverOverwritten(@TempDir Path other) throws Exception {
    Path copy = Fixtures.copy("power-meter", other);
    generate(copy);
    Path service = copy.resolve("src/main/java/org/example/powermeter/PowerMeterService.java");
    Files.writeString(service, "// mine now\n" + Files.readString(service));
    Path stray = copy.resolve("target/generated-sources/defpi/org/example/powermeter/Stale.java");
    Files.writeString(stray, "class Stale {}");

    ServiceCodeGenerator.Result again = generate(copy);

    assertThat(Files.readString(service)).startsWith("// mine now\n");
    assertThat(again.stubsWritten()).isEmpty();
    assertThat(again.stubsKept()).hasSize(6).contains(service);
    // The generated sources are written anew each time: nothing stale survives.
    assertThat(stray).doesNotExist();
  }

  private static Method getter(Class<?> type, String name) throws NoSuchMethodException {
    return type.getMethod(name);
  }

  private static Object get(Object target, String getter) throws Exception {
    return target.getClass().getMethod(getter).invoke(target);
  }

  @SuppressWarnings("unchecked")
  private static Object bind(Map<String, String> values) throws Exception {
    ConfigBinder<Object> binder =
        (ConfigBinder<Object>) load("PowerMeterConfigurationBinder").getConstructor().newInstance();
    return binder.bind(values);
  }

  private static ServiceDefinition<?> definition() throws Exception {
    try {
      return (ServiceDefinition<?>) load("PowerMeterMain").getMethod("definition").invoke(null);
    } catch (InvocationTargetException e) {
      throw (Exception) e.getCause();
    }
  }

  private static Message defaultInstance(String className) throws Exception {
    return (Message) load(className).getMethod("getDefaultInstance").invoke(null);
  }

  /** A connection that only knows its id; the handlers built here never send. */
  static final class FakeConnection implements Connection {
    @Override
    public void send(Object message) {
      throw new UnsupportedOperationException("not in this test");
    }

    @Override
    public ConnectionState state() {
      return ConnectionState.CONNECTED;
    }

    @Override
    public String connectionId() {
      return "c1";
    }

    @Override
    public String remoteProcessId() {
      return "p2";
    }

    @Override
    public String remoteServiceId() {
      return "other";
    }

    @Override
    public String remoteInterfaceId() {
      return "other/http";
    }
  }

}
