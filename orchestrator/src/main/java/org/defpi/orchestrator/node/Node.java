package org.defpi.orchestrator.node;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.defpi.orchestrator.node.Resources;

/**
 * A Swarm node as the orchestrator knows it: what the Swarm last reported (hostname, architecture,
 * status) and what an admin decided (kind, pool, owner). Invariant: a PUBLIC node has a pool and no
 * owner, a PRIVATE node an owner and no pool, an UNIDENTIFIED node neither.
 *
 * @param id the Swarm node id
 * @param architecture normalised by {@link NodeSync#architecture}: amd64, arm64 or arm (else Swarm's own word)
 * @param lastSeen when a sync last found the node in the Swarm
 * @param capacity its memory and CPUs as the Swarm reports them ({@link Resources#NONE} until it has)
 */
public record Node(String id, String hostname, String architecture, NodeStatus status, NodeKind kind,
    Optional<String> poolId, Optional<String> ownerUserId, Instant lastSeen, Resources capacity) {
  public Node {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(poolId, "poolId");
    Objects.requireNonNull(ownerUserId, "ownerUserId");
    Objects.requireNonNull(lastSeen, "lastSeen");
    Objects.requireNonNull(capacity, "capacity");
    boolean valid = switch (kind) {
      case UNIDENTIFIED -> poolId.isEmpty() && ownerUserId.isEmpty();
      case PUBLIC -> poolId.isPresent() && ownerUserId.isEmpty();
      case PRIVATE -> poolId.isEmpty() && ownerUserId.isPresent();
    };
    if (!valid) {
      throw new IllegalArgumentException("node " + id + " is " + kind + " with pool " + poolId + " and owner "
          + ownerUserId + ": a public node has a pool only, a private one an owner only, an unidentified one neither");
    }
  }

  /** A node the Swarm just reported for the first time: unidentified. */
  public static Node discovered(String id, String hostname, String architecture, NodeStatus status, Instant now,
      Resources capacity) {
    return new Node(id, hostname, architecture, status, NodeKind.UNIDENTIFIED, Optional.empty(), Optional.empty(), now,
        capacity);
  }

  /** This node with what the Swarm reports now (the admin's decisions kept). */
  public Node withObserved(String hostname, String architecture, NodeStatus status, Instant lastSeen,
      Resources capacity) {
    return new Node(id, hostname, architecture, status, kind, poolId, ownerUserId, lastSeen, capacity);
  }

  /** This node with another status, everything else kept. */
  public Node withStatus(NodeStatus status) {
    return new Node(id, hostname, architecture, status, kind, poolId, ownerUserId, lastSeen, capacity);
  }

  /** This node made unidentified, public in a pool or private to a user. */
  public Node withAssignment(NodeKind kind, Optional<String> poolId, Optional<String> ownerUserId) {
    return new Node(id, hostname, architecture, status, kind, poolId, ownerUserId, lastSeen, capacity);
  }

  /** "host (id)", or the id alone when the Swarm reported no hostname: how reasons name a node. */
  public String describe() {
    return hostname.isEmpty() ? id : hostname + " (" + id + ")";
  }
}
