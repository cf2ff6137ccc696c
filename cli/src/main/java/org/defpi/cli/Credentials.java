package org.defpi.cli;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code login} stores: the orchestrator's URL, the user's name, and the bearer token POST /login
 * answered with, with its expiry as the API wrote it ({@code null} when the answer had none). Never a
 * password. {@link #toString()} hides the token.
 */
record Credentials(URI url, String user, String token, String expiresAt) {
  Credentials {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(token, "token");
    checkUrl(url);
    checkUser(user);
    if (token.isBlank() || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      throw new IllegalArgumentException("the token must be non-empty printable ASCII without blanks");
    }
  }

  static void checkUrl(URI url) {
    if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
      throw new IllegalArgumentException("the URL must be http:// or https://, not '" + url + "'");
    }
  }

  static void checkUser(String user) {
    if (user.isEmpty() || user.contains(":")) {
      throw new IllegalArgumentException("the user name must be non-empty and without ':', not '" + user + "'");
    }
  }

  String authorization() {
    return "Bearer " + token;
  }

  /** The expiry as an instant, when the API gave one this CLI can read. */
  Optional<Instant> expiry() {
    if (expiresAt == null || expiresAt.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(expiresAt).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** What to type to get a fresh token for the same user and orchestrator. */
  String loginHint() {
    return "run 'defpi login --url " + url + " --user " + user + "' again";
  }

  @Override
  public String toString() {
    return "Credentials[url=" + url + ", user=" + user + ", token=██, expiresAt=" + expiresAt + "]";
  }
}
