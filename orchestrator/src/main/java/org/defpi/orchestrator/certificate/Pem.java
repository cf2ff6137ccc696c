package org.defpi.orchestrator.certificate;

import java.io.IOException;
import java.io.StringWriter;
import java.security.cert.X509Certificate;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** Certificates as PEM text (RFC 7468), as the certificate route answers them. Never keys. */
final class Pem {
  private Pem() {}

  static String certificate(X509Certificate certificate) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      pem.writeObject(certificate);
    } catch (IOException e) {
      throw new IllegalStateException("writing PEM to a string cannot fail", e);
    }
    return text.toString();
  }
}
