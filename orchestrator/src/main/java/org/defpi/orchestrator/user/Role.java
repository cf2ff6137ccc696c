package org.defpi.orchestrator.user;

import java.util.Locale;
import java.util.Optional;

/** What a user may do: an admin sees and manages every environment, a user only their own. */
public enum Role {
  ADMIN, USER;

  /** The word the API uses: {@code admin} or {@code user}. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> parse(String text) {
    for (Role r : values()) {
      if (r.apiName().equals(text)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
