package org.defpi.sdk.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.defpi.sdk.DefPiParameters;
import org.defpi.sdk.testing.TestAuthority;
import org.defpi.wire.tls.TlsNames;
import org.junit.jupiter.api.Test;

/** Reading and checking the orchestrator's certificate answer, without sockets. */
class CertificateClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-26T09:00:00Z");

  private final TestAuthority ca = TestAuthority.create("test authority");
  private final KeyPair keys = CertificateClient.newKeyPair();

  private X509Certificate certificateFor(KeyPair pair, TestAuthority authority) {
    return authority.issue(pair.getPublic(), "p-42", List.of(TlsNames.process("p-42"), TlsNames.user("u1")),
        NOW.minus(Duration.ofMinutes(5)), NOW.plus(Duration.ofHours(1)));
  }

  private static byte[] answer(Map<String, String> fields) throws IOException {
    return JSON.writeValueAsBytes(fields);
  }

  @Test
  void anAnswerForOurKeySignedByItsCaGivesTheCredentialsAndItsTimes() throws Exception {
    X509Certificate certificate = certificateFor(keys, ca);
    byte[] answer = answer(Map.of("certificate", TestAuthority.pem(certificate),
        "caCertificate", TestAuthority.pem(ca.certificate()),
        "notAfter", "2026-11-26T10:00:00Z", "renewAfter", "2026-11-26T09:40:00Z", "comment", "ignored"));

    Credentials credentials = CertificateClient.credentials(keys, answer, NOW);

    assertThat(credentials.certificate()).isEqualTo(certificate);
    assertThat(credentials.authority()).isEqualTo(ca.certificate());
    assertThat(credentials.privateKey()).isEqualTo(keys.getPrivate());
    assertThat(credentials.notAfter()).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
    assertThat(credentials.renewAfter()).isEqualTo(Instant.parse("2026-11-26T09:40:00Z"));
    assertThat(credentials.toString()).contains(credentials.serial()).doesNotContain("PrivateKey").doesNotContain("ECPrivate");
  }

  @Test
  void missingTimesComeFromTheCertificateAndTheTwoThirdsRule() throws Exception {
    X509Certificate certificate = certificateFor(keys, ca);
    byte[] answer = answer(Map.of("certificate", TestAuthority.pem(certificate),
        "caCertificate", TestAuthority.pem(ca.certificate())));

    Credentials credentials = CertificateClient.credentials(keys, answer, NOW);

    assertThat(credentials.notAfter()).isEqualTo(certificate.getNotAfter().toInstant());
    assertThat(credentials.renewAfter()).isEqualTo(NOW.plus(Duration.ofMinutes(40)));
  }

  @Test
  void aCertificateOfAnotherKeyIsRefused() throws Exception {
    byte[] answer = answer(Map.of("certificate", TestAuthority.pem(certificateFor(TestAuthority.newKeyPair(), ca)),
        "caCertificate", TestAuthority.pem(ca.certificate())));

    assertThatThrownBy(() -> CertificateClient.credentials(keys, answer, NOW))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("certifies another key than the one sent");
  }

  @Test
  void aCertificateTheCaOfTheAnswerDidNotSignIsRefused() throws Exception {
    TestAuthority other = TestAuthority.create("other authority");
    byte[] answer = answer(Map.of("certificate", TestAuthority.pem(certificateFor(keys, other)),
        "caCertificate", TestAuthority.pem(ca.certificate())));

    assertThatThrownBy(() -> CertificateClient.credentials(keys, answer, NOW))
        .isInstanceOf(CertificateException.class)
        .hasMessageContaining("not signed by the CA certificate of the same answer");
  }

  @Test
  void unreadableAnswersSayWhatIsWrong() {
    assertThatThrownBy(() -> CertificateClient.credentials(keys, "[]".getBytes(UTF_8), NOW))
        .isInstanceOf(IOException.class).hasMessage("the answer is not a JSON object");
    assertThatThrownBy(() -> CertificateClient.credentials(keys, "{}".getBytes(UTF_8), NOW))
        .isInstanceOf(CertificateException.class).hasMessage("the answer has no \"certificate\"");
    assertThatThrownBy(() -> CertificateClient.credentials(keys,
        "{\"certificate\":\"hello\",\"caCertificate\":\"x\"}".getBytes(UTF_8), NOW))
        .isInstanceOf(CertificateException.class).hasMessageStartingWith("\"certificate\" is not a PEM X.509 certificate");
    assertThatThrownBy(() -> CertificateClient.credentials(keys, answer(Map.of(
        "certificate", TestAuthority.pem(certificateFor(keys, ca)), "caCertificate", TestAuthority.pem(ca.certificate()),
        "notAfter", "tomorrow")), NOW))
        .isInstanceOf(IOException.class).hasMessage("\"notAfter\" is not an ISO-8601 instant: 'tomorrow'");
  }

  @Test
  void theUrlIsTheTriggersHostAndPortAndNeverShowsTheToken() {
    DefPiParameters p = new DefPiParameters("defpi-orchestrator", 8484, "s3cret-token", "p-42", "u1", "U", "u@x");

    assertThat(CertificateClient.certificateUri(p)).hasToString("http://defpi-orchestrator:8484/process/p-42/certificate");
    assertThat(new CertificateClient(p).toString()).doesNotContain("s3cret-token");
  }
}
