package org.defpi.orchestrator.process;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/** A process's secret for the trigger call. Never printed: {@link #toString()} hides it. */
public record Token(String value) {
  public Token {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("a token cannot be empty");
    }
  }

  /** Constant-time comparison with a presented token. */
  public boolean matches(String presented) {
    return presented != null && MessageDigest.isEqual(
        value.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Token[redacted]";
  }
}
