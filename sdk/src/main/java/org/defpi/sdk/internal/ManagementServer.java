package org.defpi.sdk.internal;

import com.google.protobuf.Message;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management port (WIRE.md section 6): the orchestrator connects, sends one request at a
 * time and reads one reply each. A new connection replaces the old one at any time (the
 * orchestrator restarted or lost its socket). A payload that cannot be decoded gets an
 * ErrorMessage and the session goes on; a malformed frame ends that session only.
 */
final class ManagementServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ManagementServer.class);
  static final ProtobufMessageCodec CODEC = ProtobufMessageCodec.of(
      SetConfigMessage.getDefaultInstance(),
      GoToProcessStateMessage.getDefaultInstance(),
      ResumeProcessMessage.getDefaultInstance(),
      ConnectionMessage.getDefaultInstance());

  private final ProcessController<?> controller;
  private final int requestedPort;
  private final int maxFrameLength;
  private final Runnable onTerminated;
  private ServerSocket serverSocket;
  private Thread acceptor;
  private Socket session; // guarded by this
  private volatile boolean closed;

  /** @param onTerminated runs after the TERMINATED reply has been written */
  ManagementServer(ProcessController<?> controller, int port, int maxFrameLength, Runnable onTerminated) {
    this.controller = controller;
    this.requestedPort = port;
    this.maxFrameLength = maxFrameLength;
    this.onTerminated = onTerminated;
  }

  /** Binds on all interfaces and starts accepting. */
  void start() throws IOException {
    ServerSocket socket = new ServerSocket();
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
      synchronized (this) {
        if (session != null) {
          log.info("new management connection from {} replaces the one from {}",
              socket.getRemoteSocketAddress(), session.getRemoteSocketAddress());
          closeQuietly(session);
        } else {
          log.info("management connection from {}", socket.getRemoteSocketAddress());
        }
        session = socket;
      }
      Thread.ofVirtual().name("defpi-management-session").start(() -> serve(socket));
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      serve(socket.getInputStream(), socket.getOutputStream());
    } catch (IOException e) {
      log.debug("management connection ended: {}", e.getMessage());
    } finally {
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
