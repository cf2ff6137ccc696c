package org.defpi.orchestrator.user;

import java.util.Objects;

/** Someone who owns processes. For now there is one: the admin. */
public record User(String id, String name, String email) {
  public User {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(email, "email");
  }
}
