package org.defpi.orchestrator;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Makes the ids and secrets of processes and connections.
 *
 * <p>An id is 24 lower-case hex digits like dEF-Pi's (MongoDB) ObjectIds: 4 bytes of seconds since
 * the epoch, so ids sort by creation time, then 8 random bytes. Being lower-case hex that starts
 * with a digit or a letter, an id is also a valid DNS label: it is the process's host name.
 */
public final class Ids {
  private static final HexFormat HEX = HexFormat.of();
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final Clock clock;
  private final RandomGenerator random;

  public Ids(Clock clock, RandomGenerator random) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  public static Ids secure(Clock clock) {
    return new Ids(clock, new SecureRandom());
  }

  /** A fresh 24-hex-digit id. */
  public String newId() {
    byte[] bytes = new byte[12];
    long seconds = clock.instant().getEpochSecond();
    bytes[0] = (byte) (seconds >>> 24);
    bytes[1] = (byte) (seconds >>> 16);
    bytes[2] = (byte) (seconds >>> 8);
    bytes[3] = (byte) seconds;
    byte[] rest = new byte[8];
    random.nextBytes(rest);
    System.arraycopy(rest, 0, bytes, 4, 8);
    return HEX.formatHex(bytes);
  }

  /** A fresh secret: 32 random bytes, base64url without padding (43 characters). */
  public String newToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return BASE64URL.encodeToString(bytes);
  }

  /** True for strings shaped like the ids this class makes. */
  public static boolean isId(String s) {
    return s != null && s.length() == 24 && s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }
}
