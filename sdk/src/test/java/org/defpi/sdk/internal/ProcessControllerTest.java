package org.defpi.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.defpi.sdk.DefPiParameters;
import org.defpi.sdk.Service;
import org.defpi.sdk.ServiceDefinition;
import org.defpi.sdk.testing.RecordingService;
import org.defpi.sdk.testing.TestInterface;
import org.defpi.wire.frame.FrameReader;
import org.defpi.wire.frame.FrameWriter;
import org.defpi.wire.frame.Heartbeat;
import org.defpi.wire.message.ProtobufMessageCodec;
import org.defpi.wire.protocol.ConnectionProto.ConnectionHandshake;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage.ModeType;
import org.defpi.wire.protocol.ConnectionProto.ConnectionState;
import org.defpi.wire.protocol.ProcessProto.ErrorMessage;
import org.defpi.wire.protocol.ProcessProto.GoToProcessStateMessage;
import org.defpi.wire.protocol.ProcessProto.ProcessState;
import org.defpi.wire.protocol.ProcessProto.ProcessStateUpdateMessage;
import org.defpi.wire.protocol.ProcessProto.SetConfigMessage;
import org.junit.jupiter.api.Test;

/** The management protocol's meaning, without sockets (connection messages that open none). */
class ProcessControllerTest {
  private static final DefPiParameters PARAMETERS =
      new DefPiParameters("orchestrator", 8484, "secret", "p1", "u1", "Ursula", "u@example.org");
  private static final DataConnection.Settings SETTINGS = new DataConnection.Settings(
      Duration.ofSeconds(1), 2, 10, new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1)), 1024);

  private final RecordingService service = new RecordingService();

  private ProcessController<RecordingService.Config> controller(Service<RecordingService.Config> s, Duration timeout) {
    ServiceDefinition<RecordingService.Config> definition =
        new ServiceDefinition<>(s, RecordingService.BINDER, new TestInterface().versions());
    return new ProcessController<>(definition, PARAMETERS,
        new ConnectionRegistry(definition.interfaceVersions(), SETTINGS, timeout), timeout);
  }

  private ProcessController<RecordingService.Config> controller() {
    return controller(service, Duration.ofSeconds(5));
  }

  @Test
  void goToRunningWithoutConfigurationStartsWithTheDefaults() {
    ProcessController<RecordingService.Config> controller = controller();

    Message reply = controller.handle(goTo(ProcessState.RUNNING));

    assertThat(state(reply)).isEqualTo(ProcessState.RUNNING);
    assertThat(service.calls()).containsExactly("init 10");
    // Again: already running, nothing to do.
    controller.handle(goTo(ProcessState.RUNNING));
    assertThat(service.calls()).containsExactly("init 10");
  }

  @Test
  void startingAndInitializingAreNoTargets() {
    assertThat(controller().handle(goTo(ProcessState.STARTING))).isInstanceOfSatisfying(ErrorMessage.class,
        e -> assertThat(e.getDebugInformation()).isEqualTo(
            "a process cannot be sent to STARTING; targets are RUNNING, SUSPENDED and TERMINATED"));
  }

  @Test
  void afterTerminationOnlyTerminatedIsAnsweredAndTheServiceIsNotCalledAgain() {
    ProcessController<RecordingService.Config> controller = controller();
    controller.handle(setConfig(Map.of("interval", "3")));

    assertThat(state(controller.handle(goTo(ProcessState.TERMINATED)))).isEqualTo(ProcessState.TERMINATED);
    assertThat(state(controller.handle(goTo(ProcessState.TERMINATED)))).isEqualTo(ProcessState.TERMINATED);
    assertThat(controller.handle(setConfig(Map.of()))).isInstanceOfSatisfying(ErrorMessage.class,
        e -> assertThat(e.getDebugInformation()).isEqualTo("process p1 is terminated"));
    assertThat(service.calls()).containsExactly("init 3", "terminate");
    assertThat(controller.terminated()).isTrue();
  }

  @Test
  void aServiceMethodThatDoesNotReturnInTimeIsAnErrorMessage() throws Exception {
    CountDownLatch stuck = new CountDownLatch(1);
    Service<RecordingService.Config> slow = (config, parameters) -> stuck.await();
    ProcessController<RecordingService.Config> controller = controller(slow, Duration.ofMillis(200));

    Message reply = controller.handle(setConfig(Map.of()));

    assertThat(reply).isInstanceOfSatisfying(ErrorMessage.class, e -> assertThat(e.getDebugInformation())
        .isEqualTo("init() of the service did not finish within 200 ms"));
    stuck.countDown();
  }

  @Test
  void suspendOrTerminateOfAnUnknownConnection() {
    ProcessController<RecordingService.Config> controller = controller();

    assertThat(controller.handle(connection(ModeType.SUSPEND, "nope"))).isInstanceOfSatisfying(ErrorMessage.class,
        e -> assertThat(e.getDebugInformation()).isEqualTo("unknown connection id 'nope'; this process has []"));
    // TERMINATE is idempotent: an unknown id is already terminated.
    assertThat(controller.handle(connection(ModeType.TERMINATE, "nope"))).isInstanceOfSatisfying(
        ConnectionHandshake.class, h -> assertThat(h.getConnectionState()).isEqualTo(ConnectionState.TERMINATED));
  }

  @Test
  void aManagementSessionAnswersPingsAndRequestsInOrderAndEndsWithTheStream() throws Exception {
    ProcessController<RecordingService.Config> controller = controller();
    ManagementServer server = new ManagementServer(controller, 0, 1024, () -> {});
    ByteArrayOutputStream requests = new ByteArrayOutputStream();
    FrameWriter writer = new FrameWriter(requests);
    writer.writeHeartbeat(Heartbeat.PING);
    writer.write(ManagementServer.CODEC.encode(setConfig(Map.of())));
    writer.write(new byte[] {3, 'F', 'o', 'o'});
    ByteArrayOutputStream replies = new ByteArrayOutputStream();

    server.serve(new ByteArrayInputStream(requests.toByteArray()), replies);

    FrameReader reader = new FrameReader(new ByteArrayInputStream(replies.toByteArray()));
    ProtobufMessageCodec codec = ProtobufMessageCodec.of(
        ProcessStateUpdateMessage.getDefaultInstance(), ErrorMessage.getDefaultInstance());
    assertThat(reader.read()).hasValueSatisfying(p -> assertThat(p).containsExactly(Heartbeat.PONG));
    assertThat(codec.decode(reader.read().orElseThrow())).isInstanceOf(ProcessStateUpdateMessage.class);
    assertThat(codec.decode(reader.read().orElseThrow())).isInstanceOf(ErrorMessage.class);
    assertThat(reader.read()).isEmpty();
    assertThat(service.calls()).isEqualTo(List.of("init 10"));
  }

  private static GoToProcessStateMessage goTo(ProcessState state) {
    return GoToProcessStateMessage.newBuilder().setProcessId("p1").setTargetState(state).build();
  }

  private static SetConfigMessage setConfig(Map<String, String> config) {
    return SetConfigMessage.newBuilder().setProcessId("p1").setIsUpdate(false).putAllConfig(config).build();
  }

  private static ConnectionMessage connection(ModeType mode, String id) {
    return ConnectionMessage.newBuilder().setMode(mode).setConnectionId(id).build();
  }

  private static ProcessState state(Message reply) {
    assertThat(reply).isInstanceOf(ProcessStateUpdateMessage.class);
    return ((ProcessStateUpdateMessage) reply).getState();
  }
}
