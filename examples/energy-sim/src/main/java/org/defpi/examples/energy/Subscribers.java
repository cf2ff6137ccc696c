package org.defpi.examples.energy;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.defpi.sdk.Connection;
import org.defpi.sdk.ConnectionState;
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
   * Sends {@code message} on every connection. A terminated connection is dropped; one whose
   * buffer is full (its peer away for long) misses this message and gets the next ones once it is
   * back: observations are a stream of the present, not a log to replay.
   */
  public void send(Object message) {
    for (Connection connection : connections) {
      try {
        connection.send(message);
      } catch (IllegalStateException e) {
        if (connection.state() == ConnectionState.TERMINATED) {
          connections.remove(connection);
        } else {
          LOG.debug("{} to {} missed a message: {}", connection.connectionId(), connection.remoteProcessId(), e.getMessage());
        }
      }
    }
  }

  public boolean isEmpty() {
    return connections.isEmpty();
  }
}
