package org.defpi.orchestrator.process;

import java.util.Objects;

/**
 * A mount into a process's container. A volume is a Docker named volume of the process's user: its
 * {@code source} is the user's name for it, and the volume Docker knows is {@link #volumeName} (so two
 * users can never share one). A bind mount is a path of the host, for admins only.
 *
 * <p>Named volumes are local to a node: a process that Swarm moves to another node of its pool finds
 * a new, empty volume there.
 */
public record Mount(Type type, String source, String target, boolean readOnly) {
  public enum Type { VOLUME, BIND }

  public Mount {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
  }

  /**
   * The Docker volume a user's volume {@code name} is: {@code defpi-<userId>-<name>}. User ids are
   * hex (no '-'), so the first '-' after the prefix ends the user id and names cannot collide.
   */
  public static String volumeName(String userId, String name) {
    return "defpi-" + userId + "-" + name;
  }

  /** This mount as Docker is to make it for a process of {@code userId}: a volume by its Docker name. */
  public Mount forUser(String userId) {
    return type == Type.VOLUME ? new Mount(type, volumeName(userId, source), target, readOnly) : this;
  }
}
