package org.defpi.orchestrator.user;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Someone who logs in and owns an environment: processes, connections, private nodes. Never holds
 * the password or its hash; those stay in the {@link UserStore}.
 */
public record User(String id, String name, Role role, Optional<String> email, Instant createdAt) {
  public User {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }

  /** Whether this user may see something owned by {@code ownerId}: their own, or anything for an admin. */
  public boolean canSee(String ownerId) {
    return isAdmin() || id.equals(ownerId);
  }

  public User withRole(Role newRole) {
    return new User(id, name, newRole, email, createdAt);
  }

  public User withEmail(Optional<String> newEmail) {
    return new User(id, name, role, newEmail, createdAt);
  }
}
