package org.defpi.sdk.internal;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.defpi.sdk.InterfaceVersion;
import org.defpi.wire.protocol.ConnectionProto.ConnectionHandshake;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage;
import org.defpi.wire.protocol.ConnectionProto.ConnectionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data connections of this process, driven by the orchestrator's {@code ConnectionMessage}s.
 * Only the {@link ProcessController} calls it, one request at a time.
 *
 * <p>Replies follow dEF-Pi's runtime: CREATE of a new id answers STARTING (the sockets come up
 * afterwards), CREATE of a known id and RESUME answer CONNECTED, SUSPEND answers SUSPENDED,
 * TERMINATE answers TERMINATED (also for an unknown id, so it can be repeated).
 *
 * <p>A CREATE or RESUME with {@code tls} (docs/wire-additions.md, "TLS", 4) makes the connection
 * run in TLS, its peer checked against {@code remoteProcessId} and this process's user. A process
 * that holds no certificate (its orchestrator answered the certificate request 404/405, or stopped
 * issuing) refuses it with an ErrorMessage saying so: it never falls back to plain on its own.
 */
final class ConnectionRegistry {
  private static final Logger log = LoggerFactory.getLogger(ConnectionRegistry.class);

  private final List<InterfaceVersion> versions;
  private final DataConnection.Settings settings;
  private final Duration handlerTimeout;
  private final TlsIdentity identity;
  /** Written by the controller alone; concurrent (sorted by id) so the traffic reporter may read it. */
  private final Map<String, DataConnection> connections = new ConcurrentSkipListMap<>();

  ConnectionRegistry(List<InterfaceVersion> versions, DataConnection.Settings settings, Duration handlerTimeout) {
    this(versions, settings, handlerTimeout, null);
  }

  /** @param identity this process's certificate, if it may hold one; null: plain only */
  ConnectionRegistry(List<InterfaceVersion> versions, DataConnection.Settings settings, Duration handlerTimeout,
      TlsIdentity identity) {
    this.versions = List.copyOf(versions);
    this.settings = settings;
    this.handlerTimeout = handlerTimeout;
    this.identity = identity;
  }

  ConnectionHandshake handle(ConnectionMessage message) throws ManagementException, InterruptedException {
    String id = message.getConnectionId();
    log.info("[{}] {} (target '{}', port {}{})", id, message.getMode(), message.getTargetAddress(),
        message.getListenPort(), message.getTls() ? ", tls" : "");
    return switch (message.getMode()) {
      case CREATE -> connections.containsKey(id) ? reply(id, ConnectionState.CONNECTED) : create(message);
      case SUSPEND -> reply(id, wire(known(id).suspend()));
      case RESUME -> resume(message);
      case TERMINATE -> terminate(id);
    };
  }

  private ConnectionHandshake create(ConnectionMessage message) throws ManagementException, InterruptedException {
    String id = message.getConnectionId();
    if (id.isEmpty()) {
      throw new ManagementException("ConnectionMessage CREATE has an empty connectionId");
    }
    int port = message.getListenPort();
    if (port < 1 || port > 65535) {
      throw new ManagementException("connection " + id + ": listenPort " + port + " is not a TCP port");
    }
    InterfaceVersion version = versionFor(message.getReceiveHash(), message.getSendHash(), id);
    Set<URI> tlsPeer = tlsPeer(message);
    DataConnection connection = new DataConnection(id, version, settings, message.getTargetAddress(),
        port, message.getRemoteProcessId(), message.getRemoteServiceId(), message.getRemoteInterfaceId(),
        identity, tlsPeer);
    try {
      connection.listenIfServer();
    } catch (IOException e) {
      connection.close();
      throw new ManagementException("connection " + id + ": " + e.getMessage());
    }
    try {
      connection.buildHandler(handlerTimeout);
    } catch (ExecutionException e) {
      connection.close();
      log.error("[{}] building the handler of {}/{} failed", id, version.interfaceId(), version.versionName(), e.getCause());
      throw new ManagementException("connection " + id + ": building the handler of "
          + version.interfaceId() + "/" + version.versionName() + " failed: " + ProcessController.describe(e.getCause()));
    } catch (TimeoutException e) {
      connection.close();
      throw new ManagementException("connection " + id + ": building the handler of "
          + version.interfaceId() + "/" + version.versionName() + " did not finish within "
          + ProcessController.readable(handlerTimeout));
    }
    try {
      connection.start();
    } catch (IOException e) {
      connection.terminate();
      throw new ManagementException("connection " + id + ": " + e.getMessage());
    }
    connections.put(id, connection);
    log.info("[{}] created for {}/{} {}{}", id, version.interfaceId(), version.versionName(),
        message.getTargetAddress().isEmpty() ? "listening on port " + port
            : "connecting to " + message.getTargetAddress() + ":" + port,
        tlsPeer == null ? "" : " in TLS, the peer named " + tlsPeer.stream().map(URI::toString).sorted().toList());
    // Always STARTING, as dEF-Pi answered: the sockets may already be up by now, but the reply
    // describes the CREATE, and the orchestrator gets the same answer whatever the timing.
    return reply(id, ConnectionState.STARTING);
  }

