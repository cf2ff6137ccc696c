package org.defpi.sdk;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.defpi.sdk.testing.TestInterface.text;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.defpi.sdk.testing.FakeOrchestrator;
import org.defpi.sdk.testing.ManagementClient;
import org.defpi.sdk.testing.RecordingHandler;
import org.defpi.sdk.testing.RecordingService;
import org.defpi.sdk.testing.StatefulService;
import org.defpi.sdk.testing.TestInterface;
import org.defpi.wire.protocol.ConnectionProto.ConnectionHandshake;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage.ModeType;
import org.defpi.wire.protocol.ProcessProto.ErrorMessage;
import org.defpi.wire.protocol.ProcessProto.ProcessState;
import org.defpi.wire.protocol.ProcessProto.ProcessStateUpdateMessage;
import org.defpi.wire.protocol.ProcessProto.ResumeProcessMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A process moves, as the orchestrator moves one: its connections and then the process are
 * suspended, the state it answers with is handed to a NEW runtime (another container) in a {@code
 * ResumeProcessMessage}, and the connections are resumed towards it. Everything over the real
 * management protocol and real sockets on loopback.
 */
class StateMoveTest {
  private static final String MOVER = "mover";
  private static final int BOUND = 20;
  private static final Struct STATE = Struct.newBuilder()
      .putFields("totalWh", Value.newBuilder().setNumberValue(1234.5).build())
      .putFields("phase", Value.newBuilder().setStringValue("L2").build())
      .build();

  private FakeOrchestrator orchestrator;
  private final TestInterface chatPeer = new TestInterface();
  private ServiceProcess peer;
  private ManagementClient peerManagement;
  private ServiceProcess oldMover;
  private ServiceProcess newMover;

  @BeforeEach
  void startPeer() throws Exception {
    orchestrator = new FakeOrchestrator();
    peer = ServiceRunner.start(RecordingService.definition(new RecordingService(), chatPeer),
        orchestrator.options("peer").withSendBufferLimit(BOUND));
    peerManagement = orchestrator.connect(peer);
    peerManagement.setConfig("peer", Map.of(), false);
  }

  @AfterEach
  void stopAll() throws Exception {
    peerManagement.close();
    peer.close();
    if (oldMover != null) {
      oldMover.close();
    }
    if (newMover != null) {
      newMover.close();
    }
    orchestrator.close();
  }

