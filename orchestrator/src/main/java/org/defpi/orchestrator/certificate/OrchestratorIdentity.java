package org.defpi.orchestrator.certificate;

import java.net.Socket;
import java.security.KeyPair;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.defpi.wire.tls.TlsNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This orchestrator instance's own certificate (SAN {@code urn:defpi:orchestrator}), as the key
 * manager of the TLS connections it opens to processes' management ports. Key and certificate live
 * in memory only: each instance issues its own at start from the shared authority, and a new one
 * (with a new key) at its {@code renewAfter}, on the first handshake that needs it, so no thread
 * is needed and an idle orchestrator renews nothing.
 *
 * <p>A handshake asks for an alias first and its key and chain after: each renewal gets a new
 * alias, and the previous credential is kept, so a handshake that straddles a renewal still gets a
 * key and chain that belong together.
 */
public final class OrchestratorIdentity extends X509ExtendedKeyManager {
  private static final Logger LOG = LoggerFactory.getLogger(OrchestratorIdentity.class);
  static final String COMMON_NAME = "defpi-orchestrator";

  private record Credential(String alias, PrivateKey key, X509Certificate[] chain, Instant renewAfter) {
    @Override
    public String toString() {
      return "Credential[" + alias + ", renewAfter=" + renewAfter + "]";
    }
  }

  private final CertificateAuthority authority;
  private final Clock clock;
  private final Duration ttl;
  private final SecureRandom random;
  private long generation;
  private volatile Credential current;
  private volatile Credential previous;

  /** Issues the first certificate now. */
  public OrchestratorIdentity(CertificateAuthority authority, Clock clock, Duration ttl, SecureRandom random) {
    this.authority = Objects.requireNonNull(authority, "authority");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.random = Objects.requireNonNull(random, "random");
    this.current = issue();
    this.previous = current;
  }

  /** The certificate presented now (renewed first when due). */
  public X509Certificate certificate() {
    return credential().chain()[0];
  }

  private Credential credential() {
    Credential c = current;
    if (clock.instant().isBefore(c.renewAfter())) {
      return c;
    }
    synchronized (this) {
      if (!clock.instant().isBefore(current.renewAfter())) {
        previous = current;
        current = issue();
        LOG.info("renewed this orchestrator's certificate (serial {}), valid until {}",
            current.chain()[0].getSerialNumber().toString(16), current.chain()[0].getNotAfter().toInstant());
      }
      return current;
    }
  }

  private synchronized Credential issue() {
    KeyPair pair = CertificateAuthority.newKeyPair(random);
    IssuedCertificate issued = authority.issue(pair.getPublic(), COMMON_NAME, List.of(TlsNames.ORCHESTRATOR),
        clock.instant(), ttl);
    generation++;
    return new Credential("orchestrator-" + generation, pair.getPrivate(), new X509Certificate[] {issued.certificate()},
        issued.renewAfter());
  }

  private Credential byAlias(String alias) {
    Credential c = current;
    if (c.alias().equals(alias)) {
      return c;
    }
    Credential p = previous;
    return p.alias().equals(alias) ? p : null;
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return credential().alias();
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return credential().alias();
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return new String[] {credential().alias()};
  }

  /** The orchestrator never serves TLS: no server aliases. */
  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Credential c = byAlias(alias);
    return c == null ? null : c.chain().clone();
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Credential c = byAlias(alias);
    return c == null ? null : c.key();
  }

  @Override
  public String toString() {
    return "OrchestratorIdentity[" + current + "]";
  }
}
