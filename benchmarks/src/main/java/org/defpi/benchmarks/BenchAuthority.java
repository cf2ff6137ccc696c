package org.defpi.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
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
 * A certificate authority shaped as the orchestrator's (docs/wire-additions.md, "TLS", 1: EC P-256,
 * leaf certificates with URI names only, serverAuth and clientAuth) that several JVMs can share:
 * one JVM {@link #create}s it into a directory, each bench JVM {@link #load}s it, so processes on
 * two nodes trust each other as processes of one deployment do. The SDK's test fixtures make a new
 * authority per fake orchestrator and cannot load one, hence this class. BouncyCastle builds the
 * certificates (the JDK has no public API for it); the SDK reads them with the JDK alone.
 *
 * <p>{@code java … BenchAuthority DIR} writes {@code DIR/authority.p12} (0600). It is a throw-away
 * authority of one bench run: the file's password is a constant, the directory's mode (0700, the
 * script's temp dir) is what protects the key.
 */
final class BenchAuthority {
  static final String FILE = "authority.p12";
  private static final char[] PASSWORD = "defpi-bench".toCharArray();
  private static final String ALIAS = "authority";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A key pair and its certificate: one party's TLS identity. */
  record Identity(KeyPair keys, X509Certificate certificate) {
    @Override
    public String toString() {
      return "Identity[" + certificate.getSubjectX500Principal() + "]"; // never the key
    }
  }

  private final PrivateKey key;
  private final X509Certificate certificate;

  private BenchAuthority(PrivateKey key, X509Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: BenchAuthority DIR   (writes DIR/" + FILE + ")");
      System.exit(2);
    }
    create(Path.of(args[0]));
  }

  /** A new authority, valid from an hour ago for a day, written to {@code dir}. */
  static BenchAuthority create(Path dir) throws IOException {
    KeyPair keys = newKeyPair();
    X500Name name = new X500Name("CN=defpi bench authority");
    Instant now = Instant.now();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    BenchAuthority authority = new BenchAuthority(keys.getPrivate(), sign(builder, keys.getPrivate()));
    authority.save(dir.resolve(FILE));
    return authority;
  }

  /** The authority {@link #create} wrote to {@code dir}. */
  static BenchAuthority load(Path dir) throws IOException {
    try (InputStream in = Files.newInputStream(dir.resolve(FILE))) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, PASSWORD);
      return new BenchAuthority((PrivateKey) store.getKey(ALIAS, PASSWORD), (X509Certificate) store.getCertificate(ALIAS));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the authority in " + dir.resolve(FILE) + ": " + e.getMessage(), e);
    }
  }

  private void save(Path file) throws IOException {
    // written aside and moved, so a reader never sees half a file
    Path part = Files.createTempFile(file.getParent(), FILE, ".part",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (OutputStream out = Files.newOutputStream(part)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, key, PASSWORD, new X509Certificate[] {certificate});
      store.store(out, PASSWORD);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write the authority: " + e.getMessage(), e);
    }
    Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  X509Certificate certificate() {
    return certificate;
  }

  /** Certifies {@code publicKey} for {@code names} (URI SANs) from 5 minutes back for {@code ttl}. */
  X509Certificate issue(PublicKey publicKey, String commonName, List<URI> names, Duration ttl) {
    Instant now = Instant.now();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(X500Name.getInstance(
        certificate.getSubjectX500Principal().getEncoded()), serial(), Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(ttl)), new X500Name("CN=" + commonName), publicKey);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.stream()
          .map(uri -> new GeneralName(GeneralName.uniformResourceIdentifier, uri.toString()))
          .toArray(GeneralName[]::new)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot add a certificate extension: " + e.getMessage(), e);
    }
    return sign(builder, key);
  }

  /** The orchestrator's identity, {@code urn:defpi:orchestrator}, valid an hour. */
  Identity orchestrator() {
    KeyPair keys = newKeyPair();
    return new Identity(keys, issue(keys.getPublic(), "defpi-orchestrator", List.of(TlsNames.ORCHESTRATOR),
        Duration.ofHours(1)));
  }

  /** A TLS 1.3 context presenting {@code identity} and trusting this authority. */
  SSLContext context(Identity identity) {
    try {
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      keyStore.load(null, null);
      keyStore.setKeyEntry("me", identity.keys().getPrivate(), PASSWORD, new X509Certificate[] {identity.certificate()});
      KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keyStore, PASSWORD);
      KeyStore trustStore = KeyStore.getInstance("PKCS12");
      trustStore.load(null, null);
      trustStore.setCertificateEntry("authority", certificate);
      TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
      trustManagers.init(trustStore);
      SSLContext context = SSLContext.getInstance(TlsNames.PROTOCOL);
      context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), RANDOM);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot make a TLS context: " + e.getMessage(), e);
    }
  }

  private static KeyPair newKeyPair() {
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

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) {
    try {
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a certificate: " + e.getMessage(), e);
    }
  }
}
