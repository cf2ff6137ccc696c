package org.defpi.sdk;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.defpi.sdk.testing.TestInterface.text;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.defpi.sdk.testing.FakeOrchestrator;
import org.defpi.sdk.testing.FakePeer;
import org.defpi.sdk.testing.ManagementClient;
import org.defpi.sdk.testing.RecordingHandler;
import org.defpi.sdk.testing.RecordingService;
import org.defpi.sdk.testing.TestInterface;
import org.defpi.wire.frame.Heartbeat;
import org.defpi.wire.protocol.ConnectionProto;
import org.defpi.wire.protocol.ProcessProto.ErrorMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real runtime against a peer the test plays frame by frame ({@link FakePeer}), behaving as a
 * dEF-Pi process would, or badly. The runtime connects (side B); heartbeats every 100 ms and 3
 * missed ones interrupt.
 */
class PeerProtocolTest {
  private static final String ID = "c1";

  private FakeOrchestrator orchestrator;
  private FakePeer peer;
  private final TestInterface chat = new TestInterface();
  private ServiceProcess process;
  private ManagementClient management;

  @BeforeEach
  void start() throws Exception {
    orchestrator = new FakeOrchestrator();
    peer = new FakePeer();
  }

  @AfterEach
  void stop() throws Exception {
    if (management != null) {
      management.close();
    }
    if (process != null) {
      process.close();
    }
    peer.close();
    orchestrator.close();
  }

  private RecordingHandler connectToPeer(RunOptions options) throws Exception {
    process = ServiceRunner.start(RecordingService.definition(new RecordingService(), chat), options);
    management = orchestrator.connect(process);
    management.setConfig("proc", Map.of(), false);
    management.create(ID, TestInterface.B, "127.0.0.1", peer.port());
    RecordingHandler handler = chat.handlers().poll(5, SECONDS);
    peer.accept();
    return handler;
  }

  private RecordingHandler connectToPeer() throws Exception {
    return connectToPeer(orchestrator.options("proc"));
  }

  @Test
  void handshakesAsDefPiDoesAndAnswersAPingWithAPong() throws Exception {
    RecordingHandler handler = connectToPeer();

    assertThat(peer.handshake(ID)).isEqualTo(ConnectionProto.ConnectionState.STARTING);
    await().atMost(5, SECONDS).until(() -> handler.connection().state() == ConnectionState.CONNECTED);

    peer.sendFrame(new byte[] {Heartbeat.PING});
    assertThat(peer.nextHeartbeat()).containsExactly(Heartbeat.PONG);
  }

  @Test
  void aSilentPeerIsDeclaredDeadThenReconnectedToAndGetsTheBufferedMessagesInOrder() throws Exception {
    RecordingHandler handler = connectToPeer();
    peer.handshake(ID);
    peer.awaitPingsAnswered(2); // the runtime pings once connected

    peer.answerPings(false);
    await().atMost(5, SECONDS).until(() -> handler.events().contains("onInterrupt"));
    assertThat(peer.awaitClosedByRuntime()).isTrue();
    List.of("m1", "m2", "m3").forEach(t -> handler.connection().send(text("b", t)));

    peer.answerPings(true);
    peer.accept(); // the runtime reconnects by itself
    assertThat(peer.handshake(ID)).isEqualTo(ConnectionProto.ConnectionState.INTERRUPTED);

    assertThat(List.of(peer.nextApplicationMessage(), peer.nextApplicationMessage(), peer.nextApplicationMessage()))
        .extracting(ErrorMessage::getDebugInformation)
        .containsExactly("m1", "m2", "m3");
    await().atMost(5, SECONDS).until(() -> handler.events().equals(List.of("onInterrupt", "resumeAfterInterrupt")));
  }

  @Test
  void aPeerThatResetsItsSocketIsReconnectedTo() throws Exception {
    RecordingHandler handler = connectToPeer();
    peer.handshake(ID);
    await().atMost(5, SECONDS).until(() -> handler.connection().state() == ConnectionState.CONNECTED);

    peer.resetAbruptly();

    await().atMost(5, SECONDS).until(() -> handler.events().contains("onInterrupt"));
    handler.connection().send(text("b", "after the crash"));
    peer.accept();
    peer.handshake(ID);
    assertThat(peer.nextApplicationMessage().getDebugInformation()).isEqualTo("after the crash");
    await().atMost(5, SECONDS).until(() -> handler.connection().state() == ConnectionState.CONNECTED);
  }

