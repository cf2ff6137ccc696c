package org.defpi.orchestrator.node;

import java.util.List;
import java.util.Optional;

/**
 * Where the node manager keeps nodes and pools (implemented by the {@code store} connector). What
 * the Swarm reports and what an admin decides are written by separate methods touching separate
 * columns, so a sync and an admin's change never overwrite each other.
 */
public interface NodeStore {
  List<Node> listNodes();

  Optional<Node> findNode(String id);

  void insertNode(Node node);

  /** Writes hostname, architecture, status, lastSeen and capacity only; false if there is no such node. */
  boolean updateObserved(Node node);

  /** Writes kind, pool and owner only; false if there is no such node. */
  boolean updateAssignment(Node node);

  List<NodePool> listPools();

  Optional<NodePool> findPool(String id);

  /** False if another pool has that name already. */
  boolean insertPool(NodePool pool);

  /** False if another pool has that name already (or no pool has that id). */
  boolean updatePool(NodePool pool);

  /** What deleting a pool did; IN_USE when a node joined it after the manager checked. */
  enum PoolDeletion { DELETED, NOT_FOUND, IN_USE }

  PoolDeletion deletePool(String id);
}
