package org.defpi.sdk.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import org.defpi.sdk.DefPiParameters;
import org.defpi.sdk.testing.FakeOrchestrator;
import org.defpi.sdk.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The renewer against the fake orchestrator's real HTTP route, with a fast back-off. */
class CertificateRenewerTest {
  private static final Backoff FAST = new Backoff(Duration.ofMillis(50), Duration.ofMillis(100));

  private final LogCapture log = new LogCapture();
  private FakeOrchestrator orchestrator;
  private CertificateRenewer renewer;

  @BeforeEach
  void start() throws Exception {
    log.start();
    orchestrator = new FakeOrchestrator();
  }

  @AfterEach
  void stop() {
    if (renewer != null) {
      renewer.close();
    }
    orchestrator.close();
    log.stop();
  }

  private TlsIdentity identityRenewedBy(DefPiParameters parameters) throws Exception {
    CertificateClient client = new CertificateClient(parameters);
    TlsIdentity identity = new TlsIdentity(parameters.userId());
    identity.install(client.obtain(System.nanoTime() + SECONDS.toNanos(5), Duration.ofSeconds(5)).orElseThrow());
    renewer = new CertificateRenewer(client, identity, Clock.systemUTC(), FAST);
    return identity;
  }

  @Test
  void failedRenewalsAreRetriedWithBackOffUntilOneSucceeds() throws Exception {
    orchestrator.issueCertificates(Duration.ofMinutes(10), Duration.ofMillis(100));
    TlsIdentity identity = identityRenewedBy(orchestrator.parameters("p1"));
    String first = identity.credentials().orElseThrow().serial();
    orchestrator.failNextCertificates(2, 503);

    renewer.start();

    await().atMost(5, SECONDS).until(() -> orchestrator.issued("p1").size() >= 2);
    await().atMost(5, SECONDS).until(() -> !identity.credentials().orElseThrow().serial().equals(first));
    // renewAfter is 100 ms, so renewals go on: the one in use is one of the later certificates
    assertThat(orchestrator.issued("p1").subList(1, orchestrator.issued("p1").size()))
        .contains(identity.credentials().orElseThrow().certificate());
    assertThat(log.count("certificate renewal failed (HTTP 503); serial " + first + " stays in use")).isEqualTo(2);
  }

  @Test
  void aCertificateThatExpiresUnrenewedIsSaidOnceAtErrorAndRenewalGoesOn() throws Exception {
    orchestrator.issueCertificates(Duration.ofMillis(300), Duration.ofMillis(100));
    TlsIdentity identity = identityRenewedBy(orchestrator.parameters("p1"));
    orchestrator.failNextCertificates(1000, 503);

    renewer.start();

    await().atMost(5, SECONDS).until(() -> log.text().contains("expired at"));
    int calls = orchestrator.certificateCalls();
    await().atMost(5, SECONDS).until(() -> orchestrator.certificateCalls() >= calls + 3);
    assertThat(log.count("could not be renewed")).isEqualTo(1);
    assertThat(identity.held()).isTrue(); // expired, but nothing better to present

    orchestrator.failNextCertificates(0, 503);
    await().atMost(5, SECONDS).until(() -> orchestrator.issued("p1").size() >= 2);
  }
}
