package org.defpi.maven.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.datatype.DatatypeFactory;
import org.defpi.maven.Fixtures;
import org.defpi.maven.TestCompiler;
import org.defpi.maven.TestCompiler.Compiled;
import org.defpi.sdk.ConnectionHandler;
import org.defpi.sdk.InterfaceVersion;
import org.defpi.sdk.MessageCodec;
import org.defpi.sdk.ServiceDefinition;
import org.defpi.wire.hash.InterfaceHash;
import org.defpi.wire.message.UnknownMessageException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flex-device fixture: an XSD interface (an abstract type with extensions, choices, elements
 * of named and anonymous types, a type without an element) and a proto3 interface that imports a
 * second file and a well-known type. Generated, compiled against the SDK, and exercised.
 */
class FlexDeviceGeneratorTest {
  static final String PACKAGE = "org.example.flexdevice";
  static final String XML = PACKAGE + ".flexibility.efi1.xml.";
  static final String PROTO = PACKAGE + ".telemetry.v3.proto.";

  @TempDir static Path dir;
  static Path project;
  static Compiled compiled;

  @BeforeAll
  static void generateAndCompile() throws Exception {
    project = Fixtures.copy("flex-device", dir.resolve("project"));
    new ServiceCodeGenerator(Fixtures::protoc, line -> {}).generate(new ServiceCodeGenerator.Request(
        project.resolve("service.json"), "flex-device", PACKAGE, project.resolve("target/generated-sources/defpi"),
        project.resolve("src/main/java"), project.resolve("target/defpi")));
    compiled = TestCompiler.compile(dir.resolve("classes"),
        project.resolve("target/generated-sources/defpi"), project.resolve("src/main/java"));
  }

  @Test
  void jaxbClassesGoToTheVersionsXmlPackageAndProtocOutputToItsProtoPackage() {
    Path generated = project.resolve("target/generated-sources/defpi/org/example/flexdevice");
    for (String type : List.of("Instruction", "Curtailment", "Shift", "Registration", "Battery", "HeatPump",
        "HeatPumpMode", "StatusReport", "Acknowledgement", "ObjectFactory", "package-info")) {
      assertThat(generated.resolve("flexibility/efi1/xml/" + type + ".java")).exists();
    }
    assertThat(generated.resolve("flexibility/efi1/FlexibilityEfi1ConnectionHandler.java")).exists();
    // The imported file compiles into the same package, with an outer class of its own.
    assertThat(generated.resolve("telemetry/v3/proto/TelemetryV3Proto.java")).exists();
    assertThat(generated.resolve("telemetry/v3/proto/UnitsProto.java")).exists();
  }

  @Test
  void generatedCodeCompilesWithoutWarnings() {
    // protoc's and xjc's output is not ours to judge; everything else should be lint-clean.
    assertThat(compiled.warnings()).filteredOn(w -> !w.contains("/proto/") && !w.contains("/xml/")).isEmpty();
  }