  @Test
  void garbageFromThePeerIsDroppedAndTheConnectionStaysUp() throws Exception {
    RecordingHandler handler = connectToPeer();
    peer.handshake(ID);

    peer.sendFrame(new byte[] {5, 'B', 'o', 'g', 'u', 's', 1, 2}); // a type this interface lacks
    peer.sendFrame(new byte[] {12, 'E', 'r', 'r', 'o', 'r', 'M', 'e', 's', 's', 'a', 'g', 'e', -1, -1}); // unparsable
    peer.sendFrame(new byte[0]);
    peer.writeRaw(new byte[] {0, 0, 0, 1, 9, 9, -1}); // wrong end-of-message byte: skipped
    peer.send(text("peer", "still here"));

    await().atMost(5, SECONDS).until(() -> handler.texts().equals(List.of("still here")));
    assertThat(handler.events()).doesNotContain("onInterrupt");
  }

  @Test
  void aHandshakeForAnotherConnectionClosesThatSocketAndTheRuntimeTriesAgain() throws Exception {
    RecordingHandler handler = connectToPeer();

    peer.sendHandshake("someone-elses-connection", ConnectionProto.ConnectionState.STARTING);
    assertThat(peer.awaitClosedByRuntime()).isTrue();

    peer.accept();
    peer.handshake(ID);
    await().atMost(5, SECONDS).until(() -> handler.connection().state() == ConnectionState.CONNECTED);
  }

  @Test
  void aListenerThatClosesEverySocketAtOnceIsRetriedWithBackOffNotInAHotLoop() throws Exception {
    // Something listens on the peer's port but drops every socket before any handshake.
    List<Long> accepts = new CopyOnWriteArrayList<>();
    try (ServerSocket rude = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> {
        while (true) {
          try (Socket socket = rude.accept()) {
            accepts.add(System.nanoTime());
          } catch (IOException closed) {
            return;
          }
        }
      });
      process = ServiceRunner.start(RecordingService.definition(new RecordingService(), chat), orchestrator.options("proc"));
      management = orchestrator.connect(process);
      management.setConfig("proc", Map.of(), false);
      management.create(ID, TestInterface.B, "127.0.0.1", rude.getLocalPort());
      RecordingHandler handler = chat.handlers().poll(5, SECONDS);

      // Back-off 50, 100, then 200 ms (the test cap) between attempts: 6 attempts take at least
      // 50 + 100 + 3 × 200 ms. A loop that reset its back-off on every TCP connect would make
      // thousands meanwhile.
      await().atMost(5, SECONDS).until(() -> accepts.size() >= 6);
      assertThat(Duration.ofNanos(accepts.get(5) - accepts.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(700));
      assertThat(handler.connection().state()).isEqualTo(ConnectionState.STARTING);
    }
  }

  @Test
  void aFullSendBufferRejectsTheMessageAndNamesTheBound() throws Exception {
    RecordingHandler handler = connectToPeer(orchestrator.options("proc").withSendBufferLimit(3));
    // The peer accepted the socket but never handshakes: the connection stays STARTING.

    handler.connection().send(text("b", "1"));
    handler.connection().send(text("b", "2"));
    handler.connection().send(text("b", "3"));

    assertThatThrownBy(() -> handler.connection().send(text("b", "4")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("connection c1 is STARTING and its send buffer is full (3 messages)");
  }

  @Test
  void aBlockedHandlerDoesNotKeepTheRuntimeFromAnsweringOrPinging() throws Exception {
    RecordingHandler handler = connectToPeer();
    peer.handshake(ID);
    peer.send(text("peer", "block"));

    // Ten heartbeat intervals while the handler is stuck: the runtime keeps pinging, and answers.
    peer.awaitPingsAnswered(peer.pingsAnswered() + 10);
    peer.sendFrame(new byte[] {Heartbeat.PING});
    assertThat(peer.nextHeartbeat()).containsExactly(Heartbeat.PONG);
    assertThat(handler.connection().state()).isEqualTo(ConnectionState.CONNECTED);

    handler.release();
    await().atMost(5, SECONDS).until(() -> handler.texts().equals(List.of("block")));
    assertThat(handler.events()).doesNotContain("onInterrupt");
  }
}
