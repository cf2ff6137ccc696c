package org.defpi.orchestrator.certificate;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * A certificate the authority issued, with what the holder needs besides: the authority's own
 * certificate (the one to trust) and when to ask again.
 *
 * @param notAfter the end of its validity, to the second (as the certificate holds it)
 * @param renewAfter two thirds of the way from its issue to {@code notAfter}
 */
public record IssuedCertificate(X509Certificate certificate, X509Certificate authority, Instant notAfter,
    Instant renewAfter) {
  public IssuedCertificate {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(renewAfter, "renewAfter");
  }

  public String certificatePem() {
    return Pem.certificate(certificate);
  }

  public String authorityPem() {
    return Pem.certificate(authority);
  }
}