  @Test
  void theXsdHandlerHasAMethodPerReceivedClassAndDispatchesToTheMostSpecific() throws Exception {
    Class<?> handlerType = load("flexibility.efi1.FlexibilityEfi1ConnectionHandler");
    assertThat(Stream.of(handlerType.getDeclaredMethods()).filter(m -> m.getName().startsWith("handle"))
        .map(m -> m.getName() + "(" + m.getParameterTypes()[0].getSimpleName() + ")"))
        .containsExactlyInAnyOrder("handleInstruction(Instruction)", "handleCurtailment(Curtailment)");
    List<String> calls = new ArrayList<>();
    ConnectionHandler recorder = (ConnectionHandler) Proxy.newProxyInstance(compiled.loader(), new Class<?>[] {handlerType},
        (proxy, method, args) -> {
          calls.add(method.getName() + ":" + args[0].getClass().getSimpleName());
          return null;
        });
    InterfaceVersion flexibility = definition().interfaceVersions().get(0);
    flexibility.dispatcher().dispatch(recorder, curtailment("i1", 2000));
    flexibility.dispatcher().dispatch(recorder, shift("i2", 900));
    // Curtailment extends Instruction: its own method wins; Shift has none, so Instruction's takes it.
    assertThat(calls).containsExactly("handleCurtailment:Curtailment", "handleInstruction:Shift");
    assertThatThrownBy(() -> flexibility.dispatcher().dispatch(recorder, registration()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("receives Curtailment, Instruction, not " + XML + "Registration");
  }

  @Test
  void xsdMessagesRoundTripThroughTheSdkXmlCodec() throws Exception {
    MessageCodec codec = definition().interfaceVersions().get(0).codec();

    // An element of a named type: JAXB reads a JAXBElement, the handler gets the Registration.
    byte[] payload = codec.encode(registration());
    assertThat(text(payload)).startsWith("<?xml").contains("<registration xmlns=\"urn:defpi:test:flexibility\">")
        .contains("<battery><capacityWh>5000.0</capacityWh></battery>");
    Object registration = codec.decode(payload);
    assertThat(registration.getClass().getName()).isEqualTo(XML + "Registration");
    assertThat(get(get(registration, "getBattery"), "getCapacityWh")).isEqualTo(5000.0);
    assertThat(get(registration, "getHeatPump")).isNull();

    // The abstract type's element, the extension named by xsi:type.
    payload = codec.encode(curtailment("i1", 2000));
    assertThat(text(payload)).contains("<instruction ").contains("xsi:type=\"Curtailment\"");
    Object curtailment = codec.decode(payload);
    assertThat(curtailment.getClass().getName()).isEqualTo(XML + "Curtailment");
    assertThat(get(curtailment, "getMaxPower")).isEqualTo(2000.0);
    assertThat(get(curtailment, "getValidFrom")).hasToString("2026-05-01T12:00:00Z");
    assertThat(codec.decode(codec.encode(shift("i2", 60))).getClass().getName()).isEqualTo(XML + "Shift");

    // A root element class with a repeated choice.
    Object report = newInstance("StatusReport");
    set(report, "setTime", DatatypeFactory.newInstance().newXMLGregorianCalendar("2026-05-01T12:00:05Z"));
    @SuppressWarnings("unchecked")
    List<Object> readings = (List<Object>) get(report, "getTemperatureOrStateOfCharge");
    Object factory = newInstance("ObjectFactory");
    readings.add(factory.getClass().getMethod("createStatusReportTemperature", Double.class).invoke(factory, 21.5));
    readings.add(factory.getClass().getMethod("createStatusReportStateOfCharge", Double.class).invoke(factory, 80.0));
    payload = codec.encode(report);
    assertThat(text(payload)).contains("<StatusReport xmlns=\"urn:defpi:test:flexibility\" time=\"2026-05-01T12:00:05Z\">"
        + "<temperature>21.5</temperature><stateOfCharge>80.0</stateOfCharge></StatusReport>");
    assertThat(codec.decode(payload).getClass().getName()).isEqualTo(XML + "StatusReport");

    // A type without an element travels as <TypeName> in no namespace.
    Object ack = newInstance("Acknowledgement");
    set(ack, "setInstructionId", "i1");
    set(ack, "setAccepted", true);
    payload = codec.encode(ack);
    assertThat(text(payload)).contains("<Acknowledgement xmlns:ns2=\"urn:defpi:test:flexibility\"><ns2:instructionId>i1");
    assertThat(get(codec.decode(payload), "isAccepted")).isEqualTo(true);

    assertThatThrownBy(() -> codec.decode("<setpoint xmlns=\"urn:defpi:test:flexibility\">1</setpoint>"
        .getBytes(StandardCharsets.UTF_8))).isInstanceOf(UnknownMessageException.class);
    assertThatThrownBy(() -> codec.decode(new byte[] {7, 'S', 'a', 'm', 'p', 'l', 'e', 'x'}))
        .isInstanceOf(UnknownMessageException.class);
  }

  @Test
  void proto3MessagesRoundTripThroughTheProtobufCodec() throws Exception {
    MessageCodec codec = definition().interfaceVersions().get(1).codec();
    Message sample = defaultInstance("TelemetryV3Proto$Sample");
    var descriptor = sample.getDescriptorForType();
    Message location = defaultInstance("TelemetryV3Proto$Sample$Location").toBuilder()
        .setField(field(defaultInstance("TelemetryV3Proto$Sample$Location"), "lat"), 52.0).build();
    Message time = com.google.protobuf.Timestamp.newBuilder().setSeconds(1_777_000_000L).build();
    Message withoutAccuracy = sample.toBuilder()
        .setField(descriptor.findFieldByName("sensor"), "boiler")
        .setField(descriptor.findFieldByName("value"), 61.5)
        .setField(descriptor.findFieldByName("unit"), descriptor.findFieldByName("unit").getEnumType().findValueByName("CELSIUS"))
        .setField(descriptor.findFieldByName("time"), time)
        .setField(descriptor.findFieldByName("location"), location)
        .build();
    Message decoded = (Message) codec.decode(codec.encode(withoutAccuracy));
    assertThat(decoded).isEqualTo(withoutAccuracy);
    // proto3 optional: presence survives the wire, even for the default value 0.
    FieldDescriptor accuracy = descriptor.findFieldByName("accuracy");
    assertThat(decoded.hasField(accuracy)).isFalse();
    Message withAccuracy = withoutAccuracy.toBuilder().setField(accuracy, 0.0).build();
    assertThat(((Message) codec.decode(codec.encode(withAccuracy))).hasField(accuracy)).isTrue();
    // The enum comes from the imported file, compiled into the version's package.
    assertThat(descriptor.findFieldByName("unit").getEnumType().getFile().getName()).isEqualTo("common/units.proto");
    assertThat(load("telemetry.v3.proto.UnitsProto$Unit").getEnumConstants()).hasSize(5); // with UNRECOGNIZED

    Message batch = defaultInstance("TelemetryV3Proto$Batch");
    FieldDescriptor samples = batch.getDescriptorForType().findFieldByName("samples");
    Message twoSamples = batch.toBuilder().addRepeatedField(samples, withoutAccuracy).addRepeatedField(samples, withAccuracy)
        .build();
    assertThat(((Message) codec.decode(codec.encode(twoSamples))).getRepeatedFieldCount(samples)).isEqualTo(2);

    Message query = defaultInstance("TelemetryV3Proto$Query");
    Message lastCount = query.toBuilder().setField(field(query, "last_count"), 10).build();
    Message back = (Message) codec.decode(codec.encode(lastCount));
    assertThat(back.getOneofFieldDescriptor(query.getDescriptorForType().getOneofs().get(0)).getName()).isEqualTo("last_count");
  }

  @Test
  void labelHashesAreOverTheOriginalFilesBytes() throws Exception {
    ServiceDefinition<?> definition = definition();
    String xsd = InterfaceHash.fileHash(Files.readAllBytes(project.resolve("flexibility.xsd")));
    InterfaceVersion flexibility = definition.interfaceVersions().get(0);
    assertThat(flexibility.interfaceId()).isEqualTo("flex-device/flexibility");
    assertThat(flexibility.sendsHash())
        .isEqualTo(InterfaceHash.messageSetHash(xsd, List.of("registration", "StatusReport", "Acknowledgement")));
    assertThat(flexibility.receivesHash()).isEqualTo(InterfaceHash.messageSetHash(xsd, List.of("Instruction", "Curtailment")));
    String proto = InterfaceHash.fileHash(Files.readAllBytes(project.resolve("telemetry.proto")));
    InterfaceVersion telemetry = definition.interfaceVersions().get(1);
    assertThat(telemetry.sendsHash()).isEqualTo(InterfaceHash.messageSetHash(proto, List.of("Sample", "Batch")));
    assertThat(telemetry.receivesHash()).isEqualTo(InterfaceHash.messageSetHash(proto, List.of("Query")));
  }

  private static String text(byte[] payload) {
    return new String(payload, StandardCharsets.UTF_8);
  }

  private static Class<?> load(String name) throws ClassNotFoundException {
    return compiled.load(PACKAGE + "." + name);
  }

  private static Object newInstance(String xmlType) throws Exception {
    return compiled.load(XML + xmlType).getConstructor().newInstance();
  }

  private static Object curtailment(String id, double maxPower) throws Exception {
    Object c = instruction("Curtailment", id);
    set(c, "setMaxPower", maxPower);
    return c;
  }

  private static Object shift(String id, long delaySeconds) throws Exception {
    Object s = instruction("Shift", id);
    set(s, "setDelaySeconds", delaySeconds);
    return s;
  }

  private static Object instruction(String type, String id) throws Exception {
    Object i = newInstance(type);
    set(i, "setId", id);
    set(i, "setValidFrom", DatatypeFactory.newInstance().newXMLGregorianCalendar("2026-05-01T12:00:00Z"));
    return i;
  }

  private static Object registration() throws Exception {
    Object battery = newInstance("Battery");
    set(battery, "setCapacityWh", 5000.0);
    Object registration = newInstance("Registration");
    set(registration, "setDeviceId", "dev-1");
    set(registration, "setBattery", battery);
    return registration;
  }

  private static void set(Object target, String setter, Object value) throws Exception {
    for (var method : target.getClass().getMethods()) {
      if (method.getName().equals(setter) && method.getParameterCount() == 1) {
        method.invoke(target, value);
        return;
      }
    }
    throw new NoSuchMethodException(setter);
  }

  private static Object get(Object target, String getter) throws Exception {
    return target.getClass().getMethod(getter).invoke(target);
  }

  private static FieldDescriptor field(Message message, String name) {
    return message.getDescriptorForType().findFieldByName(name);
  }

  private static Message defaultInstance(String protoClass) throws Exception {
    return (Message) compiled.load(PROTO + protoClass).getMethod("getDefaultInstance").invoke(null);
  }

  private static ServiceDefinition<?> definition() throws Exception {
    try {
      return (ServiceDefinition<?>) load("FlexDeviceMain").getMethod("definition").invoke(null);
    } catch (InvocationTargetException e) {
      throw (Exception) e.getCause();
    }
  }
}
