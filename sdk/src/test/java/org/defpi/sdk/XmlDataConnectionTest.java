package org.defpi.sdk;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import javax.xml.namespace.QName;
import org.defpi.sdk.testing.FakeOrchestrator;
import org.defpi.sdk.testing.ManagementClient;
import org.defpi.sdk.testing.RecordingService;
import org.defpi.sdk.testing.TestInterface;
import org.defpi.sdk.testing.XmlMessages;
import org.defpi.sdk.testing.XmlMessages.Acknowledgement;
import org.defpi.sdk.testing.XmlMessages.Curtailment;
import org.defpi.sdk.testing.XmlMessages.Instruction;
import org.defpi.sdk.testing.XmlMessages.Status;
import org.defpi.wire.hash.InterfaceHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An XSD interface between two real runtimes on loopback, wired as the code generator wires one:
 * a controller sends instructions (an abstract type; a Curtailment arrives as the {@code
 * instruction} element with {@code xsi:type}), a device answers with a Status (a root element
 * class) and an Acknowledgement (a type without an element). The JAXB classes are hand-written in
 * {@link XmlMessages}.
 */
class XmlDataConnectionTest {
  /** Stands for the .xsd file: the hashes are taken over its bytes as the build tools do. */
  private static final String FILE_HASH = InterfaceHash.fileHash("<xs:schema/>".getBytes(StandardCharsets.UTF_8));
  private static final String INSTRUCTIONS = InterfaceHash.messageSetHash(FILE_HASH, List.of("Instruction"));
  private static final String REPORTS = InterfaceHash.messageSetHash(FILE_HASH, List.of("Acknowledgement", "Status"));
  private static final TestInterface.Side CONTROLLER = new TestInterface.Side(REPORTS, INSTRUCTIONS);
  private static final TestInterface.Side DEVICE = new TestInterface.Side(INSTRUCTIONS, REPORTS);

  private FakeOrchestrator orchestrator;
  private ServiceProcess controller;
  private ServiceProcess device;
  private ManagementClient controllerManagement;
  private ManagementClient deviceManagement;
  private final BlockingQueue<Recorder> controllerHandlers = new LinkedBlockingQueue<>();
  private final BlockingQueue<Recorder> deviceHandlers = new LinkedBlockingQueue<>();

  /** What a generated handler with {@code handleInstruction}, {@code handleStatus}... would record. */
  static final class Recorder implements ConnectionHandler {
    final Connection connection;
    final List<Object> received = new CopyOnWriteArrayList<>();

    Recorder(Connection connection) {
      this.connection = connection;
    }
  }

  /** The codec and dispatcher the generator writes for this XSD version, given the messages' classes. */
  private static InterfaceVersion version(TestInterface.Side side, BlockingQueue<Recorder> handlers,
      List<Class<?>> received) {
    MessageCodec codec = XmlMessageCodec.builder(XmlMessages.ObjectFactory.class)
        .message(Instruction.class, XmlMessages.INSTRUCTION)
        .message(Status.class)
        .message(Acknowledgement.class, new QName("", "Acknowledgement"))
        .build();
    return new InterfaceVersion("flex/flexibility", side == CONTROLLER ? "controller" : "device",
        side.receivesHash(), side.sendsHash(), codec,
        connection -> {
          Recorder recorder = new Recorder(connection);
          handlers.add(recorder);
          return recorder;
        },
        (handler, message) -> {
          if (received.stream().noneMatch(type -> type.isInstance(message))) {
            throw new IllegalArgumentException("does not receive " + message.getClass().getSimpleName());
          }
          ((Recorder) handler).received.add(message);
        });
  }

  @BeforeEach
  void startTwoProcesses() throws Exception {
    orchestrator = new FakeOrchestrator();
    controller = ServiceRunner.start(new ServiceDefinition<>(new RecordingService(), RecordingService.BINDER,
        List.of(version(CONTROLLER, controllerHandlers, List.of(Status.class, Acknowledgement.class)))),
        orchestrator.options("controller"));
    device = ServiceRunner.start(new ServiceDefinition<>(new RecordingService(), RecordingService.BINDER,
        List.of(version(DEVICE, deviceHandlers, List.of(Instruction.class)))),
        orchestrator.options("device"));
    controllerManagement = orchestrator.connect(controller);
    deviceManagement = orchestrator.connect(device);
    controllerManagement.setConfig("controller", Map.of(), false);
    deviceManagement.setConfig("device", Map.of(), false);
  }

  @AfterEach
  void stopAll() throws Exception {
    controllerManagement.close();
    deviceManagement.close();
    controller.close();
    device.close();
    orchestrator.close();
  }

  @Test
  void xmlMessagesCrossTheConnectionBothWaysAsTheirOwnTypes() throws Exception {
    int port = ManagementProtocolTest.freePort();
    controllerManagement.create("x1", CONTROLLER, "", port);
    deviceManagement.create("x1", DEVICE, "127.0.0.1", port);
    Recorder atController = controllerHandlers.poll(5, SECONDS);
    Recorder atDevice = deviceHandlers.poll(5, SECONDS);
    assertThat(atController).isNotNull();
    assertThat(atDevice).isNotNull();
    await().atMost(5, SECONDS).until(() -> atController.connection.state() == ConnectionState.CONNECTED
        && atDevice.connection.state() == ConnectionState.CONNECTED);

    atController.connection.send(Curtailment.of("i1", 2500.0));
    await().atMost(5, SECONDS).until(() -> atDevice.received.size() == 1);
    assertThat(atDevice.received.getFirst()).isInstanceOfSatisfying(Curtailment.class, c -> {
      assertThat(c.id).isEqualTo("i1");
      assertThat(c.maxPower).isEqualTo(2500.0);
    });

    atDevice.connection.send(Acknowledgement.of("i1"));
    atDevice.connection.send(Status.of("curtailed"));
    await().atMost(5, SECONDS).until(() -> atController.received.size() == 2);
    assertThat(atController.received.get(0)).isInstanceOfSatisfying(Acknowledgement.class,
        a -> assertThat(a.id).isEqualTo("i1"));
    assertThat(atController.received.get(1)).isInstanceOfSatisfying(Status.class,
        s -> assertThat(s.state).isEqualTo("curtailed"));
  }
}
