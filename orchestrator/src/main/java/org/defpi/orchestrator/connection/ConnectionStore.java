package org.defpi.orchestrator.connection;

import java.util.List;
import java.util.Optional;

/** Where connection records live (implemented by the {@code store} connector). */
public interface ConnectionStore {
  void insert(Connection connection);

  Optional<Connection> findConnection(String id);

  /** All connections, oldest first. */
  List<Connection> listConnections();

  /** The connections with an end at this process, oldest first. */
  List<Connection> connectionsOf(String processId);

  /**
   * Records the outcome of a CREATE (or RESUME) to one end, with whether what it was told said
   * {@code tls = true} (false for an end not told); false when the connection no longer exists.
   */
  boolean updateEndpoint(String connectionId, int side, boolean created, boolean tls, Optional<String> failure);

  /** Marks the connection suspended or not; false when the connection no longer exists. */
  boolean updateSuspended(String connectionId, boolean suspended);

  /** False when it did not exist. */
  boolean deleteConnection(String id);
}
