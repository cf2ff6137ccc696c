package org.defpi.sdk.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSocket;
import org.defpi.sdk.Connection;
import org.defpi.sdk.ConnectionHandler;
import org.defpi.sdk.ConnectionState;
import org.defpi.sdk.ConnectionTraffic;
import org.defpi.sdk.InterfaceVersion;
import org.defpi.wire.message.UnknownMessageException;
import org.defpi.wire.protocol.ConnectionProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One data connection of this process (WIRE.md section 7), as the service's handler sees it. It
 * outlives its sockets ({@link Link}s): the listening end keeps its server socket and takes every
 * new socket the peer opens; the connecting end reconnects with capped back-off.
 *
 * <p>State, guarded by {@link #lock}:
 *
 * <pre>
 *                handshake                  socket lost, silent peer,
 *   STARTING ───────────────▶ CONNECTED ─── or a newer socket from the peer ──▶ INTERRUPTED
 *                              ▲     ▲                                              │
 *                              │     └──────────────── handshake ───────────────────┘
 *                              │
 *   any but TERMINATED ──SUSPEND──▶ SUSPENDED ──RESUME, then handshake──┘
 *   any ──TERMINATE──▶ TERMINATED
 * </pre>
 *
 * Invariants: CONNECTED implies a confirmed current link whose buffer was flushed; the buffer is
 * empty while CONNECTED; messages leave in the order {@link #send} accepted them.
 *
 * <p>TLS (docs/wire-additions.md, "TLS", 4): when the orchestrator's last CREATE or RESUME said
 * {@code tls}, every socket runs a TLS 1.3 handshake before it becomes a {@link Link}: the
 * connecting end right after TCP connects, the listening end on each accepted socket (so a plain
 * peer never gets past it). A socket whose peer is not the process the orchestrator named, of this
 * process's user, under the latest CA, is closed and counted as an error, and never replaces the
 * current link; the connecting end tries again with its back-off.
 */
final class DataConnection implements Connection, Link.Listener {
  private static final Logger log = LoggerFactory.getLogger(DataConnection.class);
  private static final int CONNECT_TIMEOUT_MILLIS = 2000;

  /** How every data connection of the process behaves. */
  record Settings(
      Duration heartbeatInterval,
      int missedHeartbeats,
      int sendBufferLimit,
      Backoff reconnectBackoff,
      int maxFrameLength) {}

  private final String id;
  private final InterfaceVersion version;
  private final Settings settings;
  private final String remoteProcessId;
  private final String remoteServiceId;
  private final String remoteInterfaceId;
  private final TlsIdentity identity;
  private final SerialExecutor handlerExecutor;
  private final String dispatchDescription;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<byte[]> buffer = new ArrayDeque<>();
  private volatile ConnectionState state = ConnectionState.STARTING;
  private final TrafficCounters traffic = new TrafficCounters();
  private volatile ConnectionHandler handler;
  private boolean wantLink = true; // false while SUSPENDED, TERMINATED or closed
  private boolean closed;
  private String targetAddress;
  private int listenPort;
  /** The names the peer's certificate must carry; null: plain TCP. Written under {@link #lock}. */
  private volatile Set<URI> tlsPeer;
  private boolean tlsTroubleReported; // acceptor side: quiet after the first failed handshake in a row
  /** Sockets in their TLS handshake: closed when the connection stops or moves, so none attaches late. */
  private final Set<Socket> handshaking = ConcurrentHashMap.newKeySet();
  private Link current;
  private ServerSocket serverSocket;
  private Thread acceptor;
  private Thread connector;
  private long confirmations; // links that went CONNECTED, for the connector's back-off

  /**
   * @param identity this process's certificate, for TLS sockets; null when the process has none
   * @param tlsPeer the names the peer's certificate must carry, or null for plain TCP
   */
  DataConnection(String id, InterfaceVersion version, Settings settings, String targetAddress,
      int listenPort, String remoteProcessId, String remoteServiceId, String remoteInterfaceId,
      TlsIdentity identity, Set<URI> tlsPeer) {
    if (tlsPeer != null && identity == null) {
      throw new IllegalArgumentException("connection " + id + ": TLS needs this process's certificate");
    }
    this.identity = identity;
    this.tlsPeer = tlsPeer == null ? null : Set.copyOf(tlsPeer);
    this.id = id;
    this.version = version;
    this.settings = settings;
    this.targetAddress = targetAddress;
    this.listenPort = listenPort;
    this.remoteProcessId = remoteProcessId;
    this.remoteServiceId = remoteServiceId;
    this.remoteInterfaceId = remoteInterfaceId;
    this.handlerExecutor = new SerialExecutor("defpi-conn-" + id + "-handler");
    this.dispatchDescription = "[" + id + "] handle a message";
  }

  // ---------------------------------------------------------------- Connection (the service's view)

  @Override
  public void send(Object message) {
    if (message == null) {
      throw new IllegalArgumentException("cannot send null on connection " + id);
    }
    byte[] payload = version.codec().encode(message);
    lock.lock();
    try {
      if (state == ConnectionState.TERMINATED) {
        traffic.dropped(1);
        throw new IllegalStateException("connection " + id + " is terminated");
      }
      if (state == ConnectionState.CONNECTED) {
        Link link = current;
        try {
          link.write(payload);
          traffic.sent(payload.length);
          return;
        } catch (IOException e) {
          traffic.error();
          link.fail("cannot write: " + e.getMessage()); // re-enters lost(): now INTERRUPTED
        }
      }
      if (buffer.size() >= settings.sendBufferLimit()) {
        traffic.dropped(1);
        throw new IllegalStateException("connection " + id + " is " + state
            + " and its send buffer is full (" + settings.sendBufferLimit() + " messages)");
      }
      buffer.add(payload);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public ConnectionState state() {
    return state;
  }

  @Override
  public ConnectionTraffic traffic() {
    return traffic.snapshot();
  }

  @Override
  public String connectionId() {
    return id;
  }

  @Override
  public String remoteProcessId() {
    return remoteProcessId;
  }

  @Override
  public String remoteServiceId() {
    return remoteServiceId;
  }

  @Override
  public String remoteInterfaceId() {
    return remoteInterfaceId;
  }

  @Override
  public boolean encrypted() {
    return tlsPeer != null;
  }

  @Override
  public String toString() {
    return "DataConnection[" + id + ", " + version.interfaceId() + "/" + version.versionName() + ", "
        + state + "]";
  }

  // ------------------------------------------------------------------ management (CREATE, …)

  /** Binds the server socket if this end listens; before the handler exists, so nothing arrives. */
  void listenIfServer() throws IOException {
    lock.lock();
    try {
      if (targetAddress.isEmpty()) {
        bind();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Builds the service's handler on the connection's executor and waits for it. */
  void buildHandler(Duration timeout) throws ExecutionException, TimeoutException, InterruptedException {
    handlerExecutor.submit("build the handler", () -> {
      ConnectionHandler built = version.handlerFactory().apply(this);
      if (built == null) {
        throw new IllegalStateException("the handler factory of " + version.interfaceId() + "/"
            + version.versionName() + " returned null");
      }
      handler = built;
      return built;
    }).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Starts accepting or connecting. */
  void start() throws IOException {
    lock.lock();
    try {
      startNetworking();
    } finally {
      lock.unlock();
    }
  }

  /** SUSPEND: drop the socket and stop reconnecting; messages sent meanwhile are buffered. */
  ConnectionState suspend() {
    lock.lock();
    try {
      if (state == ConnectionState.TERMINATED || state == ConnectionState.SUSPENDED && !wantLink) {
        return state;
      }
      wantLink = false;
      changeState(ConnectionState.SUSPENDED);
      dropLink();
      closeServerSocket();
      changed.signalAll();
      log.info("[{}] suspended", id);
      callHandler("onSuspend", () -> handler.onSuspend());
      return state;
    } finally {
      lock.unlock();
    }
  }

  /**
   * RESUME: connect again, possibly to a new address (the peer moved) or from a new port. A
   * connection that is not suspended and keeps its address is left alone.
   */
  void resume(String newTargetAddress, int newListenPort) throws IOException {
    resume(newTargetAddress, newListenPort, tlsPeer);
  }

  /**
   * RESUME, saying whether the connection runs in TLS from now on ({@code newTlsPeer} the names
   * the peer must carry, null for plain): a change counts as a move, and the socket is replaced.
   */
  void resume(String newTargetAddress, int newListenPort, Set<URI> newTlsPeer) throws IOException {
    if (newTlsPeer != null && identity == null) {
      throw new IllegalArgumentException("connection " + id + ": TLS needs this process's certificate");
    }
    lock.lock();
    try {
      if (state == ConnectionState.TERMINATED) {
        throw new IllegalStateException("connection " + id + " is terminated");
      }
      boolean moved = !newTargetAddress.equals(targetAddress) || newListenPort != listenPort
          || !Objects.equals(newTlsPeer, tlsPeer);
      if (wantLink && !moved) {
        return;
      }
      tlsPeer = newTlsPeer == null ? null : Set.copyOf(newTlsPeer);
      if (moved) {
        log.info("[{}] resuming towards {}{}", id, describe(newTargetAddress, newListenPort),
            newTlsPeer == null ? "" : " in TLS");
        closeServerSocket();
        abortHandshakes();
        if (current != null) {
          dropLink();
          if (state == ConnectionState.CONNECTED) {
            interrupt("the orchestrator moved the connection");
          }
        }
      }
      targetAddress = newTargetAddress;
      listenPort = newListenPort;
      wantLink = true;
      startNetworking();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** TERMINATE: close for good; the handler's {@code terminated()} is the last callback. */
  void terminate() {
    lock.lock();
    try {
      if (state == ConnectionState.TERMINATED) {
        return;
      }
      changeState(ConnectionState.TERMINATED);
      stopNetworking();
      if (!buffer.isEmpty()) {
        log.warn("[{}] terminated with {} unsent messages", id, buffer.size());
        traffic.dropped(buffer.size());
        buffer.clear();
      }
      log.info("[{}] terminated", id);
      if (handler != null) {
        callHandler("terminated", () -> handler.terminated());
      }
      handlerExecutor.shutdown();
    } finally {
      lock.unlock();
    }
  }

  /** Waits for the handler's queued callbacks (after {@link #terminate()}: its last ones). */
  boolean awaitHandlerIdle(Duration timeout) throws InterruptedException {
    return handlerExecutor.awaitIdle(timeout);
  }

  /** Stops abruptly, as if the process died: sockets closed, no more callbacks. */
  void close() {
    lock.lock();
    try {
      closed = true;
      changeState(ConnectionState.TERMINATED);
      stopNetworking();
      handlerExecutor.shutdown();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- Link.Listener (reader threads)

  @Override
  public void confirmed(Link link) {
    // Flushing may block on a slow peer: never on the link's reader thread. The resume callback
    // is queued now, on the reader thread, so it precedes every message that arrives on this
    // link; it waits for the flush, so the handler sees the connection CONNECTED.
    CompletableFuture<ConnectionState> transition = new CompletableFuture<>();
    callHandler("resume", () -> {
      ConnectionState previous = transition.get();
      if (previous == ConnectionState.INTERRUPTED) {
        handler.resumeAfterInterrupt();
      } else if (previous == ConnectionState.SUSPENDED) {
        handler.resumeAfterSuspend();
      }
    });
    Thread.ofVirtual().name("defpi-conn-" + id + "-flush").start(() -> connectedOn(link, transition));
  }

  @Override
  public void received(Link link, byte[] payload) {
    traffic.received(payload.length);
    Object message;
    try {
      message = version.codec().decode(payload);
    } catch (UnknownMessageException | RuntimeException e) {
      traffic.dropped(1);
      log.warn("[{}] dropped a message that {}/{} cannot decode: {}", id, version.interfaceId(),
          version.versionName(), e.getMessage());
      return;
    }
    // Once per message: a constant description, and the type named only if something goes wrong.
    handlerExecutor.execute(dispatchDescription, () -> dispatch(message));
  }

  private void dispatch(Object message) throws InterruptedException {
    try {
      version.dispatcher().dispatch(handler, message);
    } catch (IllegalArgumentException e) {
      traffic.dropped(1);
      log.warn("[{}] dropped a {}: {}", id, message.getClass().getSimpleName(), e.getMessage());
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      traffic.error();
      log.error("[{}] the handler threw on a {}; carrying on with the next message", id,
          message.getClass().getSimpleName(), e);
    }
  }

  @Override
  public void lost(Link link, String reason) {
    lock.lock();
    try {
      if (link != current) {
        return; // a replaced link dying late
      }
      current = null;
      if (state == ConnectionState.CONNECTED) {
        interrupt(reason);
      } else {
        log.info("[{}] socket to {} lost while {}: {}", id, link.peer(), state, reason);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------------------- internals

  /** Flushes the buffer on a confirmed link and goes CONNECTED; completes with the state before. */
  private void connectedOn(Link link, CompletableFuture<ConnectionState> transition) {
    ConnectionState previous = null; // null: this link did not make it
    lock.lock();
    try {
      if (link != current || !wantLink || state == ConnectionState.TERMINATED) {
        return;
      }
      int flushed = 0;
      while (!buffer.isEmpty()) {
        try {
          byte[] payload = buffer.peek();
          link.write(payload);
          traffic.sent(payload.length);
        } catch (IOException e) {
          traffic.error();
          link.fail("cannot write buffered messages: " + e.getMessage());
          return; // the rest stays buffered for the next socket
        }
        buffer.poll();
        flushed++;
      }
      previous = state;
      changeState(ConnectionState.CONNECTED);
      confirmations++;
      log.info("[{}] connected to {}{} ({} buffered messages sent)", id, link.peer(),
          link.encrypted() ? " in TLS" : "", flushed);
    } finally {
      lock.unlock();
      transition.complete(previous);
    }
  }

  /**
   * A new socket to the peer ({@code socket}, TLS or not, over {@code transport}): it replaces the
   * current one. Called by the acceptor and connector, after a TLS handshake if there is one.
   */
  private void attach(Socket socket, Socket transport) {
    Link link;
    try {
      link = new Link(linkSettings(), socket, transport, this);
    } catch (IOException e) {
      log.warn("[{}] cannot use the socket to {}: {}", id, transport.getRemoteSocketAddress(), e.getMessage());
      closeQuietly(transport);
      return;
    }
    ConnectionProto.ConnectionState handshakeState;
    lock.lock();
    try {
      if (!wantLink || closed || state == ConnectionState.TERMINATED) {
        closeQuietly(transport);
        return;
      }
      if (current != null) {
        // The peer reconnected before we noticed its old socket die: the newest socket wins.
        dropLink();
        if (state == ConnectionState.CONNECTED) {
          interrupt("the peer opened a new socket");
        }
      }
      current = link;
      handshakeState = ConnectionProto.ConnectionState.valueOf(state.name());
      log.debug("[{}] socket to {}, handshaking as {}", id, link.peer(), handshakeState);
    } finally {
      lock.unlock();
    }
    link.start(handshakeState);
  }

  private void interrupt(String reason) {
    changeState(ConnectionState.INTERRUPTED);
    log.warn("[{}] interrupted: {}; {}", id, reason, targetAddress.isEmpty()
        ? "waiting for the peer on port " + listenPort
        : "reconnecting to " + describe(targetAddress, listenPort));
    callHandler("onInterrupt", () -> handler.onInterrupt());
  }

  /** Every state assignment goes through here, so each transition is counted once. Under {@link #lock}. */
  private void changeState(ConnectionState next) {
    if (state != next) {
      state = next;
      traffic.stateChanged();
    }
  }

  @Override
  public void troubled(Link link) {
    traffic.error();
  }

  private void dropLink() {
    if (current != null) {
      current.close();
      current = null;
    }
  }

  private void startNetworking() throws IOException {
    if (targetAddress.isEmpty()) {
      bind();
    } else if (connector == null || !connector.isAlive()) {
      connector = Thread.ofVirtual().name("defpi-conn-" + id + "-connector").start(this::connectLoop);
    }
  }

  private void stopNetworking() {
    wantLink = false;
    dropLink();
    closeServerSocket();
    abortHandshakes();
    changed.signalAll(); // the connector sees it and ends
  }

  private void abortHandshakes() {
    handshaking.forEach(DataConnection::closeQuietly);
  }

  /** A TLS handshake on {@code socket}, which {@link #abortHandshakes} may cut short. */
  private SSLSocket handshake(Socket socket, TlsCall call) throws IOException {
    handshaking.add(socket);
    try {
      return call.run();
    } finally {
      handshaking.remove(socket);
    }
  }

  @FunctionalInterface
  private interface TlsCall {
    SSLSocket run() throws IOException;
  }

  private void bind() throws IOException {
    if (serverSocket != null && !serverSocket.isClosed()) {
      if (serverSocket.getLocalPort() == listenPort) {
        return;
      }
      closeServerSocket();
    }
    ServerSocket socket = new Transport.Server();
    try {
      socket.setReuseAddress(true); // a restarted process rebinds while old sockets linger
      socket.bind(new InetSocketAddress(listenPort));
    } catch (IOException e) {
      closeQuietly(socket);
      throw new IOException("cannot listen on port " + listenPort + ": " + e.getMessage(), e);
    }
    serverSocket = socket;
    log.info("[{}] listening on port {}", id, listenPort);
    acceptor = Thread.ofVirtual().name("defpi-conn-" + id + "-acceptor").start(() -> acceptLoop(socket));
  }

  /**
   * Closes the server socket and waits for its acceptor to leave accept(): the JDK frees the
   * port only then, and RESUME or a restarted process may want to bind it again at once. The
   * acceptor never takes {@link #lock}, so waiting for it under the lock is safe.
   */
  private void closeServerSocket() {
    if (serverSocket != null) {
      closeQuietly(serverSocket);
      serverSocket = null;
    }
    Thread thread = acceptor;
    acceptor = null;
    if (thread != null && thread != Thread.currentThread()) {
      try {
        if (!thread.join(Duration.ofSeconds(1))) {
          log.warn("[{}] the acceptor did not stop within 1 s", id);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void acceptLoop(ServerSocket socket) {
    while (true) {
      Socket accepted;
      try {
        accepted = socket.accept();
      } catch (IOException e) {
        if (!socket.isClosed()) {
          log.warn("[{}] stopped accepting on port {}: {}", id, socket.getLocalPort(), e.getMessage());
        }
        return;
      }
      // attach() takes the lock; this thread must not (see closeServerSocket), nor wait for a
      // TLS handshake: a silent client would stop it accepting.
      Thread.ofVirtual().name("defpi-conn-" + id + "-attach").start(() -> accepted(accepted));
    }
  }

  /** An accepted socket: under TLS it must pass the handshake before it may replace the current link. */
  private void accepted(Socket socket) {
    Set<URI> peer = tlsPeer;
    if (peer == null) {
      attach(socket, socket);
      return;
    }
    SSLSocket tls;
    try {
      tls = handshake(socket, () -> identity.accept(socket, null, peer, tlsHandshakeTimeout()));
    } catch (IOException e) {
      traffic.error();
      boolean first;
      lock.lock();
      try {
        first = !tlsTroubleReported;
        tlsTroubleReported = true;
      } finally {
        lock.unlock();
      }
      String why = "[{}] refused a socket from {} on port {}: TLS handshake failed ({}); waiting for the peer";
      if (first) {
        log.warn(why, id, socket.getRemoteSocketAddress(), listenPort, describe(e));
      } else {
        log.debug(why, id, socket.getRemoteSocketAddress(), listenPort, describe(e));
      }
      return;
    }
    lock.lock();
    try {
      tlsTroubleReported = false;
    } finally {
      lock.unlock();
    }
    attach(tls, socket);
  }

  private Duration tlsHandshakeTimeout() {
    return Link.handshakeTimeout(settings.heartbeatInterval(), settings.missedHeartbeats());
  }

  /** An exception's class and message, and its cause's message when that says more (TLS alerts). */
  static String describe(Throwable e) {
    StringBuilder b = new StringBuilder(e.getClass().getSimpleName());
    if (e.getMessage() != null) {
      b.append(": ").append(e.getMessage());
    }
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && (e.getMessage() == null || !e.getMessage().contains(cause.getMessage()))) {
      b.append(" (").append(cause.getMessage()).append(')');
    }
    return b.toString();
  }

  /**
   * The connecting end's loop: connect, attach, wait for the link to end, repeat. The back-off
   * applies to every attempt that did not end in a confirmed link, not only to refused connects: a
   * peer (or anything listening on its port) that accepts and then closes or never handshakes
   * would otherwise be reconnected to in a hot loop.
   */
  private void connectLoop() {
    int attempt = 0; // consecutive attempts that did not give a confirmed link
    boolean tlsFailureSaid = false; // since the last confirmed link: said at WARN once, then DEBUG
    long confirmationsBefore = -1; // confirmations when this loop last attached a socket; -1: none pending
    while (true) {
      String host;
      int port;
      Set<URI> peer;
      lock.lock();
      try {
        while (!closed && state != ConnectionState.TERMINATED && !targetAddress.isEmpty()
            && (!wantLink || current != null)) {
          changed.await();
        }
        if (closed || state == ConnectionState.TERMINATED || targetAddress.isEmpty()) {
          return;
        }
        if (confirmationsBefore >= 0) { // the socket this loop attached is gone
          boolean wasConfirmed = confirmations > confirmationsBefore;
          confirmationsBefore = -1;
          if (wasConfirmed) {
            attempt = 0;
            tlsFailureSaid = false;
          } else {
            Duration delay = settings.reconnectBackoff().delay(attempt++);
            log.debug("[{}] the peer dropped the socket before confirming; next attempt in {} ms", id, delay.toMillis());
            changed.awaitNanos(delay.toNanos()); // woken early by TERMINATE or RESUME
            continue; // the conditions above may have changed meanwhile
          }
        }
        host = targetAddress;
        port = listenPort;
        peer = tlsPeer;
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      Socket socket = new Transport();
      try {
        // A new InetSocketAddress resolves again each time: the peer's name may appear late.
        socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
      } catch (IOException e) {
        closeQuietly(socket);
        Duration delay = settings.reconnectBackoff().delay(attempt);
        String why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        if (attempt == 0) {
          log.info("[{}] cannot connect to {} yet ({}); retrying with back-off up to {} ms", id,
              describe(host, port), why, settings.reconnectBackoff().max().toMillis());
        } else {
          log.debug("[{}] attempt {} to connect to {} failed ({})", id, attempt + 1, describe(host, port), why);
        }
        attempt++;
        if (!pause(delay)) {
          return;
        }
        continue;
      }
      Socket channel = socket;
      if (peer != null) {
        try {
          channel = handshake(socket, () -> identity.connect(socket, host, port, peer, tlsHandshakeTimeout()));
        } catch (IOException e) {
          // Another process, another user's, another CA, or no TLS at all: not our peer. It may be
          // a passing state (the peer still starting on a moved address), so retry, backing off.
          traffic.error();
          Duration delay = settings.reconnectBackoff().delay(attempt);
          String why = "[{}] TLS handshake with {} failed ({}); retrying with back-off up to {} ms";
          if (!tlsFailureSaid) {
            tlsFailureSaid = true;
            log.warn(why, id, describe(host, port), describe(e), settings.reconnectBackoff().max().toMillis());
          } else {
            log.debug(why, id, describe(host, port), describe(e), settings.reconnectBackoff().max().toMillis());
          }
          attempt++;
          if (!pause(delay)) {
            return;
          }
          continue;
        }
      }
      lock.lock();
      try {
        confirmationsBefore = confirmations; // read before attach, so no confirmation is missed
      } finally {
        lock.unlock();
      }
      attach(channel, socket);
    }
  }

  /** Waits before the next attempt, woken early by TERMINATE or RESUME; false when interrupted. */
  private boolean pause(Duration delay) {
    lock.lock();
    try {
      // The connect loop re-checks every condition after this.
      changed.awaitNanos(delay.toNanos());
      return true;
    } catch (InterruptedException interrupted) {
      return false;
    } finally {
      lock.unlock();
    }
  }

  private void callHandler(String what, SerialExecutor.UserCode code) {
    handlerExecutor.execute("[" + id + "] " + what, code);
  }

  private Link.Settings linkSettings() {
    return new Link.Settings(id, version.receivesHash(), version.sendsHash(),
        settings.heartbeatInterval(), settings.missedHeartbeats(), settings.maxFrameLength());
  }

  private static String describe(String host, int port) {
    return host.isEmpty() ? "listening on port " + port : host + ":" + port;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.debug("closing {}: {}", closeable, e.getMessage());
    }
  }
}
