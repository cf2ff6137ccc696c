package org.defpi.sdk.testing;

import com.google.protobuf.Message;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.defpi.wire.frame.FrameReader;
import org.defpi.wire.frame.FrameWriter;
import org.defpi.wire.frame.Heartbeat;
import org.defpi.wire.message.ProtobufMessageCodec;
import org.defpi.wire.message.UnknownMessageException;
import org.defpi.wire.protocol.ConnectionProto.ConnectionHandshake;
import org.defpi.wire.protocol.ConnectionProto.ConnectionState;
import org.defpi.wire.protocol.ProcessProto.ErrorMessage;
import org.defpi.wire.tls.TlsNames;

/**
 * The other end of a data connection, played frame by frame by the test: it can answer pings or
 * fall silent, reset its socket, send garbage. It listens on a loopback port; the runtime under
 * test connects. A background reader answers the runtime's pings (as a live dEF-Pi peer would,
 * whatever the test thread is doing) and queues every other frame; reads wait 5 s at most.
 *
 * <p>Made with an {@link SSLContext} it listens in TLS 1.3 and wants the runtime's certificate,
 * presenting whatever identity the context holds (a rogue one, if the test likes).
 */
public final class FakePeer implements AutoCloseable {
  private static final ProtobufMessageCodec CODEC = ProtobufMessageCodec.of(
      ConnectionHandshake.getDefaultInstance(), ErrorMessage.getDefaultInstance());
  private static final byte[] END = new byte[0]; // queued when the runtime closed the socket

  private final ServerSocket server;
  private volatile Socket socket;
  private volatile FrameWriter writer;
  private volatile BlockingQueue<byte[]> frames;
  private volatile boolean answerPings = true;
  private final Object pingLock = new Object();
  private int pingsAnswered; // guarded by pingLock

