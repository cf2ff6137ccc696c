package org.defpi.sdk;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.defpi.sdk.testing.TestInterface.text;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.defpi.sdk.testing.FakeOrchestrator;
import org.defpi.sdk.testing.FakeOrchestrator.TrafficReport;
import org.defpi.sdk.testing.FakePeer;
import org.defpi.sdk.testing.ManagementClient;
import org.defpi.sdk.testing.RecordingHandler;
import org.defpi.sdk.testing.RecordingService;
import org.defpi.sdk.testing.RogueClient;
import org.defpi.sdk.testing.TestAuthority;
import org.defpi.sdk.testing.TestInterface;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage.ModeType;
import org.defpi.wire.tls.TlsNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Data connections in TLS (docs/wire-additions.md, "TLS", 4), on real sockets: two runtimes that
 * both hold a certificate of the fake orchestrator's authority, alpha listening and beta connecting,
 * told {@code tls} as the orchestrator tells them; and rogue peers (another process's certificate,
 * another user's, another authority's, none, plain TCP) that each end must refuse.
 */
class TlsDataConnectionTest {
  private FakeOrchestrator orchestrator;
  private final TestInterface chatAlpha = new TestInterface();
  private final TestInterface chatBeta = new TestInterface();
  private ServiceProcess alpha;
  private ServiceProcess beta;
  private ManagementClient alphaManagement;
  private ManagementClient betaManagement;
  private int port;

  @BeforeEach
  void startTwoProcesses() throws Exception {
    orchestrator = new FakeOrchestrator().issueCertificates();
    orchestrator.answerTraffic(204, "0.05");
    alpha = ServiceRunner.start(RecordingService.definition(new RecordingService(), chatAlpha),
        orchestrator.options("alpha"));
    beta = ServiceRunner.start(RecordingService.definition(new RecordingService(), chatBeta),
        orchestrator.options("beta"));
    alphaManagement = orchestrator.connect(alpha);
    betaManagement = orchestrator.connect(beta);
    alphaManagement.setConfig("alpha", Map.of(), false);
    betaManagement.setConfig("beta", Map.of(), false);
    port = ManagementProtocolTest.freePort();
  }

  @AfterEach
  void stopAll() throws Exception {
    alphaManagement.close();
    betaManagement.close();
    alpha.close();
    beta.close();
    orchestrator.close();
  }

  @Test
  void twoProcessesExchangeMessagesInTlsBothWaysAndInOrder() throws Exception {
    RecordingHandler alphaHandler = createTls(chatAlpha, alphaManagement, TestInterface.A, "", "beta");
    RecordingHandler betaHandler = createTls(chatBeta, betaManagement, TestInterface.B, "127.0.0.1", "alpha");
    awaitConnected(alphaHandler, betaHandler);

    List<String> burst = IntStream.range(0, 300).mapToObj(i -> "burst " + i).toList();
    burst.forEach(t -> alphaHandler.connection().send(text("alpha", t)));
    betaHandler.connection().send(text("beta", "hello alpha"));

    await().atMost(5, SECONDS).until(() -> betaHandler.texts().equals(burst));
    await().atMost(5, SECONDS).until(() -> alphaHandler.texts().equals(List.of("hello alpha")));
    assertThat(alphaHandler.connection().encrypted()).isTrue();
    assertThat(betaHandler.connection().encrypted()).isTrue();
    assertThat(alphaHandler.connection().traffic().errors()).isZero();
    assertThat(betaHandler.connection().traffic().errors()).isZero();

    // The orchestrator hears it in the traffic report.
    TrafficReport report;
    do {
      report = orchestrator.trafficReports().poll(5, SECONDS);
      assertThat(report).as("a traffic report within 5 s").isNotNull();
    } while (!report.processId().equals("beta") || !report.body().contains("\"state\":\"CONNECTED\""));
    assertThat(report.body()).contains("\"encrypted\":true}");

    // A TLS peer that goes away is seen as a plain one is.
    alphaManagement.connectionMode(ModeType.TERMINATE, "c1", TestInterface.A, "", port);
    await().atMost(5, SECONDS).until(() -> betaHandler.connection().state() == ConnectionState.INTERRUPTED);
  }

