package org.defpi.orchestrator.connection;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A data connection between two process interfaces (WIRE.md section 7). Both ends use the same
 * {@code listenPort}; the end with the larger process id is the client.
 *
 * @param suspended paused while one of its processes moves (SUSPEND sent); cleared when it is
 *     resumed
 */
public record Connection(String id, Endpoint endpoint1, Endpoint endpoint2, int listenPort, Instant createdAt,
    boolean suspended) {
  public Connection {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(endpoint1, "endpoint1");
    Objects.requireNonNull(endpoint2, "endpoint2");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** A connection that is not suspended (every new one). */
  public Connection(String id, Endpoint endpoint1, Endpoint endpoint2, int listenPort, Instant createdAt) {
    this(id, endpoint1, endpoint2, listenPort, createdAt, false);
  }

  /** SUSPENDED while paused on purpose, whatever its ends said before; else derived from its ends. */
  public ConnectionState state() {
    if (suspended) {
      return ConnectionState.SUSPENDED;
    }
    if (endpoint1.failure().isPresent() || endpoint2.failure().isPresent()) {
      return ConnectionState.FAILED;
    }
    return endpoint1.created() && endpoint2.created() ? ConnectionState.ACTIVE : ConnectionState.STARTING;
  }

  /** Why it is FAILED, naming the end(s); empty in any other state. */
  public Optional<String> reason() {
    if (state() != ConnectionState.FAILED) {
      return Optional.empty();
    }
    String joined = Stream.of(endpoint1, endpoint2)
        .flatMap(e -> e.failure().stream())
        .collect(Collectors.joining("; "));
    return joined.isEmpty() ? Optional.empty() : Optional.of(joined);
  }

  /**
   * Whether the orchestrator last told both ends {@code tls = true} (and both answered): the
   * connection runs in TLS 1.3 with both ends authenticated (docs/wire-additions.md, "TLS").
   */
  public boolean encrypted() {
    return endpoint1.tls() && endpoint2.tls();
  }

  /** 1 or 2: which end belongs to {@code processId}. */
  public int sideOf(String processId) {
    if (endpoint1.processId().equals(processId)) {
      return 1;
    }
    if (endpoint2.processId().equals(processId)) {
      return 2;
    }
    throw new IllegalArgumentException("process " + processId + " is not an end of connection " + id);
  }

  public Endpoint endpoint(int side) {
    return switch (side) {
      case 1 -> endpoint1;
      case 2 -> endpoint2;
      default -> throw new IllegalArgumentException("side must be 1 or 2: " + side);
    };
  }

  public Connection withSuspended(boolean newSuspended) {
    return new Connection(id, endpoint1, endpoint2, listenPort, createdAt, newSuspended);
  }

  public boolean touches(String processId) {
    return endpoint1.processId().equals(processId) || endpoint2.processId().equals(processId);
  }

  public Connection withEndpoint(int side, Endpoint endpoint) {
    return switch (side) {
      case 1 -> new Connection(id, endpoint, endpoint2, listenPort, createdAt, suspended);
      case 2 -> new Connection(id, endpoint1, endpoint, listenPort, createdAt, suspended);
      default -> throw new IllegalArgumentException("side must be 1 or 2: " + side);
    };
  }
}