  public FakePeer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    server.setSoTimeout(5000);
  }

  /** A peer that listens in TLS 1.3 with {@code context}'s identity and trust, wanting the runtime's certificate. */
  public FakePeer(SSLContext context) throws IOException {
    SSLServerSocket tls = (SSLServerSocket) context.getServerSocketFactory()
        .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    tls.setEnabledProtocols(new String[] {TlsNames.PROTOCOL});
    tls.setNeedClientAuth(true);
    tls.setSoTimeout(5000);
    server = tls;
  }

  public int port() {
    return server.getLocalPort();
  }

  /**
   * Waits for the runtime to connect; the previous socket, if any, is forgotten. In TLS the
   * handshake runs here: a runtime that refuses this peer's certificate makes it throw.
   */
  public void accept() throws IOException {
    Socket accepted = server.accept();
    if (accepted instanceof SSLSocket ssl) {
      ssl.setSoTimeout(5000);
      try {
        ssl.startHandshake();
      } catch (IOException e) {
        ssl.close();
        throw e;
      }
      ssl.setSoTimeout(0);
    }
    BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    FrameWriter out = new FrameWriter(accepted.getOutputStream());
    FrameReader in = new FrameReader(accepted.getInputStream());
    socket = accepted;
    writer = out;
    frames = queue;
    Thread.ofVirtual().name("fake-peer-reader").start(() -> readLoop(in, out, queue));
  }

  private void readLoop(FrameReader in, FrameWriter out, BlockingQueue<byte[]> queue) {
    try {
      while (true) {
        Optional<byte[]> frame = in.read();
        if (frame.isEmpty()) {
          break;
        }
        byte[] payload = frame.get();
        if (Heartbeat.isHeartbeat(payload) && payload[0] == Heartbeat.PING) {
          if (answerPings) {
            out.writeHeartbeat(Heartbeat.PONG);
            synchronized (pingLock) {
              pingsAnswered++;
              pingLock.notifyAll();
            }
          }
          continue;
        }
        queue.add(payload);
      }
    } catch (IOException e) {
      // closed or reset: same as the end of the stream for the test
    }
    queue.add(END);
  }

  /** The certificate the runtime presented on the current socket (TLS only). */
  public X509Certificate peerCertificate() throws IOException {
    if (!(socket instanceof SSLSocket ssl)) {
      throw new IllegalStateException("a plain fake peer sees no certificate");
    }
    return (X509Certificate) ssl.getSession().getPeerCertificates()[0];
  }

  public void answerPings(boolean answer) {
    answerPings = answer;
  }

  public int pingsAnswered() {
    synchronized (pingLock) {
      return pingsAnswered;
    }
  }

  /** Waits (5 s at most) until {@code count} pings have been answered in all. */
  public void awaitPingsAnswered(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    synchronized (pingLock) {
      while (pingsAnswered < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("only " + pingsAnswered + " of " + count + " pings arrived in 5 s");
        }
        TimeUnit.NANOSECONDS.timedWait(pingLock, left);
      }
    }
  }

  /**
   * Plays dEF-Pi's side of the handshake until the runtime's CONNECTED arrives; returns the state
   * the runtime announced first (STARTING on a new connection, INTERRUPTED after a loss).
   */
  public ConnectionState handshake(String connectionId) throws IOException, InterruptedException {
    sendHandshake(connectionId, ConnectionState.STARTING);
    ConnectionState first = null;
    while (true) {
      ConnectionHandshake received = nextHandshake();
      if (first == null) {
        first = received.getConnectionState();
      }
      sendHandshake(connectionId, ConnectionState.CONNECTED);
      if (received.getConnectionState() == ConnectionState.CONNECTED) {
        return first;
      }
    }
  }

  public void sendHandshake(String connectionId, ConnectionState state) throws IOException {
    writer.write(CODEC.encode(ConnectionHandshake.newBuilder().setConnectionId(connectionId)
        .setConnectionState(state).build()));
  }

  /** The next handshake from the runtime. */
  public ConnectionHandshake nextHandshake() throws IOException, InterruptedException {
    while (true) {
      if (nextMessage() instanceof ConnectionHandshake handshake) {
        return handshake;
      }
    }
  }

  /** The next application message, skipping handshakes. */
  public ErrorMessage nextApplicationMessage() throws IOException, InterruptedException {
    while (true) {
      if (nextMessage() instanceof ErrorMessage m) {
        return m;
      }
    }
  }

  /** The next heartbeat that is not a PING (those are answered in the background), skipping handshakes. */
  public byte[] nextHeartbeat() throws IOException, InterruptedException {
    while (true) {
      byte[] payload = nextFrame();
      if (Heartbeat.isHeartbeat(payload)) {
        return payload;
      }
    }
  }

  private byte[] nextFrame() throws IOException, InterruptedException {
    byte[] payload = frames.poll(5, TimeUnit.SECONDS);
    if (payload == null) {
      throw new IOException("no frame from the runtime within 5 s");
    }
    if (payload == END) {
      frames.add(END);
      throw new IOException("the runtime closed the connection");
    }
    return payload;
  }

  private Message nextMessage() throws IOException, InterruptedException {
    while (true) {
      byte[] payload = nextFrame();
      if (Heartbeat.isHeartbeat(payload)) {
        continue;
      }
      try {
        return CODEC.decode(payload);
      } catch (UnknownMessageException e) {
        throw new IOException("the runtime sent something unexpected: " + e.getMessage(), e);
      }
    }
  }

  public void send(Message message) throws IOException {
    writer.write(CODEC.encode(message));
  }

  public void sendFrame(byte[] payload) throws IOException {
    writer.write(payload);
  }

  /** Writes bytes as they are, framing or not. */
  public void writeRaw(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  /** Waits (5 s at most) for the runtime to close the socket; frames before that are ignored. */
  public boolean awaitClosedByRuntime() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      byte[] payload = frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (payload == null) {
        return false;
      }
      if (payload == END) {
        return true;
      }
    }
  }

  /** Closes the socket with a TCP reset, as a crashed peer would. */
  public void resetAbruptly() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    if (socket != null) {
      socket.close();
    }
    server.close();
  }
}
