package org.defpi.orchestrator.api;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The id of each API request ({@code X-Request-Id}): the caller's own when it is sane, so a
 * proxy's or client's id follows the request into our log, else a new one. Sane is short and made
 * of characters that cannot break a log line or a header: a caller cannot forge log lines with it.
 */
final class RequestIds {
  static final String HEADER = "X-Request-Id";
  static final int MAX_LENGTH = 128;
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private RequestIds() {}

  /** The caller's id if it is 1 to {@value #MAX_LENGTH} letters, digits or {@code ._:-}. */
  static Optional<String> accept(String header) {
    return header != null && SANE.matcher(header).matches() ? Optional.of(header) : Optional.empty();
  }

  /** A new id: 16 random bytes in hex. */
  static String generate() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
