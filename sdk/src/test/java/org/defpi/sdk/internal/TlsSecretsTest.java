package org.defpi.sdk.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.defpi.sdk.ConnectionState;
import org.defpi.sdk.ServiceProcess;
import org.defpi.sdk.ServiceRunner;
import org.defpi.sdk.testing.FakeOrchestrator;
import org.defpi.sdk.testing.LogCapture;
import org.defpi.sdk.testing.ManagementClient;
import org.defpi.sdk.testing.RecordingHandler;
import org.defpi.sdk.testing.RecordingService;
import org.defpi.sdk.testing.RogueClient;
import org.defpi.sdk.testing.TestAuthority;
import org.defpi.sdk.testing.TestInterface;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage.ModeType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Neither the token nor a private key ever reaches the log: a whole TLS life of two processes is
 * captured (the TLS classes at DEBUG, see simplelogger.properties), failures included: failed
 * certificate requests, refused plain and rogue management connections, a rogue data peer, and
 * renewals, each with a new key.
 */
class TlsSecretsTest {
  private final LogCapture log = new LogCapture();
  private FakeOrchestrator orchestrator;
  private ServiceProcess alpha;
  private ServiceProcess beta;

  @BeforeEach
  void start() {
    log.start();
  }

  @AfterEach
  void stop() {
    if (alpha != null) {
      alpha.close();
    }
    if (beta != null) {
      beta.close();
    }
    if (orchestrator != null) {
      orchestrator.close();
    }
    log.stop();
  }

  @Test
  void noLogLineCarriesTheTokenOrAnyPrivateKeyTheProcessHeld() throws Exception {
    orchestrator = new FakeOrchestrator().issueCertificates(Duration.ofMinutes(10), Duration.ofMillis(400));
    orchestrator.answerTraffic(204, "0.05");
    orchestrator.failNextCertificates(2, 503);
    TestInterface chatAlpha = new TestInterface();
    TestInterface chatBeta = new TestInterface();
    alpha = ServiceRunner.start(RecordingService.definition(new RecordingService(), chatAlpha), orchestrator.options("alpha"));
    beta = ServiceRunner.start(RecordingService.definition(new RecordingService(), chatBeta), orchestrator.options("beta"));
    List<PrivateKey> keys = new ArrayList<>();
    keys.add(key(alpha));
    keys.add(key(beta));

    try (ManagementClient plain = orchestrator.connectPlain(alpha)) {
      plain.writeFrame(new byte[] {1, 'x'});
      assertThat(plain.closedByProcess()).isTrue();
    }
    TestAuthority ca = orchestrator.authority();
    try (ManagementClient rogue = orchestrator.connectTls(alpha, ca.context(ca.process("mallory", "u1")))) {
      assertThat(rogue.closedByProcess()).isTrue();
    } catch (java.io.IOException refusedAtOnce) {
      // also fine: what matters here is the log
    }
    int port = freePort();
    try (ManagementClient a = orchestrator.connect(alpha); ManagementClient b = orchestrator.connect(beta)) {
      a.setConfig("alpha", Map.of(), false);
      b.setConfig("beta", Map.of(), false);
      a.tls(ModeType.CREATE, "c1", TestInterface.A, "", port, "beta");
      b.tls(ModeType.CREATE, "c1", TestInterface.B, "127.0.0.1", port, "alpha");
    }
    RecordingHandler alphaHandler = chatAlpha.handlers().poll(5, SECONDS);
    await().atMost(5, SECONDS).until(() -> alphaHandler.connection().state() == ConnectionState.CONNECTED);
    // a rogue client on alpha's data port
    assertThat(RogueClient.refusedInTls(ca.context(ca.process("beta", "u2")), port))
        .isTrue();

    // renewals: each a new key, which must not show either
    await().atMost(5, SECONDS).until(() -> orchestrator.issued("alpha").size() >= 2 && orchestrator.issued("beta").size() >= 2);
    keys.add(key(alpha));
    keys.add(key(beta));
    await().atMost(5, SECONDS).until(() -> log.text().contains("certificate renewed"));

    String text = log.text();
    assertThat(text).contains("certificate request to").contains("refused a plain management connection")
        .contains("refused a management connection").contains("refused a socket from");
    for (String process : new String[] {"alpha", "beta"}) {
      assertThat(text).doesNotContain(orchestrator.parameters(process).orchestratorToken());
    }
    assertThat(text).doesNotContain("PRIVATE KEY");
    assertThat(keys).doesNotHaveDuplicates();
    for (PrivateKey key : keys) {
      ECPrivateKey ec = (ECPrivateKey) key;
      assertThat(text)
          .doesNotContain(Base64.getEncoder().encodeToString(key.getEncoded()))
          .doesNotContain(Base64.getMimeEncoder().encodeToString(key.getEncoded()).lines().findFirst().orElseThrow())
          .doesNotContain(HexFormat.of().formatHex(key.getEncoded()))
          .doesNotContain(ec.getS().toString(16))
          .doesNotContain(ec.getS().toString());
    }
  }

  private static PrivateKey key(ServiceProcess process) {
    return ((ProcessRuntime) process).identity().credentials().orElseThrow().privateKey();
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
