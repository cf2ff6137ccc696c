package org.defpi.sdk;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import org.defpi.sdk.testing.FakeOrchestrator;
import org.defpi.sdk.testing.ManagementClient;
import org.defpi.sdk.testing.RecordingHandler;
import org.defpi.sdk.testing.RecordingService;
import org.defpi.sdk.testing.TestInterface;
import org.defpi.wire.protocol.ConnectionProto.ConnectionHandshake;
import org.defpi.wire.protocol.ConnectionProto.ConnectionState;
import org.defpi.wire.protocol.ProcessProto.ErrorMessage;
import org.defpi.wire.protocol.ProcessProto.ProcessState;
import org.defpi.wire.protocol.ProcessProto.ProcessStateUpdateMessage;
import org.defpi.wire.protocol.ProcessProto.ResumeProcessMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real runtime on loopback, driven by a fake orchestrator over HTTP and the management port. */
class ManagementProtocolTest {
  private static final String PROCESS = "proc-1";

  private FakeOrchestrator orchestrator;
  private final RecordingService service = new RecordingService();
  private final TestInterface chat = new TestInterface();
  private ServiceProcess process;

  @BeforeEach
  void startOrchestrator() throws Exception {
    orchestrator = new FakeOrchestrator();
  }

  @AfterEach
  void stopAll() {
    if (process != null) {
      process.close();
    }
    orchestrator.close();
  }

  private ServiceProcess start() {
    process = ServiceRunner.start(RecordingService.definition(service, chat), orchestrator.options(PROCESS));
    return process;
  }

  @Test
  void triggerCallCarriesTheTokenThenSetConfigInitialisesAndAnswersRunning() throws Exception {
    start();
    assertThat(orchestrator.triggers()).containsExactly(PROCESS);

    try (ManagementClient management = orchestrator.connect(process)) {
      Message reply = management.setConfig(PROCESS, Map.of("interval", "5"), false);

      assertThat(reply).isInstanceOf(ProcessStateUpdateMessage.class);
      ProcessStateUpdateMessage update = (ProcessStateUpdateMessage) reply;
      assertThat(update.getProcessId()).isEqualTo(PROCESS);
      assertThat(update.getState()).isEqualTo(ProcessState.RUNNING);
      assertThat(service.calls()).containsExactly("init 5");
      assertThat(service.parameters().processId()).isEqualTo(PROCESS);
      assertThat(service.parameters().userName()).isEqualTo("Ursula");
    }
  }

  @Test
  void invalidConfigIsAnErrorMessageNamingTheParameter() throws Exception {
    start();
    try (ManagementClient management = orchestrator.connect(process)) {
      Message reply = management.setConfig(PROCESS, Map.of("interval", "soon"), false);

      assertThat(reply).isInstanceOfSatisfying(ErrorMessage.class, error -> {
        assertThat(error.getProcessId()).isEqualTo(PROCESS);
        assertThat(error.getDebugInformation()).contains("interval").contains("soon");
      });
      assertThat(service.calls()).isEmpty();

      // A failed start is not the end: the orchestrator may configure again.
      assertThat(management.setConfig(PROCESS, Map.of("interval", "7"), false))
          .isInstanceOf(ProcessStateUpdateMessage.class);
      assertThat(service.calls()).containsExactly("init 7");
    }
  }

  @Test
  void serviceThatThrowsInInitIsAnErrorMessageSayingWhat() throws Exception {
    start();
    try (ManagementClient management = orchestrator.connect(process)) {
      Message reply = management.setConfig(PROCESS, Map.of("mode", "explode"), false);

      assertThat(reply).isInstanceOfSatisfying(ErrorMessage.class, error -> assertThat(error.getDebugInformation())
          .isEqualTo("init() of the service failed: IllegalStateException: cannot run in mode explode"));
    }
  }

