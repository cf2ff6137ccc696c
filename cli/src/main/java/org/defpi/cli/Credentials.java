package org.defpi.cli;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * What {@code login} stores: the orchestrator's URL and the HTTP Basic credentials the API takes
 * today. {@link #toString()} hides the password.
 */
record Credentials(URI url, String user, String password) {
  Credentials {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
      throw new IllegalArgumentException("the URL must be http:// or https://, not '" + url + "'");
    }
    if (user.isEmpty() || user.contains(":")) {
      throw new IllegalArgumentException("the user name must be non-empty and without ':', not '" + user + "'");
    }
  }

  String authorization() {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Credentials[url=" + url + ", user=" + user + ", password=██]";
  }
}
