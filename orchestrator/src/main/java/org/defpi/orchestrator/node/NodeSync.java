package org.defpi.orchestrator.node;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.defpi.orchestrator.node.SwarmNodes.SwarmNode;

/**
 * Decides how the stored nodes follow the Swarm's: a pure function, the manager does the writes.
 * Idempotent: applying its changes and reconciling again with the same {@code now} yields none.
 *
 * <ul>
 *   <li>a node the Swarm lists and the store does not: {@link Added}, UNIDENTIFIED;
 *   <li>a node both know: {@link Updated} when hostname, architecture, status or capacity changed, or
 *       when it was last seen before {@code now} (a MISSING node that returns gets the Swarm's status back);
 *   <li>a node the Swarm lists whose placement labels ({@link #labels}) are not what its kind, pool and
 *       owner say: {@link Relabeled} (a label write that failed, a node that returns, a new store);
 *   <li>a stored node the Swarm no longer lists: {@link Missing}, its kind, pool and owner kept,
 *       lastSeen unchanged (it says when the node was last there); nothing if it is MISSING already.
 * </ul>
 */
public final class NodeSync {
  private NodeSync() {}

  /** One write the manager is to make. */
  public sealed interface Change {
    Node node();
  }

  /** Insert this new node. */
  public record Added(Node node) implements Change {}

  /** Write what the Swarm reports about this known node. */
  public record Updated(Node node) implements Change {}

  /** Mark this node MISSING. */
  public record Missing(Node node) implements Change {}

  /** Put these placement labels on this node in the Swarm (nothing to store). */
  public record Relabeled(Node node, Map<String, String> labels) implements Change {
    public Relabeled {
      labels = Map.copyOf(labels);
    }
  }

  /** The changes, in the Swarm's order for present nodes, then the store's for vanished ones. */
  public static List<Change> reconcile(List<Node> stored, List<SwarmNode> swarm, Instant now) {
    Objects.requireNonNull(now, "now");
    Map<String, Node> known = new LinkedHashMap<>();
    stored.forEach(n -> known.put(n.id(), n));
    List<Change> changes = new ArrayList<>();
    Map<String, SwarmNode> present = new LinkedHashMap<>();
    swarm.forEach(s -> present.put(s.id(), s));
    for (SwarmNode s : present.values()) {
      String arch = architecture(s.architecture());
      NodeStatus status = status(s.state());
      Node before = known.get(s.id());
      Node after;
      if (before == null) {
        after = Node.discovered(s.id(), s.hostname(), arch, status, now, s.capacity());
        changes.add(new Added(after));
      } else {
        after = before.withObserved(s.hostname(), arch, status, before.lastSeen().isBefore(now) ? now : before.lastSeen(),
            s.capacity());
        if (!after.equals(before)) {
          changes.add(new Updated(after));
        }
      }
      Map<String, String> labels = labels(after);
      if (!labels.equals(s.labels())) {
        changes.add(new Relabeled(after, labels));
      }
    }
    for (Node n : known.values()) {
      if (!present.containsKey(n.id()) && n.status() != NodeStatus.MISSING) {
        changes.add(new Missing(n.withStatus(NodeStatus.MISSING)));
      }
    }
    return changes;
  }

  /**
   * The placement labels a node carries in the Swarm, by short name: a public node its kind and
   * pool, a private node its kind and user, an unidentified node none. Process constraints are
   * written against these ({@code process.PlacementCheck}), so Swarm keeps to the admin's decisions.
   */
  public static Map<String, String> labels(Node node) {
    return switch (node.kind()) {
      case UNIDENTIFIED -> Map.of();
      case PUBLIC -> Map.of(SwarmNodes.KIND_LABEL, "public", SwarmNodes.POOL_LABEL, node.poolId().orElseThrow());
      case PRIVATE -> Map.of(SwarmNodes.KIND_LABEL, "private", SwarmNodes.USER_LABEL, node.ownerUserId().orElseThrow());
    };
  }

  /** Swarm's (uname-style) platform architecture as amd64, arm64 or arm; anything else in lower case as is. */
  public static String architecture(String swarm) {
    String a = swarm == null ? "" : swarm.strip().toLowerCase(Locale.ROOT);
    return switch (a) {
      case "x86_64", "x86-64", "amd64", "x64" -> "amd64";
      case "aarch64", "arm64", "armv8", "armv8l" -> "arm64";
      case "arm", "armhf", "armel", "armv5l", "armv6l", "armv7l", "armv7" -> "arm";
      case "" -> "unknown";
      default -> a;
    };
  }

  /** Swarm's node state: ready, down, unknown, disconnected (taken as DOWN). */
  public static NodeStatus status(String swarm) {
    String s = swarm == null ? "" : swarm.strip().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "ready" -> NodeStatus.READY;
      case "down", "disconnected" -> NodeStatus.DOWN;
      default -> NodeStatus.UNKNOWN;
    };
  }
}
