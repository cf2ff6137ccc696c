package org.defpi.orchestrator.node;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the node manager needs from Docker Swarm: its nodes and our labels on them (implemented by
 * the {@code swarm} connector; the process manager's {@code process.Swarm} extends it).
 */
public interface SwarmNodes {
  /** Every node of the Swarm, as the engine reports it (used by the node manager's sync). */
  List<SwarmNode> nodes() throws SwarmException;

  /**
   * Sets this orchestrator's placement labels on a node, by short name ({@link #KIND_LABEL},
   * {@link #POOL_LABEL}, {@link #USER_LABEL}): those named are set, the others of ours removed;
   * anyone else's labels are kept. The connector decides the label keys, so that two orchestrators
   * (or a test next to a deployed one) on one Swarm never overwrite each other's.
   */
  void labelNode(String nodeId, Map<String, String> labels) throws SwarmException;

  /** A node's kind as an admin made it: {@code public} or {@code private} (absent on an unidentified node). */
  String KIND_LABEL = "kind";
  /** The pool of a public node. */
  String POOL_LABEL = "pool";
  /** The user of a private node. */
  String USER_LABEL = "user";

  /**
   * One Swarm node in the engine's own words.
   *
   * @param architecture the platform's architecture as reported ({@code x86_64}, {@code aarch64}, ...)
   * @param state the node's state ({@code ready}, {@code down}, {@code unknown}, {@code disconnected})
   * @param capacity the node's memory and CPUs
   * @param labels this orchestrator's placement labels on it, by short name (see {@link #labelNode})
   */
  record SwarmNode(String id, String hostname, String architecture, String state, Resources capacity,
      Map<String, String> labels) {
    public SwarmNode {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(hostname, "hostname");
      Objects.requireNonNull(architecture, "architecture");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(capacity, "capacity");
      labels = Map.copyOf(labels);
    }
  }

  /** Docker refused or could not be reached. */
  final class SwarmException extends Exception {
    public SwarmException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