  @Test
  void updateCallsModifyAndAnUnneededInitialConfigDoesNotInitialiseTwice() throws Exception {
    start();
    try (ManagementClient management = orchestrator.connect(process)) {
      management.setConfig(PROCESS, Map.of("interval", "1"), false);
      assertThat(management.setConfig(PROCESS, Map.of("interval", "2"), true))
          .isInstanceOf(ProcessStateUpdateMessage.class);
      // An orchestrator that restarted sends isUpdate=false again: modify, as dEF-Pi did.
      management.setConfig(PROCESS, Map.of("interval", "3"), false);

      assertThat(service.calls()).containsExactly("init 1", "modify 2", "modify 3");
    }
  }

  @Test
  void suspendAnswersWithTheServiceStateAndResumeHandsItBack() throws Exception {
    start();
    try (ManagementClient management = orchestrator.connect(process)) {
      management.setConfig(PROCESS, Map.of(), false);

      Message suspended = management.goTo(PROCESS, ProcessState.SUSPENDED);
      assertThat(suspended).isInstanceOfSatisfying(ProcessStateUpdateMessage.class, update -> {
        assertThat(update.getState()).isEqualTo(ProcessState.SUSPENDED);
        assertThat(update.getStateData().toStringUtf8()).isEqualTo("saved-state");
      });

      Message resumed = management.request(ResumeProcessMessage.newBuilder().setProcessId(PROCESS)
          .setStateData(ByteString.copyFromUtf8("saved-state")).build());
      assertThat(resumed).isInstanceOfSatisfying(ProcessStateUpdateMessage.class,
          update -> assertThat(update.getState()).isEqualTo(ProcessState.RUNNING));
      assertThat(service.calls()).containsExactly("init 10", "suspend", "resumeFrom saved-state");
    }
  }

