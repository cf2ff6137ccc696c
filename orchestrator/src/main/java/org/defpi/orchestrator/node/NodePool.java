package org.defpi.orchestrator.node;

import java.util.Objects;

/** A named group of public nodes. */
public record NodePool(String id, String name) {
  public NodePool {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a node pool's name must not be blank");
    }
  }

  public NodePool withName(String name) {
    return new NodePool(id, name);
  }
}
