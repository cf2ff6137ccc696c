package org.defpi.orchestrator.certificate;

import org.defpi.orchestrator.TestClock;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.defpi.wire.tls.TlsNames;
import org.junit.jupiter.api.Test;

/** The orchestrator's own certificate: issued at start, renewed with a new key at its renewAfter. */
class OrchestratorIdentityTest {
  private static final Instant START = Instant.parse("2026-11-26T09:00:00Z");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Stands still until moved. */

  @Test
  void itNamesTheOrchestratorAndIsRenewedWithANewKeyTwoThirdsOfTheWay() throws Exception {
    TestClock clock = new TestClock(START);
    CertificateAuthority authority = CertificateAuthority.create(START, RANDOM);
    OrchestratorIdentity identity = new OrchestratorIdentity(authority, clock, Duration.ofHours(1), RANDOM);

    X509Certificate first = identity.certificate();
    String firstAlias = identity.chooseClientAlias(new String[] {"EC"}, null, null);
    assertThat(first.getSubjectAlternativeNames()).containsExactly(List.of(6, TlsNames.ORCHESTRATOR.toString()));
    assertThat(first.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.2"); // clientAuth
    assertThat(first.getNotAfter().toInstant()).isEqualTo(START.plus(Duration.ofHours(1)));
    first.verify(authority.certificate().getPublicKey());
    assertThat(identity.getCertificateChain(firstAlias)).containsExactly(first);
    assertThat(identity.getPrivateKey(firstAlias)).isNotNull();

    clock.advance(Duration.ofMinutes(39));
    assertThat(identity.certificate()).as("not yet two thirds").isEqualTo(first);

    clock.advance(Duration.ofMinutes(1));
    X509Certificate second = identity.certificate();
    String secondAlias = identity.chooseClientAlias(new String[] {"EC"}, null, null);
    assertThat(second).isNotEqualTo(first);
    assertThat(second.getPublicKey()).as("a new key").isNotEqualTo(first.getPublicKey());
    assertThat(second.getNotAfter().toInstant()).isEqualTo(START.plus(Duration.ofMinutes(100)));
    assertThat(secondAlias).isNotEqualTo(firstAlias);
    // a handshake that chose the first alias just before the renewal still gets a matching key and chain
    assertThat(identity.getCertificateChain(firstAlias)).containsExactly(first);
    assertThat(identity.getPrivateKey(firstAlias)).isNotNull();
    assertThat(identity.getCertificateChain("orchestrator-unknown")).isNull();
    assertThat(identity.chooseServerAlias("EC", null, null)).as("it never serves").isNull();
    assertThat(identity.toString()).doesNotContain("PrivateKey").contains("renewAfter");
  }
}
