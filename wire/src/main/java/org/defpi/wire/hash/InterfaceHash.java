package org.defpi.wire.hash;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.List;

/**
 * The interface hashes of WIRE.md section 2. Two processes may only be connected when one side's
 * {@code sendsHash} equals the other's {@code receivesHash} and vice versa.
 *
 * <p>Hex rendering is that of {@code String.format("%x", new BigInteger(1, digest))}: the digest is
 * read as a positive number, so leading zero digits are dropped and a hash may have fewer than 64
 * digits. This is deliberate: it is what dEF-Pi wrote into image labels.
 */
public final class InterfaceHash {
  private InterfaceHash() {}

  /** SHA-256 over the exact bytes of a .proto or .xsd file. */
  public static String fileHash(byte[] interfaceFile) {
    return hex(sha256(interfaceFile));
  }

  /**
   * Hash of a message set (a {@code sends} or {@code receives} list) of an interface file. The
   * set is sorted in Java's natural String order first, so the order in service.json is
   * irrelevant.
   */
  public static String messageSetHash(String fileHash, Collection<String> messageTypes) {
    List<String> sorted = messageTypes.stream().sorted().toList();
    String base = sorted.isEmpty() ? fileHash : fileHash + ";" + String.join(";", sorted);
    return hex(sha256(base.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static String hex(byte[] digest) {
    return new BigInteger(1, digest).toString(16);
  }
}
