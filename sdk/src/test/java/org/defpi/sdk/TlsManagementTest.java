package org.defpi.sdk;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.defpi.sdk.testing.FakeOrchestrator;
import org.defpi.sdk.testing.LogCapture;
import org.defpi.sdk.testing.ManagementClient;
import org.defpi.sdk.testing.RecordingService;
import org.defpi.sdk.testing.TestAuthority;
import org.defpi.sdk.testing.TestInterface;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage.ModeType;
import org.defpi.wire.protocol.ProcessProto.ErrorMessage;
import org.defpi.wire.protocol.ProcessProto.ProcessStateUpdateMessage;
import org.defpi.wire.tls.TlsNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The management side of TLS (docs/wire-additions.md, "TLS", 1–3): a process asks for a
 * certificate before its trigger call, says so in the trigger, and then takes only TLS from the
 * orchestrator on port 4999; under an orchestrator without TLS (404) it stays plain, as every other
 * test of this module shows too.
 */
class TlsManagementTest {
  private static final String PROCESS = "proc-1";

  private final LogCapture log = new LogCapture();
  private FakeOrchestrator orchestrator;
  private final RecordingService service = new RecordingService();
  private final TestInterface chat = new TestInterface();
  private ServiceProcess process;

  @BeforeEach
  void startOrchestrator() throws Exception {
    log.start();
    orchestrator = new FakeOrchestrator();
  }

  @AfterEach
  void stopAll() {
    if (process != null) {
      process.close();
    }
    orchestrator.close();
    log.stop();
  }

  private ServiceProcess start() {
    process = ServiceRunner.start(RecordingService.definition(service, chat), orchestrator.options(PROCESS));
    return process;
  }

  @Test
  void aProcessGetsACertificateSaysSoInItsTriggerAndServesTheOrchestratorInTls() throws Exception {
    orchestrator.issueCertificates();
    start();

    assertThat(orchestrator.triggers()).containsExactly(PROCESS);
    assertThat(orchestrator.triggerSaidTls(PROCESS)).isTrue();
    assertThat(orchestrator.issued(PROCESS)).hasSize(1);
    try (ManagementClient management = orchestrator.connect(process)) {
      assertThat(management.setConfig(PROCESS, Map.of(), false)).isInstanceOf(ProcessStateUpdateMessage.class);
      // The process presents the certificate it was issued, which names it and its user.
      assertThat(management.peerCertificate()).isEqualTo(orchestrator.issued(PROCESS).getFirst());
      assertThat(TestAuthority.uris(management.peerCertificate()))
          .containsExactlyInAnyOrder(TlsNames.process(PROCESS), TlsNames.user("u1"));
    }
    assertThat(service.calls()).containsExactly("init 10");
  }

  @Test
  void onceItHoldsACertificatePlainConnectionsAreClosedAndSaidOnce() throws Exception {
    orchestrator.issueCertificates();
    start();

    for (int i = 0; i < 3; i++) {
      try (ManagementClient plain = orchestrator.connectPlain(process)) {
        plain.writeFrame(new byte[] {5, 'H', 'e', 'l', 'l', 'o'});
        assertThat(plain.closedByProcess()).isTrue();
      }
    }
    // The orchestrator's own session is not disturbed by them, nor by their number.
    try (ManagementClient management = orchestrator.connect(process)) {
      assertThat(management.setConfig(PROCESS, Map.of(), false)).isInstanceOf(ProcessStateUpdateMessage.class);
    }
    assertThat(log.count("WARN org.defpi.sdk.internal.ManagementServer - refused a plain management connection"))
        .isEqualTo(1);
  }

  @Test
  void aPlainOrRogueClientDoesNotPushTheOrchestratorsSessionOff() throws Exception {
    orchestrator.issueCertificates();
    start();
    try (ManagementClient management = orchestrator.connect(process)) {
      assertThat(management.setConfig(PROCESS, Map.of(), false)).isInstanceOf(ProcessStateUpdateMessage.class);
      try (ManagementClient plain = orchestrator.connectPlain(process)) {
        plain.writeFrame(new byte[] {5, 'H', 'e', 'l', 'l', 'o'});
        assertThat(plain.closedByProcess()).isTrue();
      }
      SSLContext rogue = orchestrator.authority().context(orchestrator.authority().process("mallory", "u1"));
      assertThatThrownBy(() -> {
        try (ManagementClient client = orchestrator.connectTls(process, rogue)) {
          client.setConfig(PROCESS, Map.of(), true);
        }
      }).isInstanceOf(IOException.class);

      assertThat(management.setConfig(PROCESS, Map.of(), true)).isInstanceOf(ProcessStateUpdateMessage.class);
    }
  }

  @Test
  void onlyTheOrchestratorsNameUnderTheSameAuthorityGetsIn() throws Exception {
    orchestrator.issueCertificates();
    start();
    TestAuthority ca = orchestrator.authority();
    TestAuthority other = TestAuthority.create("another authority");
    Map<String, SSLContext> rogues = Map.of(
        "a process's certificate", ca.context(ca.process("proc-2", "u1")),
        "a certificate naming nothing", ca.context(ca.identity("nobody", Duration.ofHours(1))),
        // trusts both, so only the process's check can refuse it
        "the orchestrator's name from another authority",
        other.context(other.orchestrator(), other.certificate(), ca.certificate()));

    rogues.forEach((what, context) -> assertThatThrownBy(() -> {
      try (ManagementClient client = orchestrator.connectTls(process, context)) {
        client.setConfig(PROCESS, Map.of(), false);
      }
    }).as(what).isInstanceOf(IOException.class));

    assertThat(service.calls()).isEmpty();
    assertThat(log.text()).contains("refused a management connection from");
    try (ManagementClient management = orchestrator.connect(process)) {
      assertThat(management.setConfig(PROCESS, Map.of(), false)).isInstanceOf(ProcessStateUpdateMessage.class);
    }
  }

