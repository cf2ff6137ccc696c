package org.defpi.examples.energy;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.defpi.sdk.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connections a service sends its observations to. */
public final class Subscribers {
  private static final Logger LOG = LoggerFactory.getLogger(Subscribers.class);

  private final Set<Connection> connections = new CopyOnWriteArraySet<>();

  public void add(Connection connection) {
    connections.add(connection);
  }

  public void remove(Connection connection) {
    connections.remove(connection);
  }

  /**
   * Sends {@code message} on every connection. A connection that refuses it (terminated, or its
   * buffer full because the peer is away too long) is dropped: it gets the next connect's
   * greeting if it comes back.
   */
  public void send(Object message) {
    for (Connection connection : connections) {
      try {
        connection.send(message);
      } catch (IllegalStateException e) {
        LOG.warn("dropping connection {} to {}: {}", connection.connectionId(), connection.remoteProcessId(), e.getMessage());
        connections.remove(connection);
      }
    }
  }

  public boolean isEmpty() {
    return connections.isEmpty();
  }
}
