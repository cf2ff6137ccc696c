package org.defpi.wire.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class InterfaceHashTest {
  // Vectors of WIRE.md section 2: from the original build tools' tests and from labels of images
  // they built.
  static Stream<Arguments> vectors() {
    return Stream.of(
        Arguments.of("e00da70ae21e257e79e23df20461e28edb5c6e4c16f6675b8dc4c40e574ebc06", List.of("HTTPResponse"),
            "aafa92f5e8c919cc004f017d0c7706bf5e72594e656cf04cd67dd47b97cf7c6c"),
        Arguments.of("e00da70ae21e257e79e23df20461e28edb5c6e4c16f6675b8dc4c40e574ebc06", List.of("HTTPRequest"),
            "c46d5961b42774f80194e8308e4a1bec450881925f8d20a08a1f764acf22ed24"),
        Arguments.of("416c4e6600e5873635175ca88bce04faa41e132988e993f33b1620c5e6f1965f", List.of("WidgetInfo", "WidgetHTTPResponse"),
            "27e05e9b85daa7c1bc832b1d434c7b7fb0c2a582f2c1a8b3fa1895161569af2d"),
        Arguments.of("416c4e6600e5873635175ca88bce04faa41e132988e993f33b1620c5e6f1965f", List.of("WidgetHTTPRequest"),
            "155b95a5ed13317736ce8f54bd03d8476689928cdd4fb9e4e731daba453cecbd"),
        Arguments.of("dba6a1dcb5e42c07d3f3cf4fc5dee9c28b6560514a133626e606910713408258", List.of("Observation"),
            "7e47e127724e6fb167f9770fafb13e25f7e3cff1e2f444795e0548b19610b93"),
        Arguments.of("dba6a1dcb5e42c07d3f3cf4fc5dee9c28b6560514a133626e606910713408258", List.of(),
            "fc2e6cb9984c76e3c7c8a036dd2fd4d466a2ef47351d7f4f435b5c106505d28b"));
  }

  @ParameterizedTest(name = "{1} -> {2}")
  @MethodSource("vectors")
  void messageSetHashMatchesTheOriginalTools(String fileHash, List<String> messages, String expected) {
    assertThat(InterfaceHash.messageSetHash(fileHash, messages)).isEqualTo(expected);
  }

  @Test
  void leadingZeroDigitsAreDropped() {
    // This vector's digest starts with a zero nibble: dEF-Pi renders it with 63 digits.
    String hash = InterfaceHash.messageSetHash(
        "dba6a1dcb5e42c07d3f3cf4fc5dee9c28b6560514a133626e606910713408258", List.of("Observation"));
    assertThat(hash).hasSize(63).doesNotStartWith("0");
  }

  @Test
  void messageOrderDoesNotMatter() {
    String file = InterfaceHash.fileHash("syntax = \"proto2\";".getBytes(StandardCharsets.UTF_8));
    assertThat(InterfaceHash.messageSetHash(file, List.of("B", "A", "C")))
        .isEqualTo(InterfaceHash.messageSetHash(file, List.of("C", "B", "A")));
  }

  @Test
  void naturalOrderIsCaseSensitive() {
    // Java's natural String order puts upper case before lower case: "Zeta" sorts before "alpha".
    String file = "abc";
    assertThat(InterfaceHash.messageSetHash(file, List.of("alpha", "Zeta")))
        .isEqualTo(InterfaceHash.messageSetHash(file, List.of("Zeta", "alpha")));
    assertThat(InterfaceHash.messageSetHash(file, List.of("alpha", "Zeta")))
        .isEqualTo(new InterfaceVersionHashesFixture().sha256Hex("abc;Zeta;alpha"));
  }

  @Test
  void fileHashIsSha256OfTheExactBytes() {
    assertThat(InterfaceHash.fileHash("abc".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void compatibilityNeedsBothDirectionsToMatch() {
    var sender = new InterfaceVersionHashes("s", "r");
    assertThat(sender.isCompatibleWith(new InterfaceVersionHashes("r", "s"))).isTrue();
    assertThat(sender.isCompatibleWith(new InterfaceVersionHashes("s", "r"))).isFalse();
    assertThat(sender.isCompatibleWith(new InterfaceVersionHashes("r", "x"))).isFalse();
  }

  private static final class InterfaceVersionHashesFixture {
    String sha256Hex(String s) {
      try {
        byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        return new java.math.BigInteger(1, d).toString(16);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new AssertionError(e);
      }
    }
  }
}
