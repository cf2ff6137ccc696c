package org.defpi.orchestrator.certificate;

import java.math.BigInteger;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The deployment's certificate authority (docs/wire-additions.md, "TLS", 1): an EC P-256 key and a
 * self-signed certificate valid 10 years, and what it issues. Immutable and thread-safe. Its private
 * key stays inside: {@link #stored} hands it only to the store, and {@link #toString()} never shows it.
 *
 * <p>An issued certificate holds exactly what the contract lists: a random 128-bit serial, subject
 * {@code CN=<name>}, the given URIs as its only subject alternative names, key usage
 * digitalSignature (critical), extended key usage serverAuth and clientAuth, valid from 5 minutes
 * back (clock skew between nodes) for the given time to live, signed SHA256withECDSA.
 */
public final class CertificateAuthority {
  static final String CURVE = "secp256r1";
  static final String SIGNATURE = "SHA256withECDSA";
  /** How far back a certificate is valid from: the nodes' clocks may disagree this much. */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  static final int VALIDITY_YEARS = 10;
  static final int SERIAL_BITS = 128;

  private final X509Certificate certificate;
  private final PrivateKey key;
  private final SecureRandom random;

  private CertificateAuthority(X509Certificate certificate, PrivateKey key, SecureRandom random) {
    this.certificate = certificate;
    this.key = key;
    this.random = random;
  }

  /** A new authority: a fresh key, a self-signed certificate valid from 5 minutes before {@code now} for 10 years. */
  public static CertificateAuthority create(Instant now, SecureRandom random) {
    KeyPair pair = newKeyPair(random);
    // A random part in the name tells two deployments' authorities apart in a person's eyes;
    // trust never rests on it (a peer checks the signature against the key it trusts).
    byte[] tag = new byte[4];
    random.nextBytes(tag);
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "defpi")
        .addRDN(BCStyle.CN, "defpi certificate authority " + HexFormat.of().formatHex(tag)).build();
    Instant start = seconds(now.minus(CLOCK_SKEW));
    Instant end = seconds(now.atOffset(ZoneOffset.UTC).plusYears(VALIDITY_YEARS).toInstant());
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(random), Date.from(start),
          Date.from(end), name, pair.getPublic());
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(pair.getPublic()));
      return new CertificateAuthority(sign(builder, pair.getPrivate()), pair.getPrivate(), random);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot make a certificate authority: " + e.getMessage(), e);
    }
  }

  /** The authority the store kept; refused when its certificate and key do not belong together. */
  public static CertificateAuthority of(StoredAuthority stored, SecureRandom random) {
    try {
      X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new java.io.ByteArrayInputStream(stored.certificate()));
      PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(stored.privateKey()));
      // A key that does not sign for the certificate would issue certificates nobody trusts.
      byte[] probe = new byte[32];
      random.nextBytes(probe);
      Signature signer = Signature.getInstance(SIGNATURE);
      signer.initSign(key);
      signer.update(probe);
      Signature verifier = Signature.getInstance(SIGNATURE);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      if (!verifier.verify(signer.sign())) {
        throw new IllegalStateException("the stored certificate authority's key does not belong to its certificate");
      }
      return new CertificateAuthority(certificate, key, random);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the stored certificate authority cannot be read: " + e.getMessage(), e);
    }
  }

  /** What the store keeps of this authority. */
  public StoredAuthority stored(Instant createdAt) {
    try {
      return new StoredAuthority(certificate.getEncoded(), key.getEncoded(), createdAt);
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("a certificate we made encodes", e);
    }
  }

  /** The authority's own certificate: what every party trusts. */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * A certificate for {@code subjectKey}: subject {@code CN=commonName}, subject alternative names
   * {@code names} (URIs), valid from 5 minutes before {@code now} until {@code now + ttl}.
   */
  public IssuedCertificate issue(PublicKey subjectKey, String commonName, List<URI> names, Instant now, Duration ttl) {
    Objects.requireNonNull(subjectKey, "subjectKey");
    Objects.requireNonNull(commonName, "commonName");
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a certificate names at least one identity");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a certificate's time to live must be positive, not " + ttl);
    }
    Instant start = seconds(now.minus(CLOCK_SKEW));
    Instant end = seconds(now.plus(ttl));
    Instant renewAfter = seconds(now.plus(ttl.multipliedBy(2).dividedBy(3)));
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    GeneralName[] alternatives = names.stream()
        .map(uri -> new GeneralName(GeneralName.uniformResourceIdentifier, uri.toString()))
        .toArray(GeneralName[]::new);
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(random), Date.from(start),
          Date.from(end), subject, subjectKey);
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      return new IssuedCertificate(sign(builder, key), certificate, end, renewAfter);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue a certificate for " + commonName + ": " + e.getMessage(), e);
    }
  }

  /** A fresh EC P-256 key pair. */
  public static KeyPair newKeyPair(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(CURVE), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK makes EC P-256 keys", e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException {
    try {
      ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(key);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign with " + SIGNATURE + ": " + e.getMessage(), e);
    }
  }

  /** A random positive serial of at most 128 bits (RFC 5280 allows 20 octets). */
  private static BigInteger serial(SecureRandom random) {
    BigInteger serial;
    do {
      serial = new BigInteger(SERIAL_BITS, random);
    } while (serial.signum() == 0);
    return serial;
  }

  /** Certificates keep times to the second. */
  private static Instant seconds(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "CertificateAuthority[" + certificate.getSubjectX500Principal().getName() + ", until "
        + certificate.getNotAfter().toInstant() + "]";
  }
}