  private ConnectionHandshake resume(ConnectionMessage message) throws ManagementException, InterruptedException {
    String id = message.getConnectionId();
    DataConnection connection = connections.get(id);
    if (connection == null) {
      // A process resumed in a new container knows none of its connections yet.
      create(message);
    } else {
      try {
        connection.resume(message.getTargetAddress(), message.getListenPort(),
            tlsPeer(message, connection.remoteProcessId()));
      } catch (IOException e) {
        throw new ManagementException("connection " + id + ": " + e.getMessage());
      }
    }
    return reply(id, ConnectionState.CONNECTED);
  }

  private ConnectionHandshake terminate(String id) {
    DataConnection connection = connections.remove(id);
    if (connection != null) {
      connection.terminate();
    }
    return reply(id, ConnectionState.TERMINATED);
  }

  /**
   * The names the peer's certificate must carry when the message says {@code tls}; null for plain.
   *
   * @throws ManagementException {@code tls}, but this process holds no certificate, or the message
   *     names no remote process to check the peer against
   */
  private Set<URI> tlsPeer(ConnectionMessage message) throws ManagementException {
    return tlsPeer(message, "");
  }

  /**
   * The names the peer must carry when the message asks for TLS: its {@code remoteProcessId}, or,
   * for a RESUME that names none, the one the connection was created with (the peer is the same
   * process, moved or restarted).
   */
  private Set<URI> tlsPeer(ConnectionMessage message, String knownRemote) throws ManagementException {
    if (!message.getTls()) {
      return null;
    }
    String id = message.getConnectionId();
    if (identity == null || !identity.held()) {
      throw new ManagementException("connection " + id + ": the orchestrator asked for TLS, but this process "
          + "holds no certificate (its orchestrator issued none: the certificate request answered 404 or 405), "
          + "so it can only connect in plain TCP");
    }
    String remote = message.getRemoteProcessId().isEmpty() ? knownRemote : message.getRemoteProcessId();
    try {
      return identity.peer(remote);
    } catch (IllegalArgumentException e) {
      throw new ManagementException("connection " + id + ": TLS needs the remote process id to check the peer's "
          + "certificate against, and '" + remote + "' is none (" + e.getMessage() + ")");
    }
  }

  /** Terminates every connection and waits (bounded) for the handlers' last callbacks. */
  void terminateAll(Duration timeout) throws InterruptedException {
    List<DataConnection> all = List.copyOf(connections.values());
    connections.clear();
    all.forEach(DataConnection::terminate);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (DataConnection connection : all) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      if (!connection.awaitHandlerIdle(left)) {
        log.warn("[{}] the handler's terminated() did not finish within {}", connection.connectionId(),
            ProcessController.readable(timeout));
      }
    }
  }

  /** Each live connection's state and traffic, by id; safe from any thread. */
  List<TrafficReporter.Entry> traffic() {
    return connections.values().stream()
        .map(c -> new TrafficReporter.Entry(c.connectionId(), c.state(), c.traffic(), c.encrypted()))
        .toList();
  }

  /** Closes every connection abruptly, with no callbacks. */
  void closeAll() {
    connections.values().forEach(DataConnection::close);
    connections.clear();
  }

  private DataConnection known(String id) throws ManagementException {
    DataConnection connection = connections.get(id);
    if (connection == null) {
      throw new ManagementException("unknown connection id '" + id + "'; this process has "
          + connections.keySet());
    }
    return connection;
  }

  private InterfaceVersion versionFor(String receiveHash, String sendHash, String id) throws ManagementException {
    for (InterfaceVersion version : versions) {
      if (version.receivesHash().equals(receiveHash) && version.sendsHash().equals(sendHash)) {
        return version;
      }
    }
    String known = versions.isEmpty() ? "none" : versions.stream()
        .map(v -> v.interfaceId() + "/" + v.versionName() + " (receives " + v.receivesHash() + ", sends " + v.sendsHash() + ")")
        .collect(Collectors.joining(", "));
    throw new ManagementException("connection " + id + ": no interface version of this service receives '"
        + receiveHash + "' and sends '" + sendHash + "'; it has " + known);
  }

  private static ConnectionHandshake reply(String id, ConnectionState state) {
    return ConnectionHandshake.newBuilder().setConnectionId(id).setConnectionState(state).build();
  }

  private static ConnectionState wire(org.defpi.sdk.ConnectionState state) {
    return ConnectionState.valueOf(state.name());
  }
}