  @Test
  void resumeCanTurnTlsOnForAConnectionThatWasPlain() throws Exception {
    alphaManagement.create("c1", TestInterface.A, "", port);
    betaManagement.create("c1", TestInterface.B, "127.0.0.1", port);
    RecordingHandler alphaHandler = chatAlpha.handlers().poll(5, SECONDS);
    RecordingHandler betaHandler = chatBeta.handlers().poll(5, SECONDS);
    awaitConnected(alphaHandler, betaHandler);
    assertThat(alphaHandler.connection().encrypted()).isFalse();

    alphaManagement.tls(ModeType.RESUME, "c1", TestInterface.A, "", port, "beta");
    betaManagement.tls(ModeType.RESUME, "c1", TestInterface.B, "127.0.0.1", port, "alpha");
    assertThat(alphaHandler.connection().encrypted()).isTrue();
    assertThat(betaHandler.connection().encrypted()).isTrue();
    betaHandler.connection().send(text("beta", "now in TLS"));

    await().atMost(5, SECONDS).until(() -> alphaHandler.texts().equals(List.of("now in TLS")));
    awaitConnected(alphaHandler, betaHandler);
  }

  @Test
  void aResumeInTlsWithoutTheRemoteProcessIdChecksThePeerTheConnectionWasCreatedWith() throws Exception {
    alphaManagement.tls(ModeType.CREATE, "c1", TestInterface.A, "", port, "beta");
    betaManagement.tls(ModeType.CREATE, "c1", TestInterface.B, "127.0.0.1", port, "alpha");
    RecordingHandler alphaHandler = chatAlpha.handlers().poll(5, SECONDS);
    RecordingHandler betaHandler = chatBeta.handlers().poll(5, SECONDS);
    awaitConnected(alphaHandler, betaHandler);

    // As an orchestrator that names no remote process on RESUME (field 8 is CREATE's in WIRE.md) sends it.
    var reply = betaManagement.request(ManagementClient.connection(ModeType.RESUME, "c1", TestInterface.B,
        "127.0.0.1", port).toBuilder().setTls(true).build());
    assertThat(reply).as("not an ErrorMessage asking for the remote process id")
        .isInstanceOf(org.defpi.wire.protocol.ConnectionProto.ConnectionHandshake.class);
    assertThat(betaHandler.connection().encrypted()).isTrue();
  }

  /** Certificates a peer of alpha or beta must not be accepted with, each with whom it claims to be. */
  static Stream<Arguments> rogues() {
    return Stream.of(
        Arguments.of("another process's certificate", (Rogue) (ca, other, claimed) -> ca.context(ca.process("mallory", "u1"))),
        Arguments.of("another user's certificate", (Rogue) (ca, other, claimed) -> ca.context(ca.process(claimed, "u2"))),
        // It trusts both authorities, so the refusal is the runtime's own.
        Arguments.of("a certificate of another authority", (Rogue) (ca, other, claimed) ->
            other.context(other.process(claimed, "u1"), other.certificate(), ca.certificate())));
  }

