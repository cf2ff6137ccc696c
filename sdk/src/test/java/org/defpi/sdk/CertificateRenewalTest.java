package org.defpi.sdk;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.defpi.sdk.testing.TestInterface.text;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.defpi.sdk.testing.FakeOrchestrator;
import org.defpi.sdk.testing.FakePeer;
import org.defpi.sdk.testing.LogCapture;
import org.defpi.sdk.testing.ManagementClient;
import org.defpi.sdk.testing.RecordingHandler;
import org.defpi.sdk.testing.RecordingService;
import org.defpi.sdk.testing.TestAuthority;
import org.defpi.sdk.testing.TestInterface;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage.ModeType;
import org.defpi.wire.protocol.ProcessProto.ProcessStateUpdateMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Certificates renewed at {@code renewAfter} (docs/wire-additions.md, "TLS", 1), with lifetimes of
 * seconds so the test sees several: new handshakes present the newest certificate, an established
 * connection goes on through renewals and past the expiry of the certificate it was made with.
 */
class CertificateRenewalTest {
  private final LogCapture log = new LogCapture();
  private FakeOrchestrator orchestrator;
  private final TestInterface chatAlpha = new TestInterface();
  private final TestInterface chatBeta = new TestInterface();
  private ServiceProcess alpha;
  private ServiceProcess beta;

  @BeforeEach
  void start() throws Exception {
    log.start();
    orchestrator = new FakeOrchestrator();
  }

  @AfterEach
  void stopAll() {
    if (alpha != null) {
      alpha.close();
    }
    if (beta != null) {
      beta.close();
    }
    orchestrator.close();
    log.stop();
  }

  @Test
  void aRenewedCertificateServesNewHandshakesWhileAnEstablishedConnectionGoesOn() throws Exception {
    orchestrator.issueCertificates(Duration.ofSeconds(3), Duration.ofMillis(1500));
    alpha = ServiceRunner.start(RecordingService.definition(new RecordingService(), chatAlpha), orchestrator.options("alpha"));
    beta = ServiceRunner.start(RecordingService.definition(new RecordingService(), chatBeta), orchestrator.options("beta"));
    X509Certificate betaFirst = orchestrator.issued("beta").getFirst();
    int port = ManagementProtocolTest.freePort();
    RecordingHandler alphaHandler;
    RecordingHandler betaHandler;
    try (ManagementClient alphaManagement = orchestrator.connect(alpha);
        ManagementClient betaManagement = orchestrator.connect(beta)) {
      alphaManagement.setConfig("alpha", Map.of(), false);
      betaManagement.setConfig("beta", Map.of(), false);
      alphaManagement.tls(ModeType.CREATE, "c1", TestInterface.A, "", port, "beta");
      betaManagement.tls(ModeType.CREATE, "c1", TestInterface.B, "127.0.0.1", port, "alpha");
      alphaHandler = chatAlpha.handlers().poll(5, SECONDS);
      betaHandler = chatBeta.handlers().poll(5, SECONDS);
    }
    RecordingHandler sender = betaHandler;
    await().atMost(5, SECONDS).until(() -> sender.connection().state() == ConnectionState.CONNECTED);
    betaHandler.connection().send(text("beta", "before"));

    // Both renew (a new key each), 1.5 s in.
    await().atMost(5, SECONDS).until(() -> orchestrator.issued("alpha").size() >= 2
        && orchestrator.issued("beta").size() >= 2);
    X509Certificate betaSecond = orchestrator.issued("beta").get(1);
    assertThat(betaSecond.getPublicKey()).isNotEqualTo(betaFirst.getPublicKey());
    betaHandler.connection().send(text("beta", "after the renewal"));

    // A new socket presents the newest certificate: a new data connection's peer sees it…
    TestAuthority ca = orchestrator.authority();
    try (FakePeer peer = new FakePeer(ca.context(ca.process("alpha", "u1")))) {
      try (ManagementClient betaManagement = orchestrator.connect(beta)) {
        // …and so does the orchestrator on a new management connection.
        assertThat(betaManagement.peerCertificate()).isEqualTo(orchestrator.issued("beta").getLast());
        betaManagement.tls(ModeType.CREATE, "c2", TestInterface.B, "127.0.0.1", peer.port(), "alpha");
      }
      peer.accept();
      assertThat(peer.peerCertificate()).isNotEqualTo(betaFirst);
      assertThat(orchestrator.issued("beta").subList(1, orchestrator.issued("beta").size()))
          .contains(peer.peerCertificate());
    }

    // The first certificates expire; the connection made with them carries on regardless.
    Instant firstExpiry = betaFirst.getNotAfter().toInstant();
    await().atMost(5, SECONDS).until(() -> Instant.now().isAfter(firstExpiry.plusMillis(100)));
    betaHandler.connection().send(text("beta", "after the first certificate expired"));

    RecordingHandler receiver = alphaHandler;
    await().atMost(5, SECONDS).until(() -> receiver.texts().equals(
        List.of("before", "after the renewal", "after the first certificate expired")));
    assertThat(alphaHandler.events()).doesNotContain("onInterrupt");
    assertThat(betaHandler.events()).doesNotContain("onInterrupt");
    assertThat(alphaHandler.connection().traffic().errors()).isZero();
    assertThat(log.text()).contains("certificate renewed: serial " + betaSecond.getSerialNumber().toString(16)
        + " replaces " + betaFirst.getSerialNumber().toString(16));
  }

  @Test
  void aRenewalAnswered404MakesTheProcessPlainForTheRestOfItsLife() throws Exception {
    orchestrator.issueCertificates(Duration.ofMinutes(10), Duration.ofMillis(300));
    alpha = ServiceRunner.start(RecordingService.definition(new RecordingService(), chatAlpha), orchestrator.options("alpha"));
    orchestrator.stopIssuingCertificates(); // as an orchestrator restarted with DEFPI_TLS=off

    await().atMost(5, SECONDS).until(() -> log.text().contains("the orchestrator no longer issues certificates"));
    try (ManagementClient management = orchestrator.connectPlain(alpha)) {
      assertThat(management.setConfig("alpha", Map.of(), false)).isInstanceOf(ProcessStateUpdateMessage.class);
    }
    assertThat(orchestrator.certificateCalls()).isEqualTo(2);
  }
}