  @Test
  void aClientThatOpensAndSaysNothingHoldsNoSession() throws Exception {
    orchestrator.issueCertificates();
    start();
    // A silent socket waits for its first byte (bounded by the handshake timeout); meanwhile the
    // orchestrator connects and is served.
    try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), process.managementPort());
        ManagementClient management = orchestrator.connect(process)) {
      assertThat(management.setConfig(PROCESS, Map.of(), false)).isInstanceOf(ProcessStateUpdateMessage.class);
    }
  }

  @Test
  void underAnOrchestratorWithoutTlsTheProcessIsPlainAndRefusesTlsConnections() throws Exception {
    start(); // the fake answers the certificate request 404, as dEF-Pi's orchestrator does

    assertThat(orchestrator.certificateCalls()).isEqualTo(1);
    assertThat(orchestrator.triggerSaidTls(PROCESS)).isFalse();
    assertThat(log.text()).contains("the orchestrator issues no certificates")
        .contains("answered HTTP 404): management and data connections stay plain TCP");

    // A TLS client's ClientHello is a malformed frame here: dropped, and the process goes on.
    TestAuthority ca = TestAuthority.create("some authority");
    SSLContext context = ca.context(ca.orchestrator());
    assertThatThrownBy(() -> handshake(context, process.managementPort())).isInstanceOf(IOException.class);
    assertThat(log.text()).contains("malformed frame on the management connection");

    try (ManagementClient management = orchestrator.connect(process)) {
      assertThat(management.setConfig(PROCESS, Map.of(), false)).isInstanceOf(ProcessStateUpdateMessage.class);
      // And it cannot be told to make a TLS data connection: it says why.
      Message reply = management.tls(ModeType.CREATE, "c1", TestInterface.A, "", ManagementProtocolTest.freePort(),
          "proc-2");
      assertThat(reply).isInstanceOfSatisfying(ErrorMessage.class, error -> assertThat(error.getDebugInformation())
          .startsWith("connection c1: the orchestrator asked for TLS, but this process holds no certificate"));
      assertThat(chat.handlers()).isEmpty();
    }
  }

  @Test
  void aFailingCertificateRequestIsRetriedAndThenTheTriggerSaysTls() throws Exception {
    orchestrator.issueCertificates();
    orchestrator.failNextCertificates(2, 503);

    start();

    assertThat(orchestrator.certificateCalls()).isEqualTo(3);
    assertThat(orchestrator.triggerSaidTls(PROCESS)).isTrue();
    assertThat(log.count("certificate request to")).isEqualTo(2);
  }

  @Test
  void aCertificateRequestThatNeverSucceedsFailsTheStartAtTheTriggerDeadlineAndNeverGoesPlain() {
    orchestrator.issueCertificates();
    orchestrator.failNextCertificates(1000, 503);
    RunOptions options = orchestrator.options(PROCESS).withTriggerTimeout(Duration.ofMillis(700));

    assertThatThrownBy(() -> ServiceRunner.start(RecordingService.definition(service, chat), options))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("certificate request POST http://127.0.0.1:")
        .hasMessageContaining("/process/proc-1/certificate did not succeed within 700 ms")
        .hasMessageContaining("last: HTTP 503")
        .hasMessageNotContaining(options.parameters().orchestratorToken());
    assertThat(orchestrator.triggers()).isEmpty();
  }

  @Test
  void aCertificateThatDoesNotCertifyTheKeySentIsNotUsed() throws Exception {
    // An orchestrator answering 200 with nonsense is retried like any failure, never trusted.
    orchestrator.issueCertificates();
    RunOptions options = orchestrator.options(PROCESS).withTriggerTimeout(Duration.ofMillis(700));
    String ca = TestAuthority.pem(orchestrator.authority().certificate());
    orchestrator.answerCertificatesWith(new ObjectMapper().writeValueAsString(
        Map.of("certificate", ca, "caCertificate", ca))); // the CA's own certificate, not one for the key sent

    assertThatThrownBy(() -> ServiceRunner.start(RecordingService.definition(service, chat), options))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("certifies another key than the one sent");
    assertThat(orchestrator.triggers()).isEmpty();
  }

  /** A bare TLS client handshake, reading once so a refusal shows. */
  private static void handshake(SSLContext context, int port) throws IOException {
    try (SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
      SSLParameters parameters = ssl.getSSLParameters();
      parameters.setProtocols(new String[] {TlsNames.PROTOCOL});
      ssl.setSSLParameters(parameters);
      ssl.setSoTimeout((int) SECONDS.toMillis(5));
      ssl.startHandshake();
      InputStream in = ssl.getInputStream();
      if (in.read() < 0) {
        throw new IOException("closed by the process");
      }
    }
  }
}
