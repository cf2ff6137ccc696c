package org.defpi.sdk.internal;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.defpi.wire.frame.CorruptedFrameException;
import org.defpi.wire.frame.FrameReader;
import org.defpi.wire.frame.FrameWriter;
import org.defpi.wire.frame.Heartbeat;
import org.defpi.wire.message.ProtobufMessageCodec;
import org.defpi.wire.message.UnknownMessageException;
import org.defpi.wire.protocol.ConnectionProto.ConnectionHandshake;
import org.defpi.wire.protocol.ConnectionProto.ConnectionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP socket of a data connection (in TLS when the connection runs so): the session layer
 * between the frames and the {@link DataConnection}. It answers heartbeats, runs the handshake, pings the peer once the handshake is
 * confirmed, and hands application payloads to its {@link Listener}. A connection outlives its
 * links: each reconnect makes a new one.
 *
 * <p>Threads: one virtual reader thread, which never runs user code and never waits for anything
 * but the socket (its only writes are one-frame replies); one virtual heartbeat thread, which
 * before confirmation only watches the clock (a peer that accepted the socket but has not
 * confirmed within {@link #handshakeTimeout} fails the link, so a stuck peer cannot hold the
 * connection in STARTING forever) and after it pings; each PING is written from a short-lived
 * virtual thread, so a socket whose send buffer is full cannot stop the heartbeat thread from
 * declaring the peer dead.
 */
final class Link {
  private static final Logger log = LoggerFactory.getLogger(Link.class);
  private static final ProtobufMessageCodec HANDSHAKE_CODEC =
      ProtobufMessageCodec.of(ConnectionHandshake.getDefaultInstance());
  private static final byte[] HANDSHAKE_PREFIX = typePrefix("ConnectionHandshake");
  private static final byte[] PING = {Heartbeat.PING};
  private static final byte[] PONG = {Heartbeat.PONG};
  private static final Duration MIN_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

  /** What the link reports to its connection. Called on the link's own threads. */
  interface Listener {
    /** The peer's CONNECTED handshake arrived: the link may carry application frames. */
    void confirmed(Link link);

    /** An application payload (neither heartbeat nor handshake). */
    void received(Link link, byte[] payload);

    /** The link failed (end of stream, I/O error, silent peer); reported once, never after close. */
    void lost(Link link, String reason);

    /** Something went wrong that the link survives or reports as lost next: a malformed frame, a read error. */
    default void troubled(Link link) {}
  }

  /** What a link needs to know about its connection. */
  record Settings(
      String connectionId,
      String receivesHash,
      String sendsHash,
      Duration heartbeatInterval,
      int missedHeartbeats,
      int maxFrameLength) {}

  private final Settings settings;
  private final Socket socket;
  private final Socket transport;
  private final Listener listener;
  private final FrameWriter writer;
  private final Handshake handshake;
  private final HeartbeatMonitor monitor;
  private final AtomicBoolean ended = new AtomicBoolean();
  private final AtomicBoolean pingInFlight = new AtomicBoolean();
  private volatile Thread heartbeatThread;
  private volatile boolean confirmed;
  private boolean warnedAboutHashes; // reader thread only

  /**
   * @param socket what frames are read from and written to: the TCP socket, or a TLS socket on it
   * @param transport the TCP socket underneath (the same as {@code socket} when plain)
   */
  Link(Settings settings, Socket socket, Socket transport, Listener listener) throws IOException {
    this.settings = settings;
    this.socket = socket;
    this.transport = transport;
    this.listener = listener;
    transport.setTcpNoDelay(true);
    transport.setKeepAlive(true);
    this.writer = new FrameWriter(socket.getOutputStream());
    this.handshake = new Handshake(settings.connectionId());
    this.monitor = new HeartbeatMonitor(settings.missedHeartbeats());
  }

  /** Starts reading and sends this end's handshake carrying {@code ourState}. */
  void start(ConnectionState ourState) {
    // Our handshake goes first, before the reader can answer the peer's with CONNECTED.
    try {
      write(handshakePayload(ourState));
    } catch (IOException e) {
      fail("cannot send the handshake: " + e.getMessage());
      return;
    }
    Thread.ofVirtual().name("defpi-conn-" + settings.connectionId() + "-reader").start(this::readLoop);
    heartbeatThread = Thread.ofVirtual()
        .name("defpi-conn-" + settings.connectionId() + "-heartbeat")
        .start(this::heartbeatLoop);
    if (ended.get()) {
      heartbeatThread.interrupt(); // shut() ran before the thread was published
    }
  }

  /**
   * How long a peer may take to confirm a new socket: generous, since a dEF-Pi peer handshakes at
   * once and only a stuck or foreign listener takes longer, and at least a few heartbeats.
   */
  static Duration handshakeTimeout(Duration heartbeatInterval, int missedHeartbeats) {
    Duration beats = heartbeatInterval.multipliedBy(missedHeartbeats + 1L);
    return beats.compareTo(MIN_HANDSHAKE_TIMEOUT) > 0 ? beats : MIN_HANDSHAKE_TIMEOUT;
  }

  /** Writes one frame. Concurrent writes never interleave. */
  void write(byte[] payload) throws IOException {
    if (ended.get()) {
      throw new IOException("link of connection " + settings.connectionId() + " is closed");
    }
    writer.write(payload);
  }

  String peer() {
    return String.valueOf(transport.getRemoteSocketAddress());
  }

  /** Whether the frames travel in TLS. */
  boolean encrypted() {
    return socket != transport;
  }

  /** Closes the socket on purpose; the listener hears nothing more from this link. */
  void close() {
    if (ended.compareAndSet(false, true)) {
      shut();
    }
  }

  /** Closes the socket because it failed, and tells the listener once. */
  void fail(String reason) {
    if (ended.compareAndSet(false, true)) {
      shut();
      listener.lost(this, reason);
    }
  }

  private void shut() {
    try {
      // The TCP socket, also under TLS: closing the TLS socket would first wait for its write lock
      // to send close_notify, which a writer blocked on a peer that stopped reading holds for ever.
      // The peer reads a plain end of stream, which the JDK's TLS takes as a close.
      transport.close();
    } catch (IOException e) {
      log.debug("[{}] closing the socket: {}", settings.connectionId(), e.getMessage());
    }
    Thread heartbeat = heartbeatThread;
    if (heartbeat != null) {
      heartbeat.interrupt();
    }
  }

  private void readLoop() {
    FrameReader reader;
    try {
      reader = new FrameReader(socket.getInputStream(), settings.maxFrameLength());
    } catch (IOException e) {
      fail("cannot read from the socket: " + e.getMessage());
      return;
    }
    String reason = "the peer closed the connection";
    try {
      while (!ended.get()) {
        Optional<byte[]> frame;
        try {
          frame = reader.read();
        } catch (CorruptedFrameException e) {
          // The reader already skipped to the next 0xFF: the stream is usable again.
          monitor.frameReceived();
          listener.troubled(this);
          log.warn("[{}] dropped a corrupted frame: {}", settings.connectionId(), e.getMessage());
          continue;
        }
        if (frame.isEmpty()) {
          break;
        }
        monitor.frameReceived();
        onFrame(frame.get());
      }
    } catch (IOException e) {
      reason = e.getClass().getSimpleName() + ": " + e.getMessage();
      if (!ended.get()) { // not our own close() shutting the socket under the reader
        listener.troubled(this);
      }
    }
    fail(reason);
  }

  private void onFrame(byte[] payload) throws IOException {
    if (Heartbeat.isHeartbeat(payload)) {
      // dEF-Pi answers a PING only once connected; answering always is harmless and simpler.
      if (payload[0] == Heartbeat.PING) {
        write(PONG);
      }
      return;
    }
    if (isHandshake(payload)) {
      onHandshake(payload);
      return;
    }
    listener.received(this, payload);
  }

  private void onHandshake(byte[] payload) throws IOException {
    ConnectionHandshake received;
    try {
      received = (ConnectionHandshake) HANDSHAKE_CODEC.decode(payload);
    } catch (UnknownMessageException e) {
      listener.troubled(this);
      log.warn("[{}] dropped an unreadable handshake: {}", settings.connectionId(), e.getMessage());
      return;
    }
    Handshake.Outcome outcome = handshake.receive(received);
    if (outcome.foreignId()) {
      // Someone else's connection reached our port: this socket is not ours to keep.
      fail("the peer at " + peer() + " handshook for connection '" + received.getConnectionId()
          + "', not '" + settings.connectionId() + "'");
      return;
    }
    checkHashes(received);
    log.debug("[{}] received handshake {}", settings.connectionId(), received.getConnectionState());
    if (outcome.replyConnected()) {
      write(handshakePayload(ConnectionState.CONNECTED));
    }
    if (outcome.confirmedNow()) {
      confirmed = true;
      listener.confirmed(this);
    }
  }

  /**
   * dEF-Pi sends no hashes in its handshakes; when a peer does, they must mirror ours. A mismatch
   * means the orchestrator paired incompatible interfaces: worth a loud line, not a refusal,
   * since refusing would only make both ends retry forever.
   */
  private void checkHashes(ConnectionHandshake received) {
    boolean mismatch = (received.hasSendHash() && !received.getSendHash().equals(settings.receivesHash()))
        || (received.hasReceiveHash() && !received.getReceiveHash().equals(settings.sendsHash()));
    if (mismatch && !warnedAboutHashes) {
      warnedAboutHashes = true;
      log.warn("[{}] the peer sends {} and receives {}, but this end receives {} and sends {}",
          settings.connectionId(), received.getSendHash(), received.getReceiveHash(),
          settings.receivesHash(), settings.sendsHash());
    }
  }

  private void heartbeatLoop() {
    try {
      long handshakeDeadline = System.nanoTime()
          + handshakeTimeout(settings.heartbeatInterval(), settings.missedHeartbeats()).toNanos();
      while (!ended.get() && !confirmed) {
        Thread.sleep(settings.heartbeatInterval());
        if (!confirmed && System.nanoTime() - handshakeDeadline > 0) {
          fail("the peer at " + peer() + " did not confirm the handshake within "
              + handshakeTimeout(settings.heartbeatInterval(), settings.missedHeartbeats()).toMillis() + " ms");
          return;
        }
      }
      monitor.frameReceived(); // count silence from confirmation on
      while (!ended.get()) {
        Thread.sleep(settings.heartbeatInterval());
        if (monitor.tick() == HeartbeatMonitor.Action.DEAD) {
          fail("no frame from the peer for " + monitor.missed() + " heartbeat intervals of "
              + settings.heartbeatInterval().toMillis() + " ms");
          return;
        }
        if (pingInFlight.compareAndSet(false, true)) {
          Thread.ofVirtual().name("defpi-conn-" + settings.connectionId() + "-ping").start(() -> {
            try {
              write(PING);
            } catch (IOException e) {
              fail("cannot send a heartbeat: " + e.getMessage());
            } finally {
              pingInFlight.set(false);
            }
          });
        }
      }
    } catch (InterruptedException e) {
      // closed: the thread ends
    }
  }

  private byte[] handshakePayload(ConnectionState state) {
    return HANDSHAKE_CODEC.encode(ConnectionHandshake.newBuilder()
        .setConnectionId(settings.connectionId())
        .setConnectionState(state)
        .setReceiveHash(settings.receivesHash())
        .setSendHash(settings.sendsHash())
        .build());
  }

  static boolean isHandshake(byte[] payload) {
    if (payload.length < HANDSHAKE_PREFIX.length) {
      return false;
    }
    for (int i = 0; i < HANDSHAKE_PREFIX.length; i++) {
      if (payload[i] != HANDSHAKE_PREFIX[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] typePrefix(String name) {
    byte[] ascii = name.getBytes(StandardCharsets.US_ASCII);
    byte[] prefix = new byte[ascii.length + 1];
    prefix[0] = (byte) ascii.length;
    System.arraycopy(ascii, 0, prefix, 1, ascii.length);
    return prefix;
  }
}
