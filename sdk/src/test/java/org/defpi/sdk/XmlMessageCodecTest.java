package org.defpi.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.namespace.QName;
import org.defpi.sdk.testing.XmlMessages;
import org.defpi.sdk.testing.XmlMessages.Acknowledgement;
import org.defpi.sdk.testing.XmlMessages.Curtailment;
import org.defpi.sdk.testing.XmlMessages.Instruction;
import org.defpi.sdk.testing.XmlMessages.Status;
import org.defpi.wire.message.UnknownMessageException;
import org.junit.jupiter.api.Test;

/** The XML payloads of WIRE.md section 5: the JAXB document, no name prefix, the root element tells the type. */
class XmlMessageCodecTest {
  private static final XmlMessageCodec CODEC = XmlMessageCodec.builder(XmlMessages.ObjectFactory.class)
      .message(Instruction.class, XmlMessages.INSTRUCTION)
      .message(Status.class)
      .message(Acknowledgement.class, new QName("", "Acknowledgement"))
      .build();

  private static String xml(byte[] payload) {
    return new String(payload, StandardCharsets.UTF_8);
  }

  @Test
  void aRootElementClassIsTheDocumentItselfWithNoNamePrefix() throws Exception {
    byte[] payload = CODEC.encode(Status.of("idle"));
    assertThat(xml(payload)).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>")
        .contains("<Status xmlns=\"urn:defpi:test:flexibility\" state=\"idle\"/>");
    assertThat(CODEC.decode(payload)).isInstanceOfSatisfying(Status.class, s -> assertThat(s.state).isEqualTo("idle"));
  }

  @Test
  void aSubtypeOfAnAbstractTypeTravelsAsTheElementOfItsBaseWithXsiTypeAndArrivesUnwrapped() throws Exception {
    byte[] payload = CODEC.encode(Curtailment.of("i1", 2500.0));
    assertThat(xml(payload)).contains("<instruction xmlns=\"urn:defpi:test:flexibility\"")
        .contains("xsi:type=\"Curtailment\"").contains("<maxPower>2500.0</maxPower>");
    // The handler gets the value, not the JAXBElement the element's named type makes JAXB return.
    Object decoded = CODEC.decode(payload);
    assertThat(decoded).isInstanceOfSatisfying(Curtailment.class, c -> {
      assertThat(c.id).isEqualTo("i1");
      assertThat(c.maxPower).isEqualTo(2500.0);
    });
  }

  @Test
  void aJaxbElementIsSentAsItIs() throws Exception {
    byte[] payload = CODEC.encode(new XmlMessages.ObjectFactory().createInstruction(Curtailment.of("i2", 1.0)));
    assertThat(CODEC.decode(payload)).isInstanceOf(Curtailment.class);
  }

  @Test
  void aTypeWithoutAnElementIsSentAsTheOriginalToolsDidNamedAfterTheTypeInNoNamespace() throws Exception {
    byte[] payload = CODEC.encode(Acknowledgement.of("i1"));
    assertThat(xml(payload)).contains("<Acknowledgement ");
    assertThat(CODEC.decode(payload)).isInstanceOfSatisfying(Acknowledgement.class, a -> assertThat(a.id).isEqualTo("i1"));
  }

  @Test
  void aTypeIsAlsoReadFromTheElementTheOriginalToolsWouldHaveSentItAs() throws Exception {
    // dEF-Pi wrote a value of a class without @XmlRootElement as <TypeName> in no namespace.
    XmlMessageCodec curtailments = XmlMessageCodec.builder(XmlMessages.ObjectFactory.class)
        .message(Curtailment.class, XmlMessages.INSTRUCTION, Instruction.class)
        .build();
    String fromDefPi = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
        + "<Curtailment xmlns:f=\"urn:defpi:test:flexibility\"><f:id>x</f:id><f:maxPower>3.5</f:maxPower></Curtailment>";
    assertThat(curtailments.decode(fromDefPi.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(Curtailment.class, c -> assertThat(c.maxPower).isEqualTo(3.5));
    assertThat(curtailments.decode(curtailments.encode(Curtailment.of("y", 1)))).isInstanceOf(Curtailment.class);
  }

  @Test
  void theConvenienceCodecTakesRootElementClasses() throws Exception {
    MessageCodec codec = MessageCodec.xml(Status.class);
    assertThat(codec.decode(codec.encode(Status.of("busy")))).isInstanceOfSatisfying(Status.class,
        s -> assertThat(s.state).isEqualTo("busy"));
    assertThatThrownBy(() -> MessageCodec.xml(Acknowledgement.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("@XmlRootElement");
  }

  @Test
  void onlyMessageTypesAreSent() {
    assertThatThrownBy(() -> CODEC.encode("text")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot send java.lang.String: this interface version sends and receives Acknowledgement, Instruction, Status");
    assertThatThrownBy(() -> CODEC.encode(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void whatIsNoMessageOfTheSchemaIsAnUnknownMessage() {
    assertRefused("", "not a well-formed XML document");
    assertRefused("\u0005Ping\u0008\u0001", "not a well-formed XML document");
    assertRefused("<Status state=\"x\"", "not a well-formed XML document");
    assertRefused("<other xmlns=\"urn:elsewhere\"/>", "cannot read root element {urn:elsewhere}other");
    assertRefused("<Status xmlns=\"urn:defpi:test:flexibility\" state=\"a\"/><Status/>", "");
    assertRefused("<Status xmlns=\"urn:defpi:test:flexibility\" state=\"a\"/>trailing", "Content is not allowed in trailing section");
  }

  @Test
  void dtdsAndExternalEntitiesAreRefused() {
    assertRefused("<?xml version=\"1.0\"?><!DOCTYPE Status [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<Status xmlns=\"urn:defpi:test:flexibility\" state=\"&x;\"/>", "");
  }

  @Test
  void anElementOfTheSchemaThatIsNoMessageTypeIsRefused() {
    XmlMessageCodec statusOnly = XmlMessageCodec.builder(XmlMessages.ObjectFactory.class).message(Status.class).build();
    assertThatThrownBy(() -> statusOnly.decode(CODEC.encode(Curtailment.of("i", 1))))
        .isInstanceOf(UnknownMessageException.class)
        .hasMessageContaining("not a message type of this interface version (Status)");
  }

  @Test
  void unrelatedTypesCannotShareAnElement() {
    assertThatThrownBy(() -> XmlMessageCodec.builder().message(Status.class, XmlMessages.INSTRUCTION, Acknowledgement.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not extend");
  }

  private static void assertRefused(String payload, String reason) {
    assertThatThrownBy(() -> CODEC.decode(payload.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(UnknownMessageException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void oneCodecServesManyThreadsAtOnce() throws Exception {
    // Each connection decodes on its own thread and any thread may send: one codec serves them all.
    try (var executor = java.util.concurrent.Executors.newFixedThreadPool(4)) {
      List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        results.add(executor.submit(() -> {
          int ok = 0;
          for (int i = 0; i < 200; i++) {
            Curtailment sent = Curtailment.of("t" + thread + "-" + i, i);
            Curtailment back = (Curtailment) CODEC.decode(CODEC.encode(sent));
            ok += back.id.equals(sent.id) && back.maxPower == i ? 1 : 0;
          }
          return ok;
        }));
      }
      for (var result : results) {
        assertThat(result.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(200);
      }
    }
  }
}
