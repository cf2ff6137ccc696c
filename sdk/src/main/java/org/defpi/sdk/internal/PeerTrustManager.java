package org.defpi.sdk.internal;

import java.net.Socket;
import java.net.URI;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts a peer's certificate when the JDK's PKIX trust manager accepts it against the CA of the
 * latest certificate answer (chain, validity, key usage, extended key usage), and it names every
 * URI this socket's peer must have: {@code urn:defpi:orchestrator} on the management port, {@code
 * urn:defpi:process:<remote>} and {@code urn:defpi:user:<own user>} on a data connection. Host
 * names are never checked (endpoint identification is off): these names are the identity.
 */
final class PeerTrustManager extends X509ExtendedTrustManager {
  private static final int URI_NAME = 6; // GeneralName uniformResourceIdentifier (RFC 5280)

  private final TlsIdentity identity;
  private final Set<URI> required;

  PeerTrustManager(TlsIdentity identity, Set<URI> required) {
    this.identity = identity;
    this.required = Set.copyOf(required);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    pkix().checkClientTrusted(chain, authType, socket);
    checkNames(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    pkix().checkClientTrusted(chain, authType, engine);
    checkNames(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    pkix().checkClientTrusted(chain, authType);
    checkNames(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    pkix().checkServerTrusted(chain, authType, socket);
    checkNames(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    pkix().checkServerTrusted(chain, authType, engine);
    checkNames(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    pkix().checkServerTrusted(chain, authType);
    checkNames(chain);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    TlsIdentity.Generation g = identity.current();
    return g == null ? new X509Certificate[0] : new X509Certificate[] {g.credentials().authority()};
  }

  private X509ExtendedTrustManager pkix() throws CertificateException {
    TlsIdentity.Generation g = identity.current();
    if (g == null) {
      throw new CertificateException("this process holds no certificate, so it trusts no authority");
    }
    return g.pkix();
  }

  private void checkNames(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the peer presented no certificate");
    }
    Set<URI> named = uris(chain[0]);
    if (!named.containsAll(required)) {
      TreeSet<URI> missing = new TreeSet<>(required);
      missing.removeAll(named);
      throw new CertificateException("the peer's certificate (serial " + chain[0].getSerialNumber().toString(16)
          + ") names " + new TreeSet<>(named) + " but not " + missing);
    }
  }

  /** The certificate's URI subject alternative names. */
  static Set<URI> uris(X509Certificate certificate) throws CertificateParsingException {
    Collection<List<?>> names = certificate.getSubjectAlternativeNames();
    Set<URI> uris = new TreeSet<>();
    if (names == null) {
      return uris;
    }
    for (List<?> name : names) {
      if (name.size() >= 2 && name.get(0) instanceof Integer type && type == URI_NAME
          && name.get(1) instanceof String value) {
        try {
          uris.add(URI.create(value));
        } catch (IllegalArgumentException e) {
          // not a URI we could require: ignore it
        }
      }
    }
    return uris;
  }
}
