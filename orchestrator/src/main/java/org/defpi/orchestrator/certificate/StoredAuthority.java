package org.defpi.orchestrator.certificate;

import java.time.Instant;
import java.util.Objects;

/**
 * The deployment's certificate authority as the store keeps it: its self-signed certificate (DER)
 * and its private key (PKCS#8 DER). Whoever holds the key can mint certificates every process
 * trusts: {@link #toString()} never shows it, and nothing logs or answers it.
 *
 * @param createdAt when the first instance of the deployment made it
 */
public record StoredAuthority(byte[] certificate, byte[] privateKey, Instant createdAt) {
  public StoredAuthority {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(createdAt, "createdAt");
    certificate = certificate.clone();
    privateKey = privateKey.clone();
  }

  @Override
  public byte[] certificate() {
    return certificate.clone();
  }

  @Override
  public byte[] privateKey() {
    return privateKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredAuthority other && java.util.Arrays.equals(certificate, other.certificate)
        && java.security.MessageDigest.isEqual(privateKey, other.privateKey) && createdAt.equals(other.createdAt);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(certificate);
  }

  @Override
  public String toString() {
    return "StoredAuthority[certificate=" + certificate.length + " bytes, privateKey=redacted, createdAt=" + createdAt
        + "]";
  }
}
