package org.defpi.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLException;
import org.defpi.sdk.testing.TestAuthority;
import org.defpi.wire.tls.TlsNames;
import org.junit.jupiter.api.Test;

/** The process's TLS identity: which key and certificate a handshake gets, whom it trusts, how long it waits. */
class TlsIdentityTest {
  private final TestAuthority ca = TestAuthority.create("test authority");

  private Credentials credentials(String processId) {
    KeyPair keys = CertificateClient.newKeyPair();
    Instant now = Instant.now();
    X509Certificate certificate = ca.issue(keys.getPublic(), processId,
        List.of(TlsNames.process(processId), TlsNames.user("u1")), now.minus(Duration.ofMinutes(5)), now.plusSeconds(3600));
    return new Credentials(keys.getPrivate(), certificate, ca.certificate(), now.plusSeconds(3600), now.plusSeconds(2400));
  }

  @Test
  void aHandshakeThatChoseItsAliasBeforeARenewalGetsTheKeyAndChainOfOneCertificate() throws Exception {
    TlsIdentity identity = new TlsIdentity("u1");
    CurrentKeyManager keys = new CurrentKeyManager(identity);
    assertThat(keys.chooseServerAlias("EC", null, null)).as("no certificate yet").isNull();
    Credentials first = credentials("alpha");
    identity.install(first);
    String alias = keys.chooseServerAlias("EC", null, null);

    Credentials second = credentials("alpha");
    identity.install(second);

    assertThat(keys.getPrivateKey(alias)).isEqualTo(first.privateKey());
    assertThat(keys.getCertificateChain(alias)).containsExactly(first.certificate());
    String now = keys.chooseClientAlias(new String[] {"RSA", "EC"}, null, null);
    assertThat(now).isNotEqualTo(alias);
    assertThat(keys.getPrivateKey(now)).isEqualTo(second.privateKey());
    assertThat(keys.chooseServerAlias("RSA", null, null)).isNull();
    assertThat(identity.toString()).doesNotContain("PrivateKey");
  }

  @Test
  void thePeerMustChainToTheCaAndCarryEveryRequiredName() throws Exception {
    TlsIdentity identity = new TlsIdentity("u1");
    PeerTrustManager trust = new PeerTrustManager(identity, identity.peer("beta"));
    X509Certificate beta = ca.process("beta", "u1").certificate();
    assertThatThrownBy(() -> trust.checkServerTrusted(new X509Certificate[] {beta}, "UNKNOWN"))
        .isInstanceOf(CertificateException.class).hasMessageContaining("holds no certificate");

    identity.install(credentials("alpha"));

    trust.checkServerTrusted(new X509Certificate[] {beta}, "UNKNOWN");
    trust.checkClientTrusted(new X509Certificate[] {beta}, "EC");
    X509Certificate otherUser = ca.process("beta", "u2").certificate();
    assertThatThrownBy(() -> trust.checkClientTrusted(new X509Certificate[] {otherUser}, "EC"))
        .isInstanceOf(CertificateException.class)
        .hasMessageEndingWith("names [urn:defpi:process:beta, urn:defpi:user:u2] but not [urn:defpi:user:u1]");
    X509Certificate otherCa = TestAuthority.create("other").process("beta", "u1").certificate();
    assertThatThrownBy(() -> trust.checkClientTrusted(new X509Certificate[] {otherCa}, "EC"))
        .isInstanceOf(CertificateException.class);
    assertThat(trust.getAcceptedIssuers()).containsExactly(ca.certificate());
  }

  @Test
  void aClientThatConnectsAndSaysNothingIsCutOffAtTheHandshakeTimeout() throws Exception {
    TlsIdentity identity = new TlsIdentity("u1");
    identity.install(credentials("alpha"));
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket silent = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket accepted = server.accept()) {
      long start = System.nanoTime();

      assertThatThrownBy(() -> identity.accept(accepted, null, TlsIdentity.orchestrator(), Duration.ofMillis(300)))
          .isInstanceOf(SSLException.class).hasMessageStartingWith("no TLS handshake within 300 ms");

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThat(accepted.isClosed()).isTrue();
      assertThat(silent.getInputStream().read()).isEqualTo(-1);
    }
  }
}
