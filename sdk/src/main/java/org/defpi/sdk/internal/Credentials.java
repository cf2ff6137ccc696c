package org.defpi.sdk.internal;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * One answer of the orchestrator's certificate authority, with the private key it certifies: the
 * process's TLS identity until the next renewal. The key was made in this process and never leaves
 * it; {@link #toString()} leaves it out, so no log line can carry it.
 *
 * @param privateKey the EC P-256 key the certificate's public key belongs to
 * @param certificate this process's certificate (URI SANs: its process and its user)
 * @param authority the CA certificate of the same answer: the trust anchor for every peer
 * @param notAfter when the certificate stops being valid
 * @param renewAfter when to ask for the next one
 */
record Credentials(PrivateKey privateKey, X509Certificate certificate, X509Certificate authority,
    Instant notAfter, Instant renewAfter) {
  Credentials {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(renewAfter, "renewAfter");
  }

  /** The certificate's serial in hex: what log lines name a certificate by. */
  String serial() {
    return certificate.getSerialNumber().toString(16);
  }

  @Override
  public String toString() {
    return "Credentials[serial " + serial() + ", notAfter " + notAfter + ", renewAfter " + renewAfter + "]";
  }
}
