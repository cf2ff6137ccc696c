package org.defpi.orchestrator.certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.security.auth.x500.X500Principal;
import org.defpi.wire.tls.TlsNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the authority makes, read back by the JDK (not by the library that wrote it): every field
 * docs/wire-additions.md, "TLS", 1 names, for the authority's own certificate and those it issues.
 */
class CertificateAuthorityTest {
  private static final Instant NOW = Instant.parse("2026-11-26T09:00:00.123456Z");
  private static final String PROCESS = "65a1b2c30000000000000001";
  private static final String USER = "65a1b2c300000000000000aa";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final CertificateAuthority AUTHORITY = CertificateAuthority.create(NOW, RANDOM);
  /** OIDs of extended key usage (RFC 5280 4.2.1.12). */
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String SECP256R1 = "secp256r1";

  @Test
  void theAuthorityIsASelfSignedEcP256CertificateOfTenYearsThatMaySignCertificatesOnly() throws Exception {
    X509Certificate ca = reread(AUTHORITY.certificate());

    assertThat(ca.getSubjectX500Principal()).isEqualTo(ca.getIssuerX500Principal());
    ca.verify(ca.getPublicKey()); // self-signed
    assertThat(ca.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(curve(ca)).isEqualTo(SECP256R1);
    assertThat(ca.getNotBefore().toInstant()).isEqualTo(Instant.parse("2026-11-26T08:55:00Z"));
    assertThat(ca.getNotAfter().toInstant()).isEqualTo(Instant.parse("2036-11-26T09:00:00Z"));
    assertThat(ca.getBasicConstraints()).as("a CA, issuing end entities only").isZero();
    assertThat(ca.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15"); // basic constraints, key usage
    // keyCertSign (5) and cRLSign (6) only
    assertThat(ca.getKeyUsage()).containsExactly(false, false, false, false, false, true, true, false, false);
    assertThat(ca.getSubjectX500Principal().getName()).startsWith("CN=defpi certificate authority ");
  }

  @Test
  void aProcessCertificateHoldsExactlyWhatTheContractLists() throws Exception {
    KeyPair process = CertificateAuthority.newKeyPair(RANDOM);
    IssuedCertificate issued = AUTHORITY.issue(process.getPublic(), PROCESS,
        List.of(TlsNames.process(PROCESS), TlsNames.user(USER)), NOW, Duration.ofSeconds(3600));
    X509Certificate c = reread(issued.certificate());

    assertThat(c.getVersion()).isEqualTo(3);
    assertThat(c.getSerialNumber().signum()).isPositive();
    assertThat(c.getSerialNumber().bitLength()).isLessThanOrEqualTo(128);
    assertThat(c.getSubjectX500Principal()).isEqualTo(new X500Principal("CN=" + PROCESS));
    assertThat(c.getIssuerX500Principal()).isEqualTo(AUTHORITY.certificate().getSubjectX500Principal());
    assertThat(c.getPublicKey()).isEqualTo(process.getPublic());
    assertThat(curve(c)).isEqualTo(SECP256R1);
    c.verify(AUTHORITY.certificate().getPublicKey());
    assertThat(c.getSigAlgName()).isEqualTo("SHA256withECDSA");
    // URIs only, the process and its user
    assertThat(c.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
        List.of(6, "urn:defpi:process:" + PROCESS), List.of(6, "urn:defpi:user:" + USER));
    // digitalSignature only, critical
    assertThat(c.getKeyUsage()).containsExactly(true, false, false, false, false, false, false, false, false);
    assertThat(c.getCriticalExtensionOIDs()).containsExactly("2.5.29.15");
    assertThat(c.getExtendedKeyUsage()).containsExactlyInAnyOrder(SERVER_AUTH, CLIENT_AUTH);
    assertThat(c.getBasicConstraints()).as("not a CA").isEqualTo(-1);
    // exactly these extensions: SAN, key usage, extended key usage
    Set<String> extensions = new HashSet<>(c.getNonCriticalExtensionOIDs());
    extensions.addAll(c.getCriticalExtensionOIDs());
    assertThat(extensions).containsExactlyInAnyOrder("2.5.29.17", "2.5.29.15", "2.5.29.37");
    // 5 minutes back, an hour on, renewed two thirds of the way: to the second
    assertThat(c.getNotBefore().toInstant()).isEqualTo(Instant.parse("2026-11-26T08:55:00Z"));
    assertThat(c.getNotAfter().toInstant()).isEqualTo(Instant.parse("2026-11-26T10:00:00Z")).isEqualTo(issued.notAfter());
    assertThat(issued.renewAfter()).isEqualTo(Instant.parse("2026-11-26T09:40:00Z"));
    // and the JDK's own path validation accepts it with the authority as the only anchor
    validate(c, Date.from(NOW));
  }

  static Stream<Arguments> lifetimes() {
    return Stream.of(
        // ttl, notAfter, renewAfter
        Arguments.of(Duration.ofSeconds(60), "2026-11-26T09:01:00Z", "2026-11-26T09:00:40Z"),
        Arguments.of(Duration.ofSeconds(90), "2026-11-26T09:01:30Z", "2026-11-26T09:01:00Z"),
        Arguments.of(Duration.ofSeconds(3600), "2026-11-26T10:00:00Z", "2026-11-26T09:40:00Z"),
        Arguments.of(Duration.ofHours(24), "2026-11-27T09:00:00Z", "2026-11-27T01:00:00Z"));
  }

  @ParameterizedTest(name = "ttl {0}")
  @MethodSource("lifetimes")
  void theTimeToLiveSetsNotAfterAndRenewalTwoThirdsOfTheWay(Duration ttl, String notAfter, String renewAfter)
      throws Exception {
    IssuedCertificate issued = AUTHORITY.issue(CertificateAuthority.newKeyPair(RANDOM).getPublic(), PROCESS,
        List.of(TlsNames.process(PROCESS)), NOW, ttl);
    assertThat(issued.notAfter()).isEqualTo(Instant.parse(notAfter));
    assertThat(issued.certificate().getNotAfter().toInstant()).isEqualTo(Instant.parse(notAfter));
    assertThat(issued.renewAfter()).isEqualTo(Instant.parse(renewAfter));
    assertThat(issued.certificate().getNotBefore().toInstant()).isEqualTo(Instant.parse("2026-11-26T08:55:00Z"));
  }

  @Test
  void serialsAreRandomAndDistinct() throws Exception {
    Set<BigInteger> serials = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      serials.add(AUTHORITY.issue(CertificateAuthority.newKeyPair(RANDOM).getPublic(), PROCESS,
          List.of(TlsNames.process(PROCESS)), NOW, Duration.ofHours(1)).certificate().getSerialNumber());
    }
    assertThat(serials).hasSize(50).allMatch(s -> s.signum() > 0 && s.bitLength() <= 128);
    // random, not counted: among 50 draws of 128 bits some have their top bits set
    assertThat(serials).anyMatch(s -> s.bitLength() > 120);
  }

  @Test
  void anotherAuthoritysCertificateDoesNotValidate() throws Exception {
    CertificateAuthority other = CertificateAuthority.create(NOW, RANDOM);
    IssuedCertificate foreign = other.issue(CertificateAuthority.newKeyPair(RANDOM).getPublic(), PROCESS,
        List.of(TlsNames.process(PROCESS)), NOW, Duration.ofHours(1));
    assertThatThrownBy(() -> validate(foreign.certificate(), Date.from(NOW)))
        .isInstanceOf(java.security.cert.CertPathValidatorException.class);
  }

  @Test
  void theStoredFormReadsBackAsTheSameAuthorityAndAMismatchedKeyIsRefused() throws Exception {
    StoredAuthority stored = AUTHORITY.stored(NOW);
    CertificateAuthority back = CertificateAuthority.of(stored, RANDOM);
    assertThat(back.certificate()).isEqualTo(AUTHORITY.certificate());
    // it signs as the original: its certificates validate against the original's certificate
    validate(back.issue(CertificateAuthority.newKeyPair(RANDOM).getPublic(), PROCESS,
        List.of(TlsNames.process(PROCESS)), NOW, Duration.ofHours(1)).certificate(), Date.from(NOW));

    StoredAuthority mixed = new StoredAuthority(stored.certificate(),
        CertificateAuthority.create(NOW, RANDOM).stored(NOW).privateKey(), NOW);
    assertThatThrownBy(() -> CertificateAuthority.of(mixed, RANDOM))
        .hasMessageContaining("key does not belong to its certificate");
    assertThat(stored.toString()).contains("privateKey=redacted").doesNotContain(hex(stored.privateKey()));
    assertThat(AUTHORITY.toString()).startsWith("CertificateAuthority[CN=defpi certificate authority");
  }

  @Test
  void thePemAnswerReadsBackAsTheCertificates() throws Exception {
    IssuedCertificate issued = AUTHORITY.issue(CertificateAuthority.newKeyPair(RANDOM).getPublic(), PROCESS,
        List.of(TlsNames.process(PROCESS)), NOW, Duration.ofHours(1));
    assertThat(issued.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----").contains("-----END CERTIFICATE-----");
    CertificateFactory x509 = CertificateFactory.getInstance("X.509");
    assertThat(x509.generateCertificate(new ByteArrayInputStream(issued.certificatePem().getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo(issued.certificate());
    assertThat(x509.generateCertificate(new ByteArrayInputStream(issued.authorityPem().getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo(AUTHORITY.certificate());
  }

  @Test
  void aCertificateNamesAtLeastOneIdentityAndLivesAWhile() {
    var key = CertificateAuthority.newKeyPair(RANDOM).getPublic();
    assertThatThrownBy(() -> AUTHORITY.issue(key, PROCESS, List.of(), NOW, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AUTHORITY.issue(key, PROCESS, List.of(URI.create("urn:x")), NOW, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Parsed anew from its encoding, by the JDK's CertificateFactory. */
  private static X509Certificate reread(X509Certificate c) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(c.getEncoded()));
  }

  private static String curve(X509Certificate c) throws Exception {
    java.security.AlgorithmParameters parameters = java.security.AlgorithmParameters.getInstance("EC");
    parameters.init(((ECPublicKey) c.getPublicKey()).getParams());
    return parameters.getParameterSpec(java.security.spec.ECGenParameterSpec.class).getName();
  }

  private static void validate(X509Certificate leaf, Date at) throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(AUTHORITY.certificate(), null)));
    parameters.setRevocationEnabled(false);
    parameters.setDate(at);
    CertPathValidator.getInstance("PKIX").validate(
        CertificateFactory.getInstance("X.509").generateCertPath(new ArrayList<>(List.of(leaf))), parameters);
  }

  private static String hex(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(bytes);
  }
}
