package org.defpi.orchestrator.node;

import java.util.Locale;
import java.util.Optional;

/** What an admin made of a node: nothing yet, public (in a node pool) or private (for one user). */
public enum NodeKind {
  UNIDENTIFIED, PUBLIC, PRIVATE;

  /** The API's name: lower case. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind of this API name (any case); empty for anything else. */
  public static Optional<NodeKind> parse(String name) {
    for (NodeKind k : values()) {
      if (k.name().equalsIgnoreCase(name)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