  @Test
  void goToTerminatedClosesConnectionsTerminatesTheServiceAnswersAndEndsTheProcess() throws Exception {
    start();
    try (ManagementClient management = orchestrator.connect(process)) {
      management.setConfig(PROCESS, Map.of(), false);
      management.create("c1", TestInterface.A, "", freePort());
      RecordingHandler handler = chat.handlers().poll(5, SECONDS);

      Message reply = management.goTo(PROCESS, ProcessState.TERMINATED);

      assertThat(reply).isInstanceOfSatisfying(ProcessStateUpdateMessage.class,
          update -> assertThat(update.getState()).isEqualTo(ProcessState.TERMINATED));
      assertThat(process.awaitTermination(Duration.ofSeconds(5))).isTrue();
      assertThat(handler.events()).containsExactly("terminated");
      assertThat(service.calls()).containsExactly("init 10", "terminate");
      assertThat(management.closedByProcess()).isTrue();
    }
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), process.managementPort()).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void undecodablePayloadGetsAnErrorMessageAndTheSessionGoesOn() throws Exception {
    start();
    try (ManagementClient management = orchestrator.connect(process)) {
      management.writeFrame(new byte[] {5, 'H', 'e', 'l', 'l', 'o', 1, 2, 3});
      assertThat(management.reply()).isInstanceOfSatisfying(ErrorMessage.class,
          error -> assertThat(error.getDebugInformation()).contains("unknown message type 'Hello'"));

      management.writeFrame(new byte[] {(byte) 200, 1, 2});
      assertThat(management.reply()).isInstanceOf(ErrorMessage.class);

      // A message of a known name that is not a request.
      assertThat(management.request(ErrorMessage.newBuilder().setProcessId(PROCESS).setDebugInformation("x").build()))
          .isInstanceOf(ErrorMessage.class);

      assertThat(management.setConfig(PROCESS, Map.of(), false)).isInstanceOf(ProcessStateUpdateMessage.class);
    }
  }

  @Test
  void malformedFrameDropsOnlyThatManagementConnection() throws Exception {
    start();
    try (ManagementClient management = orchestrator.connect(process)) {
      // length 2, three payload bytes, then 0xFF: the end-of-message byte is wrong.
      management.writeRaw(new byte[] {0, 0, 0, 2, 7, 7, 7, -1});
      assertThat(management.closedByProcess()).isTrue();
    }
    try (ManagementClient management = orchestrator.connect(process)) {
      assertThat(management.setConfig(PROCESS, Map.of(), false)).isInstanceOf(ProcessStateUpdateMessage.class);
    }
    assertThat(process.isTerminated()).isFalse();
  }

  @Test
  void aNewManagementConnectionReplacesTheOldOne() throws Exception {
    start();
    try (ManagementClient first = orchestrator.connect(process);
        ManagementClient second = orchestrator.connect(process)) {
      assertThat(second.setConfig(PROCESS, Map.of(), false)).isInstanceOf(ProcessStateUpdateMessage.class);
      assertThat(first.closedByProcess()).isTrue();
    }
  }

  @Test
  void messageForAnotherProcessIsAnErrorMessage() throws Exception {
    start();
    try (ManagementClient management = orchestrator.connect(process)) {
      Message reply = management.setConfig("someone-else", Map.of(), false);

      assertThat(reply).isInstanceOfSatisfying(ErrorMessage.class, error -> assertThat(error.getDebugInformation())
          .isEqualTo("the message is for process 'someone-else', this is process 'proc-1'"));
      assertThat(service.calls()).isEmpty();
    }
  }

  @Test
  void createWithHashesNoInterfaceVersionHasIsAnErrorMessage() throws Exception {
    start();
    try (ManagementClient management = orchestrator.connect(process)) {
      management.setConfig(PROCESS, Map.of(), false);
      Message reply = management.create("c1", new TestInterface.Side("nope", "nada"), "", freePort());

      assertThat(reply).isInstanceOfSatisfying(ErrorMessage.class, error -> assertThat(error.getDebugInformation())
          .contains("no interface version of this service receives 'nope' and sends 'nada'")
          .contains("test-service/chat/a"));
      assertThat(chat.handlers()).isEmpty();
    }
  }

  @Test
  void createForAKnownIdAnswersConnectedAndBuildsNoSecondHandler() throws Exception {
    start();
    try (ManagementClient management = orchestrator.connect(process)) {
      management.setConfig(PROCESS, Map.of(), false);
      int port = freePort();
      assertThat(management.create("c1", TestInterface.A, "", port)).isInstanceOfSatisfying(
          ConnectionHandshake.class, h -> assertThat(h.getConnectionState()).isEqualTo(ConnectionState.STARTING));
      assertThat(management.create("c1", TestInterface.A, "", port)).isInstanceOfSatisfying(
          ConnectionHandshake.class, h -> {
            assertThat(h.getConnectionId()).isEqualTo("c1");
            assertThat(h.getConnectionState()).isEqualTo(ConnectionState.CONNECTED);
          });
      assertThat(chat.handlers()).hasSize(1);
    }
  }

  @Test
  void createOnAPortInUseIsAnErrorMessage() throws Exception {
    start();
    try (ManagementClient management = orchestrator.connect(process);
        java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      management.setConfig(PROCESS, Map.of(), false);
      Message reply = management.create("c1", TestInterface.A, "", taken.getLocalPort());

      assertThat(reply).isInstanceOfSatisfying(ErrorMessage.class, error -> assertThat(error.getDebugInformation())
          .startsWith("connection c1: cannot listen on port " + taken.getLocalPort()));
    }
  }

  @Test
  void triggerCallIsRetriedUntilTheOrchestratorAnswers204() throws Exception {
    orchestrator.failNextTriggers(2, 503);

    start();

    assertThat(orchestrator.triggers()).containsExactly(PROCESS);
  }

  @Test
  void triggerCallThatKeepsFailingFailsTheStartWithoutLeakingTheToken() {
    RunOptions options = orchestrator.options(PROCESS).withTriggerTimeout(Duration.ofMillis(500));
    orchestrator.revokeToken(PROCESS);

    assertThatThrownBy(() -> ServiceRunner.start(RecordingService.definition(service, chat), options))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("/process/trigger/proc-1")
        .hasMessageContaining("HTTP 401")
        .hasMessageNotContaining(options.parameters().orchestratorToken());
  }

  @Test
  void closingTheHandleIsSafeTwiceAndEndsTheProcess() throws Exception {
    start();
    await().atMost(5, SECONDS).until(() -> !orchestrator.triggers().isEmpty());
    process.close();
    process.close();
    assertThat(process.isTerminated()).isTrue();
  }

  static int freePort() throws Exception {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
