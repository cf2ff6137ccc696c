package org.defpi.sdk.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.defpi.wire.tls.TlsNames;

/**
 * A certificate authority for tests, shaped as docs/wire-additions.md ("TLS", 1) says the
 * orchestrator's is: an EC P-256 key, a self-signed CA certificate, and leaf certificates with a
 * random serial, URI subject alternative names only, digitalSignature, serverAuth and clientAuth.
 * BouncyCastle builds the certificates (the JDK has no public API for it) in tests only; the SDK
 * reads them with the JDK alone.
 *
 * <p>It also makes the plain JDK {@link SSLContext}s that fake peers and the fake orchestrator use:
 * they trust a CA, but check no names, so a test can play any party, a rogue one included.
 */
public final class TestAuthority {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A key pair and its certificate: one party's TLS identity. */
  public record Identity(KeyPair keys, X509Certificate certificate) {
    @Override
    public String toString() {
      return "Identity[" + certificate.getSubjectX500Principal() + "]"; // never the key
    }
  }

  private final X500Name name;
  private final KeyPair keys;
  private final X509Certificate certificate;

  private TestAuthority(X500Name name, KeyPair keys, X509Certificate certificate) {
    this.name = name;
    this.keys = keys;
    this.certificate = certificate;
  }

  /** A new authority, valid from an hour ago for ten years. */
  public static TestAuthority create(String commonName) {
    try {
      KeyPair keys = newKeyPair();
      X500Name name = new X500Name("CN=" + commonName);
      Instant now = Instant.now();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(3650))), name, keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new TestAuthority(name, keys, sign(builder, keys));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** Certifies {@code key} for {@code names} (URI SANs), from {@code notBefore} to {@code notAfter}. */
  public X509Certificate issue(PublicKey key, String commonName, List<URI> names, Instant notBefore, Instant notAfter) {
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(notBefore),
          Date.from(notAfter), new X500Name("CN=" + commonName), key);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.stream()
          .map(uri -> new GeneralName(GeneralName.uniformResourceIdentifier, uri.toString()))
          .toArray(GeneralName[]::new)));
      return sign(builder, keys);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new key pair certified for {@code names}, valid from 5 minutes ago for {@code ttl}. */
  public Identity identity(String commonName, Duration ttl, URI... names) {
    KeyPair pair = newKeyPair();
    Instant now = Instant.now();
    return new Identity(pair, issue(pair.getPublic(), commonName, List.of(names), now.minus(Duration.ofMinutes(5)),
        now.plus(ttl)));
  }

  /** A process's identity as the orchestrator issues it: {@code urn:defpi:process:…}, {@code urn:defpi:user:…}. */
  public Identity process(String processId, String userId) {
    return identity(processId, Duration.ofHours(1), TlsNames.process(processId), TlsNames.user(userId));
  }

  /** The orchestrator's identity: {@code urn:defpi:orchestrator}. */
  public Identity orchestrator() {
    return identity("defpi-orchestrator", Duration.ofHours(1), TlsNames.ORCHESTRATOR);
  }

  /**
   * A TLS 1.3 context presenting {@code identity} (none if null) and trusting {@code trusted} (this
   * authority when none are given).
   */
  public SSLContext context(Identity identity, X509Certificate... trusted) {
    try {
      char[] password = "test".toCharArray();
      KeyManagerFactory keyManagers = null;
      if (identity != null) {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("me", identity.keys().getPrivate(), password,
            new X509Certificate[] {identity.certificate()});
        keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keyStore, password);
      }
      KeyStore trustStore = KeyStore.getInstance("PKCS12");
      trustStore.load(null, null);
      X509Certificate[] anchors = trusted.length == 0 ? new X509Certificate[] {certificate} : trusted;
      for (int i = 0; i < anchors.length; i++) {
        trustStore.setCertificateEntry("ca" + i, anchors[i]);
      }
      TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
      trustManagers.init(trustStore);
      SSLContext context = SSLContext.getInstance(TlsNames.PROTOCOL);
      context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), RANDOM);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot make a TLS context: " + e.getMessage(), e);
    }
  }

  /** A certificate's URI subject alternative names. */
  public static List<URI> uris(X509Certificate certificate) {
    try {
      var names = certificate.getSubjectAlternativeNames();
      return names == null ? List.of() : names.stream()
          .filter(n -> Integer.valueOf(GeneralName.uniformResourceIdentifier).equals(n.get(0)))
          .map(n -> URI.create((String) n.get(1)))
          .toList();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String pem(X509Certificate certificate) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(128, RANDOM);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) {
    try {
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a certificate: " + e.getMessage(), e);
    }
  }
}
