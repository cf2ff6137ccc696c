package org.defpi.orchestrator.process;

import java.util.List;
import java.util.Optional;
import org.defpi.orchestrator.node.Node;
import org.defpi.orchestrator.node.NodeKind;
import org.defpi.orchestrator.node.NodeStatus;

/**
 * Why a process that Swarm has no node for waits, in words for its user (the {@code reason} of a
 * STARTING process): a pure function of where it may run and the nodes as last synced.
 */
public final class Waiting {
  private Waiting() {}

  public static String reason(Target target, List<Node> nodes) {
    return switch (target) {
      case Target.PrivateNode n -> nodes.stream().filter(x -> x.id().equals(n.nodeId())).findFirst()
          .map(x -> x.status() == NodeStatus.READY
              ? "waiting for its node " + x.describe() + ", which is ready: Swarm is placing it"
              : "waiting for its node " + x.describe() + ", which is " + words(x.status()))
          .orElse("waiting for its node " + n.nodeId() + ", which has left the Swarm");
      case Target.Pool p -> pool(nodes.stream().filter(x -> x.kind() == NodeKind.PUBLIC
          && x.poolId().equals(Optional.of(p.poolId()))).toList(), "a node of its pool " + p.poolId());
      case Target.AnyPublicNode any -> pool(nodes.stream().filter(x -> x.kind() == NodeKind.PUBLIC).toList(),
          "a public node");
    };
  }

  private static String pool(List<Node> candidates, String what) {
    long ready = candidates.stream().filter(x -> x.status() == NodeStatus.READY).count();
    if (candidates.isEmpty()) {
      return "waiting for " + what + ": there is none";
    }
    if (ready == 0) {
      return "waiting for " + what + ": all " + candidates.size() + " are down";
    }
    return "waiting for " + what + ": Swarm is placing it on one of " + ready + " ready";
  }

  private static String words(NodeStatus status) {
    return switch (status) {
      case READY -> "ready";
      case DOWN -> "down";
      case UNKNOWN -> "in an unknown state";
      case MISSING -> "no longer in the Swarm";
    };
  }
}