  @Test
  void theStateSavedAtSuspendReachesTheNewRuntimeEqualAndBufferedMessagesFollowInOrder() throws Exception {
    // Before: the mover runs and is connected to the peer, which connects to it.
    StatefulService oldService = new StatefulService("1.0.0");
    TestInterface oldChat = new TestInterface();
    oldMover = ServiceRunner.start(StatefulService.definition(oldService, oldChat), orchestrator.options(MOVER));
    int oldPort = ManagementProtocolTest.freePort();
    RecordingHandler peerHandler;
    ByteString stateData;
    try (ManagementClient management = orchestrator.connect(oldMover)) {
      management.setConfig(MOVER, Map.of(), false);
      management.create("c1", TestInterface.A, "", oldPort);
      peerManagement.create("c1", TestInterface.B, "127.0.0.1", oldPort);
      peerHandler = chatPeer.handlers().poll(5, SECONDS);
      RecordingHandler oldHandler = oldChat.handlers().poll(5, SECONDS);
      await().atMost(5, SECONDS).until(() -> peerHandler.connection().state() == ConnectionState.CONNECTED
          && oldHandler.connection().state() == ConnectionState.CONNECTED);
      oldService.setState(STATE);

      // The move: both ends of the connection suspended, then the process, which saves its state.
      peerManagement.connectionMode(ModeType.SUSPEND, "c1", TestInterface.B, "127.0.0.1", oldPort);
      management.connectionMode(ModeType.SUSPEND, "c1", TestInterface.A, "", oldPort);
      Message suspended = management.goTo(MOVER, ProcessState.SUSPENDED);
      assertThat(suspended).isInstanceOfSatisfying(ProcessStateUpdateMessage.class,
          update -> assertThat(update.getState()).isEqualTo(ProcessState.SUSPENDED));
      stateData = ((ProcessStateUpdateMessage) suspended).getStateData();
    }
    // Meanwhile the peer goes on sending, up to its buffer's bound.
    List<String> sent = IntStream.range(0, BOUND).mapToObj(i -> "m" + i).toList();
    sent.forEach(t -> peerHandler.connection().send(text("peer", t)));
    // At the bound the next message is refused, explicitly; the ones buffered are kept.
    assertThatThrownBy(() -> peerHandler.connection().send(text("peer", "one too many")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("connection c1 is SUSPENDED and its send buffer is full (" + BOUND + " messages)");
    oldMover.close(); // the old container is removed

    // After: a new runtime of the same process, in a "new container", on a new port.
    StatefulService newService = new StatefulService("1.1.0");
    TestInterface newChat = new TestInterface();
    newMover = ServiceRunner.start(StatefulService.definition(newService, newChat), orchestrator.options(MOVER));
    int newPort = ManagementProtocolTest.freePort();
    try (ManagementClient management = orchestrator.connect(newMover)) {
      management.setConfig(MOVER, Map.of(), false);
      Message resumed = management.request(
          ResumeProcessMessage.newBuilder().setProcessId(MOVER).setStateData(stateData).build());
      assertThat(resumed).isInstanceOfSatisfying(ProcessStateUpdateMessage.class,
          update -> assertThat(update.getState()).isEqualTo(ProcessState.RUNNING));
      assertThat(newService.state()).isEqualTo(STATE);
      assertThat(newService.resumedFrom().serviceVersion()).isEqualTo("1.0.0"); // who wrote it

      // RESUME of a connection the new runtime does not know creates it.
      assertThat(management.connectionMode(ModeType.RESUME, "c1", TestInterface.A, "", newPort))
          .isInstanceOf(ConnectionHandshake.class);
      peerManagement.connectionMode(ModeType.RESUME, "c1", TestInterface.B, "127.0.0.1", newPort);
    }
    RecordingHandler newHandler = newChat.handlers().poll(5, SECONDS);
    await().atMost(5, SECONDS).until(() -> newHandler.texts().size() >= BOUND);
    peerHandler.connection().send(text("peer", "after the move"));

    await().atMost(5, SECONDS).until(() -> newHandler.texts().size() == BOUND + 1);
    assertThat(newHandler.texts().subList(0, BOUND)).isEqualTo(sent);
    assertThat(newHandler.texts().getLast()).isEqualTo("after the move");
    assertThat(peerHandler.events()).containsSubsequence("onSuspend", "resumeAfterSuspend");
  }

  @Test
  void aStateInAFutureFormatIsRefusedWithAnErrorMessageThatSaysWhy() throws Exception {
    StatefulService service = new StatefulService("1.0.0");
    newMover = ServiceRunner.start(StatefulService.definition(service, new TestInterface()), orchestrator.options(MOVER));
    byte[] future = ServiceState.of(StatefulService.SERVICE_ID, "3.0.0", STATE).toBytes();
    future[4] = 2; // the format byte

    try (ManagementClient management = orchestrator.connect(newMover)) {
      management.setConfig(MOVER, Map.of(), false);
      Message reply = management.request(ResumeProcessMessage.newBuilder().setProcessId(MOVER)
          .setStateData(ByteString.copyFrom(future)).build());

      assertThat(reply).isInstanceOfSatisfying(ErrorMessage.class, error -> assertThat(error.getDebugInformation())
          .isEqualTo("cannot resume from the saved state: the saved state is in format 2, newer than this SDK"
              + " reads (up to 1): it was saved by a newer build; resume it with that build or a later one"));
      assertThat(service.resumedFrom()).isNull();
    }
  }

  @Test
  void anotherServicesStateIsRefused() throws Exception {
    StatefulService service = new StatefulService("1.0.0");
    newMover = ServiceRunner.start(StatefulService.definition(service, new TestInterface()), orchestrator.options(MOVER));

    try (ManagementClient management = orchestrator.connect(newMover)) {
      management.setConfig(MOVER, Map.of(), false);
      Message reply = management.request(ResumeProcessMessage.newBuilder().setProcessId(MOVER)
          .setStateData(ByteString.copyFrom(ServiceState.of("power-meter", "1.0.0", STATE).toBytes())).build());

      assertThat(reply).isInstanceOfSatisfying(ErrorMessage.class, error -> assertThat(error.getDebugInformation())
          .isEqualTo("cannot resume from the saved state: the saved state belongs to service 'power-meter'"
              + " (version '1.0.0'), not to 'stateful-test'"));
    }
    assertThatThrownBy(() -> service.resumeFrom(new byte[0])).isInstanceOf(InvalidStateException.class);
  }
}
