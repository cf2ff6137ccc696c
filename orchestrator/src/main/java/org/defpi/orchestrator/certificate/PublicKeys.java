package org.defpi.orchestrator.certificate;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.defpi.orchestrator.Refusal;

/**
 * Reads the public key a process sends for its certificate: base64 of a DER X.509
 * SubjectPublicKeyInfo, which must be an EC key on the named curve P-256 (secp256r1) whose point
 * lies on the curve. Anything else is refused with a reason the process's author can act on.
 */
public final class PublicKeys {
  /** A DER P-256 SubjectPublicKeyInfo is 91 bytes; this leaves room and bounds the work on junk. */
  static final int MAX_DER_BYTES = 1024;

  private PublicKeys() {}

  /** The EC P-256 public key in {@code base64}, or a refusal naming the field {@code field}. */
  public static PublicKey ecP256(String base64, String field) throws Refusal.BadRequest {
    String expected = "field '" + field + "' must be an EC P-256 public key (base64 of its DER X.509"
        + " SubjectPublicKeyInfo)";
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new Refusal.BadRequest(expected + "; it is not base64: " + e.getMessage());
    }
    if (der.length == 0 || der.length > MAX_DER_BYTES) {
      throw new Refusal.BadRequest(expected + "; it holds " + der.length + " bytes");
    }
    SubjectPublicKeyInfo info;
    try {
      info = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
    } catch (IOException | IllegalArgumentException | ClassCastException e) {
      throw new Refusal.BadRequest(expected + "; it is not a DER SubjectPublicKeyInfo");
    }
    AlgorithmIdentifier algorithm = info.getAlgorithm();
    if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())) {
      throw new Refusal.BadRequest(expected + "; its algorithm is " + algorithm.getAlgorithm().getId()
          + ", not id-ecPublicKey (1.2.840.10045.2.1)");
    }
    if (!(algorithm.getParameters() instanceof ASN1ObjectIdentifier curve)
        || !X9ObjectIdentifiers.prime256v1.equals(curve)) {
      throw new Refusal.BadRequest(expected + "; its curve is "
          + (algorithm.getParameters() instanceof ASN1ObjectIdentifier other ? other.getId() : "not a named curve")
          + ", not P-256 (1.2.840.10045.3.1.7)");
    }
    try {
      PublicKeyFactory.createKey(info); // checks that the point is on the curve
    } catch (IOException | IllegalArgumentException e) {
      throw new Refusal.BadRequest(expected + "; its point is not on the curve");
    }
    try {
      // As the JDK reads it: the peers' TLS reads the certificate's key the same way.
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new Refusal.BadRequest(expected + "; the JDK cannot read it (" + e.getMessage()
          + "; send the uncompressed point)");
    }
  }
}