  /** Makes a rogue party's TLS context. */
  @FunctionalInterface
  interface Rogue {
    SSLContext context(TestAuthority ca, TestAuthority other, String claimedProcess);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rogues")
  void theConnectingEndRefusesAListenerWith(String what, Rogue rogue) throws Exception {
    TestAuthority other = TestAuthority.create("another authority");
    try (FakePeer peer = new FakePeer(rogue.context(orchestrator.authority(), other, "alpha"))) {
      betaManagement.tls(ModeType.CREATE, "c1", TestInterface.B, "127.0.0.1", peer.port(), "alpha");
      RecordingHandler betaHandler = chatBeta.handlers().poll(5, SECONDS);

      // The runtime aborts each handshake, then tries again with its back-off.
      assertThatThrownBy(peer::accept).isInstanceOf(IOException.class);
      assertThatThrownBy(peer::accept).isInstanceOf(IOException.class);
      await().atMost(5, SECONDS).until(() -> betaHandler.connection().traffic().errors() >= 2);
      assertThat(betaHandler.connection().state()).isEqualTo(ConnectionState.STARTING);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rogues")
  void theListeningEndRefusesAClientWith(String what, Rogue rogue) throws Exception {
    RecordingHandler alphaHandler = createTls(chatAlpha, alphaManagement, TestInterface.A, "", "beta");
    SSLContext context = rogue.context(orchestrator.authority(), TestAuthority.create("another authority"), "beta");

    assertThat(RogueClient.refusedInTls(context, port)).isTrue();
    await().atMost(5, SECONDS).until(() -> alphaHandler.connection().traffic().errors() >= 1);
    assertThat(alphaHandler.connection().state()).isEqualTo(ConnectionState.STARTING);
  }

  @Test
  void theListeningEndRefusesAClientWithoutCertificate() throws Exception {
    RecordingHandler alphaHandler = createTls(chatAlpha, alphaManagement, TestInterface.A, "", "beta");

    assertThat(RogueClient.refusedInTls(orchestrator.authority().context(null), port)).isTrue();
    await().atMost(5, SECONDS).until(() -> alphaHandler.connection().traffic().errors() >= 1);
  }

  @Test
  void aPlainPeerOnATlsPortIsDroppedAndTheProcessGoesOn() throws Exception {
    RecordingHandler alphaHandler = createTls(chatAlpha, alphaManagement, TestInterface.A, "", "beta");

    assertThat(RogueClient.refusedInPlain(port)).isTrue();
    await().atMost(5, SECONDS).until(() -> alphaHandler.connection().traffic().errors() >= 1);

    // The real peer then connects in TLS as if nothing happened.
    RecordingHandler betaHandler = createTls(chatBeta, betaManagement, TestInterface.B, "127.0.0.1", "alpha");
    awaitConnected(alphaHandler, betaHandler);
    betaHandler.connection().send(text("beta", "hello"));
    await().atMost(5, SECONDS).until(() -> alphaHandler.texts().equals(List.of("hello")));
    assertThat(alpha.isTerminated()).isFalse();
  }

  @Test
  void aPeerWhoseCertificateNamesTheRightPartiesIsAccepted() throws Exception {
    // The counterpart of the refusals above, with the fake peer: the runtime presents its own
    // certificate, and the peer sees it name beta and beta's user.
    TestAuthority ca = orchestrator.authority();
    try (FakePeer peer = new FakePeer(ca.context(ca.process("alpha", "u1")))) {
      betaManagement.tls(ModeType.CREATE, "c1", TestInterface.B, "127.0.0.1", peer.port(), "alpha");
      RecordingHandler betaHandler = chatBeta.handlers().poll(5, SECONDS);
      peer.accept();
      peer.handshake("c1");

      await().atMost(5, SECONDS).until(() -> betaHandler.connection().state() == ConnectionState.CONNECTED);
      assertThat(TestAuthority.uris(peer.peerCertificate()))
          .containsExactlyInAnyOrder(TlsNames.process("beta"), TlsNames.user("u1"));
      assertThat(peer.peerCertificate()).isEqualTo(orchestrator.issued("beta").getLast());
    }
  }

  private RecordingHandler createTls(TestInterface chat, ManagementClient management, TestInterface.Side side,
      String target, String remoteProcessId) throws Exception {
    management.tls(ModeType.CREATE, "c1", side, target, port, remoteProcessId);
    RecordingHandler handler = chat.handlers().poll(5, SECONDS);
    assertThat(handler).as("handler built").isNotNull();
    return handler;
  }

  private static void awaitConnected(RecordingHandler... handlers) {
    await().atMost(Duration.ofSeconds(5)).until(() -> Stream.of(handlers)
        .allMatch(h -> h.connection().state() == ConnectionState.CONNECTED));
  }
}
