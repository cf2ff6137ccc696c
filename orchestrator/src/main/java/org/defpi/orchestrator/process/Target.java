package org.defpi.orchestrator.process;

import java.util.Objects;

/**
 * Where a process may run, as its creator asked: one of its user's private nodes, any node of a
 * pool of public nodes, or (neither named) any public node. Unidentified nodes never run processes.
 */
public sealed interface Target {
  /** Any public node, whatever its pool: what a process gets when its creator names no place. */
  record AnyPublicNode() implements Target {}

  /** Any public node of this pool; Swarm may move the process within the pool when a node fails. */
  record Pool(String poolId) implements Target {
    public Pool {
      Objects.requireNonNull(poolId, "poolId");
    }
  }

  /** This one private node of the process's user; the process waits while the node is down. */
  record PrivateNode(String nodeId) implements Target {
    public PrivateNode {
      Objects.requireNonNull(nodeId, "nodeId");
    }
  }

  Target ANY_PUBLIC_NODE = new AnyPublicNode();

  /**
   * Whether the two may ever share a node: a published host port of one then blocks the other. A
   * pool shares its nodes with "any public node"; a private node only with itself.
   */
  static boolean overlap(Target a, Target b) {
    return switch (a) {
      case PrivateNode n -> b instanceof PrivateNode m && m.nodeId().equals(n.nodeId());
      case Pool p -> b instanceof AnyPublicNode || b instanceof Pool q && q.poolId().equals(p.poolId());
      case AnyPublicNode any -> !(b instanceof PrivateNode);
    };
  }
}
