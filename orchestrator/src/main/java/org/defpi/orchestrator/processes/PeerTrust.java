package org.defpi.orchestrator.processes;

import java.net.Socket;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Trusts one peer of a management connection: a certificate that chains to the deployment's
 * authority (the JDK's PKIX validation with the authority as its only anchor, key usage and
 * extended key usage checked for a TLS server) and names {@code expected} as a URI subject
 * alternative name. Never by host name: a process is reached by its id, and its certificate names
 * that id as a URN (docs/wire-additions.md, "TLS", 3). It trusts servers only: the orchestrator
 * never accepts TLS clients.
 */
final class PeerTrust extends X509ExtendedTrustManager {
  /** The type of a URI in {@link X509Certificate#getSubjectAlternativeNames()} (RFC 5280 GeneralName). */
  private static final int URI_NAME = 6;

  private final X509TrustManager pkix;
  private final X509Certificate authority;
  private final URI expected;

  PeerTrust(X509Certificate authority, URI expected) {
    this.authority = Objects.requireNonNull(authority, "authority");
    this.expected = Objects.requireNonNull(expected, "expected");
    try {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      anchors.setCertificateEntry("defpi-authority", authority);
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(anchors);
      X509TrustManager found = null;
      for (TrustManager m : factory.getTrustManagers()) {
        if (m instanceof X509TrustManager x) {
          found = x;
        }
      }
      this.pkix = Objects.requireNonNull(found, "the JDK's PKIX trust manager factory gives an X509TrustManager");
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot trust the certificate authority: " + e.getMessage(), e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    pkix.checkServerTrusted(chain, authType);
    if (!names(chain[0]).contains(expected.toString())) {
      throw new CertificateException("the peer's certificate names " + names(chain[0]) + ", not " + expected);
    }
  }

  // The socket and engine variants would add host name checks: the identity is the URN instead.
  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("the orchestrator accepts no TLS clients on its management connections");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[] {authority};
  }

  /** The URI subject alternative names of {@code certificate}. */
  static List<String> names(X509Certificate certificate) throws CertificateParsingException {
    Collection<List<?>> all = certificate.getSubjectAlternativeNames();
    if (all == null) {
      return List.of();
    }
    return all.stream().filter(n -> n.size() == 2 && Integer.valueOf(URI_NAME).equals(n.get(0)))
        .map(n -> String.valueOf(n.get(1))).toList();
  }
}
