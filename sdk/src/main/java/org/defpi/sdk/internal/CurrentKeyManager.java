package org.defpi.sdk.internal;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents the process's current certificate in each handshake, whichever side it is on. The JDK
 * asks for an alias first, then for that alias's key and chain: the alias names one certificate
 * ({@link TlsIdentity.Generation}), so a renewal between the two questions cannot pair a new key
 * with an old certificate.
 */
final class CurrentKeyManager extends X509ExtendedKeyManager {
  private static final String KEY_TYPE = "EC"; // the orchestrator certifies EC P-256 keys only

  private final TlsIdentity identity;

  CurrentKeyManager(TlsIdentity identity) {
    this.identity = identity;
  }

  private String alias(String keyType) {
    TlsIdentity.Generation g = identity.current();
    return g != null && KEY_TYPE.equals(keyType) ? g.alias() : null;
  }

  private String alias(String[] keyTypes) {
    return keyTypes != null && Arrays.asList(keyTypes).contains(KEY_TYPE) ? alias(KEY_TYPE) : null;
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return alias(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return alias(keyTypes);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return alias(keyType);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return alias(keyType);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    String alias = alias(keyType);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return getClientAliases(keyType, issuers);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return identity.credentials(alias).map(c -> new X509Certificate[] {c.certificate()}).orElse(null);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return identity.credentials(alias).map(Credentials::privateKey).orElse(null);
  }
}
