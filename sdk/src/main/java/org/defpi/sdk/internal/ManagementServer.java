package org.defpi.sdk.internal;

import com.google.protobuf.Message;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocket;
import org.defpi.wire.frame.FrameException;
import org.defpi.wire.frame.FrameReader;
import org.defpi.wire.frame.FrameWriter;
import org.defpi.wire.frame.Heartbeat;
import org.defpi.wire.message.ProtobufMessageCodec;
import org.defpi.wire.message.UnknownMessageException;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage;
import org.defpi.wire.protocol.ProcessProto.GoToProcessStateMessage;
import org.defpi.wire.protocol.ProcessProto.ResumeProcessMessage;
import org.defpi.wire.protocol.ProcessProto.SetConfigMessage;
import org.defpi.wire.tls.TlsNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management port (WIRE.md section 6): the orchestrator connects, sends one request at a
 * time and reads one reply each. A new connection replaces the old one at any time (the
 * orchestrator restarted or lost its socket). A payload that cannot be decoded gets an
 * ErrorMessage and the session goes on; a malformed frame ends that session only.
 *
 * <p>TLS (docs/wire-additions.md, "TLS", 3): one port serves both kinds of client, told apart by
 * the first byte ({@link TlsNames#TLS_HANDSHAKE_RECORD}, which no plain frame starts with).
 *
 * <ul>
 *   <li>While the process holds a certificate, a connection must complete a TLS 1.3 handshake, the
 *       client presenting a certificate of the latest CA that names {@code urn:defpi:orchestrator},
 *       within {@link #HANDSHAKE_TIMEOUT} of being accepted; only then does it replace the session,
 *       so nobody else can push the orchestrator off. A plain one is closed (said at WARN once).
 *   <li>Without a certificate the port is plain, exactly as WIRE.md: the newest connection replaces
 *       the session at once, and a TLS client's first byte is a malformed frame that drops it.
 * </ul>
 */
final class ManagementServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ManagementServer.class);
  /** From accept to a finished TLS handshake: the orchestrator connects in order to send at once. */
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
  static final ProtobufMessageCodec CODEC = ProtobufMessageCodec.of(
      SetConfigMessage.getDefaultInstance(),
      GoToProcessStateMessage.getDefaultInstance(),
      ResumeProcessMessage.getDefaultInstance(),
      ConnectionMessage.getDefaultInstance());

  private final ProcessController<?> controller;
  private final int requestedPort;
  private final int maxFrameLength;
  private final Runnable onTerminated;
  private final TlsIdentity identity;
  private final Set<Socket> admitting = ConcurrentHashMap.newKeySet(); // before their TLS handshake ends
  private final AtomicBoolean plainRefusalSaid = new AtomicBoolean();
  private final AtomicBoolean handshakeFailureSaid = new AtomicBoolean(); // since the last good handshake
  private ServerSocket serverSocket;
  private Thread acceptor;
  private Socket session; // guarded by this
  private volatile boolean closed;

  /** A plain-only server. @param onTerminated runs after the TERMINATED reply has been written */
  ManagementServer(ProcessController<?> controller, int port, int maxFrameLength, Runnable onTerminated) {
    this(controller, port, maxFrameLength, onTerminated, TlsIdentity.none());
  }

  /** @param identity this process's certificate: while it holds one, only TLS from the orchestrator */
  ManagementServer(ProcessController<?> controller, int port, int maxFrameLength, Runnable onTerminated,
      TlsIdentity identity) {
    this.controller = controller;
    this.requestedPort = port;
    this.maxFrameLength = maxFrameLength;
    this.onTerminated = onTerminated;
    this.identity = identity;
  }

  /** Binds on all interfaces and starts accepting. */
  void start() throws IOException {
    ServerSocket socket = new Transport.Server();
    try {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(requestedPort));
    } catch (IOException e) {
      socket.close();
      throw new IOException("cannot open the management port " + requestedPort + ": " + e.getMessage(), e);
    }
    serverSocket = socket;
    acceptor = Thread.ofVirtual().name("defpi-management-acceptor").start(this::acceptLoop);
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  /** Stops accepting and ends the session; when it returns, the port accepts no connection. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(serverSocket);
    synchronized (this) {
      closeQuietly(session);
    }
    admitting.forEach(ManagementServer::closeQuietly);
    // The JDK releases the listening socket only once the thread blocked in accept() has left
    // it, and that thread may still take one last connection: wait for it.
    Thread thread = acceptor;
    if (thread != null && thread != Thread.currentThread()) {
      try {
        if (!thread.join(Duration.ofSeconds(2))) {
          log.warn("the management acceptor did not stop within 2 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        if (!closed) {
          log.error("the management port stopped accepting: {}", e.getMessage());
        }
        return;
      }
      if (closed) {
        closeQuietly(socket);
        return;
      }
      if (identity.held()) {
        // Authenticated first: only then may it replace the session.
        admitting.add(socket);
        Thread.ofVirtual().name("defpi-management-handshake").start(() -> serve(socket, true));
      } else {
        replaceSession(socket, "");
        Thread.ofVirtual().name("defpi-management-session").start(() -> serve(socket, false));
      }
    }
  }

  private void replaceSession(Socket socket, String how) {
    synchronized (this) {
      if (session != null) {
        log.info("new management connection from {}{} replaces the one from {}",
            socket.getRemoteSocketAddress(), how, session.getRemoteSocketAddress());
        closeQuietly(session);
      } else {
        log.info("management connection from {}{}", socket.getRemoteSocketAddress(), how);
      }
      session = socket;
    }
  }

  /**
   * One accepted connection: its first byte says TLS or plain, which must be what the process
   * speaks at that moment; then the session, until it ends.
   *
   * @param authenticate accepted while the process held a certificate: the session is not yet
   *     replaced, and the first byte and the handshake are bounded by {@link #HANDSHAKE_TIMEOUT}
   */
  private void serve(Socket socket, boolean authenticate) {
    long accepted = System.nanoTime();
    try (socket) {
      if (authenticate) {
        socket.setSoTimeout((int) HANDSHAKE_TIMEOUT.toMillis());
      }
      InputStream raw = socket.getInputStream();
      int first = raw.read();
      if (first < 0) {
        log.info("the management connection from {} closed before any request", socket.getRemoteSocketAddress());
        return;
      }
      InputStream in;
      OutputStream out;
      if (first == TlsNames.TLS_HANDSHAKE_RECORD) {
        if (!identity.held()) {
          log.warn("malformed frame on the management connection from {} (a TLS handshake, and this process "
              + "holds no certificate, so it speaks plain TCP only): dropping it", socket.getRemoteSocketAddress());
          return;
        }
        SSLSocket tls;
        try {
          // The rest of the 10 s from accept (from the first byte on a socket accepted while plain,
          // whose wait for it was not bounded): not 10 s for the first byte and 10 more to handshake.
          long from = authenticate ? accepted : System.nanoTime();
          Duration left = HANDSHAKE_TIMEOUT.minusNanos(System.nanoTime() - from);
          tls = identity.accept(socket, new byte[] {(byte) first}, TlsIdentity.orchestrator(),
              left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left);
        } catch (IOException e) {
          String why = "refused a management connection from {}: TLS handshake failed ({})";
          if (handshakeFailureSaid.compareAndSet(false, true)) {
            log.warn(why, socket.getRemoteSocketAddress(), DataConnection.describe(e));
          } else {
            log.debug(why, socket.getRemoteSocketAddress(), DataConnection.describe(e));
          }
          return;
        }
        handshakeFailureSaid.set(false);
        in = tls.getInputStream();
        out = tls.getOutputStream();
        if (authenticate) {
          replaceSession(socket, " in TLS");
        } else {
          log.info("the management connection from {} runs in TLS", socket.getRemoteSocketAddress());
        }
      } else {
        if (identity.held()) {
          String why = "refused a plain management connection from {}: this process holds a certificate and "
              + "takes TLS only{}";
          if (plainRefusalSaid.compareAndSet(false, true)) {
            log.warn(why, socket.getRemoteSocketAddress(), " (said once; later ones at DEBUG)");
          } else {
            log.debug(why, socket.getRemoteSocketAddress(), "");
          }
          return;
        }
        PushbackInputStream replay = new PushbackInputStream(raw, 1);
        replay.unread(first);
        in = replay;
        out = socket.getOutputStream();
      }
      socket.setSoTimeout(0);
      admitting.remove(socket);
      if (closed) {
        return;
      }
      serve(in, out);
    } catch (IOException e) {
      log.debug("management connection ended: {}", e.getMessage());
    } finally {
      admitting.remove(socket);
      synchronized (this) {
        if (session == socket) {
          session = null;
        }
      }
    }
  }

  /** One session over a pair of streams: returns when it ends. */
  void serve(InputStream in, OutputStream out) throws IOException {
    FrameReader reader = new FrameReader(in, maxFrameLength);
    FrameWriter writer = new FrameWriter(out);
    while (true) {
      Optional<byte[]> frame;
      try {
        frame = reader.read();
      } catch (FrameException e) {
        log.warn("malformed frame on the management connection, dropping it: {}", e.getMessage());
        return;
      }
      if (frame.isEmpty()) {
        log.info("the orchestrator closed the management connection");
        return;
      }
      byte[] payload = frame.get();
      if (Heartbeat.isHeartbeat(payload)) {
        if (payload[0] == Heartbeat.PING) {
          writer.writeHeartbeat(Heartbeat.PONG);
        }
        continue;
      }
      Message reply;
      try {
        Message request = CODEC.decode(payload);
        log.debug("management request {}", request.getDescriptorForType().getName());
        reply = controller.handle(request);
      } catch (UnknownMessageException e) {
        log.warn("undecodable management request: {}", e.getMessage());
        reply = controller.error("cannot decode the request: " + e.getMessage());
      }
      writer.write(CODEC.encode(reply));
      if (controller.terminated()) {
        onTerminated.run();
        return;
      }
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      log.debug("closing {}: {}", closeable, e.getMessage());
    }
  }
}
