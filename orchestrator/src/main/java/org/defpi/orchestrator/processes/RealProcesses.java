package org.defpi.orchestrator.processes;

import com.google.protobuf.Message;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import org.defpi.orchestrator.process.Processes;
import org.defpi.wire.frame.CorruptedFrameException;
import org.defpi.wire.frame.FrameReader;
import org.defpi.wire.frame.FrameWriter;
import org.defpi.wire.frame.Heartbeat;
import org.defpi.wire.message.ProtobufMessageCodec;
import org.defpi.wire.message.UnknownMessageException;
import org.defpi.wire.protocol.ConnectionProto;
import org.defpi.wire.protocol.ProcessProto;
import org.defpi.wire.tls.TlsNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management protocol client (WIRE.md section 6): TCP to {@code <processId>:4999}, frames of
 * section 5 holding name-prefixed protobuf messages, strict request/reply.
 *
 * <p>One channel per process, kept open between requests and guarded by a lock, so a process never
 * has two outstanding requests. A channel whose socket broke (the container restarted) is
 * reconnected and the request sent again once: the requests are safe to repeat (SetConfig
 * initialises afresh, CREATE on a known connection answers CONNECTED). Connecting is retried with
 * {@link Backoff} until the call's budget runs out, since a process may still be starting.
 *
 * <p>A process whose last trigger said it holds a certificate is reached in TLS 1.3
 * ({@link Transport#TLS}, docs/wire-additions.md "TLS" 3): the orchestrator presents its own
 * certificate ({@link Tls#identity()}) and accepts the process's only when it chains to the
 * authority and names {@code urn:defpi:process:<the id called>} ({@link PeerTrust}); inside, the
 * frames are the same. A channel open in the other transport is closed and opened anew.
 */
public final class RealProcesses implements Processes, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RealProcesses.class);
  /** The replies a process sends; decoding anything else is a protocol error. */
  static final ProtobufMessageCodec REPLIES = ProtobufMessageCodec.of(
      ProcessProto.ProcessStateUpdateMessage.getDefaultInstance(),
      ProcessProto.ErrorMessage.getDefaultInstance(),
      ConnectionProto.ConnectionHandshake.getDefaultInstance());
  public static final int MANAGEMENT_PORT = 4999;

  /** Waits between connect attempts; tests pass one that also acts. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /**
   * What TLS connections present and trust.
   *
   * @param identity the orchestrator's own certificate and key (renewed as it goes)
   * @param authority the deployment's authority: a process's certificate must chain to it
   */
  public record Tls(X509ExtendedKeyManager identity, X509Certificate authority) {
    public Tls {
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(authority, "authority");
    }
  }

  /**
   * @param addressOf where a process listens, looked up afresh for every connect attempt (DNS: the
   *     process id is its host name)
   * @param tls what TLS connections present and trust; empty: this orchestrator speaks plain TCP
   *     only (DEFPI_TLS=off)
   */
  public record Settings(Function<String, InetSocketAddress> addressOf, Duration connectTimeout, Backoff backoff,
      Optional<Tls> tls) {
    public Settings {
      Objects.requireNonNull(addressOf, "addressOf");
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      Objects.requireNonNull(backoff, "backoff");
      Objects.requireNonNull(tls, "tls");
    }

    /** Plain TCP only. */
    public Settings(Function<String, InetSocketAddress> addressOf, Duration connectTimeout, Backoff backoff) {
      this(addressOf, connectTimeout, backoff, Optional.empty());
    }

    /** Processes reached by their process id as host name on port 4999. */
    public static Settings byHostName(Duration connectTimeout, Backoff backoff, Optional<Tls> tls) {
      return new Settings(id -> new InetSocketAddress(id, MANAGEMENT_PORT), connectTimeout, backoff, tls);
    }
  }

  private final Settings settings;
  private final Sleeper sleeper;
  private final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();
  /** Processes reached at the address their container called from (see {@link #pin}), not by name. */
  private final ConcurrentHashMap<String, java.net.InetAddress> pinned = new ConcurrentHashMap<>();

  public RealProcesses(Settings settings, Sleeper sleeper) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
  }

  public RealProcesses(Settings settings) {
    this(settings, d -> TimeUnit.NANOSECONDS.sleep(d.toNanos()));
  }

  @Override
  public Message call(String processId, Transport transport, Message request, Duration budget)
      throws ManagementException, InterruptedException {
    Objects.requireNonNull(transport, "transport");
    if (transport == Transport.TLS && settings.tls().isEmpty()) {
      throw new ManagementException("process " + processId + " holds a certificate, but this orchestrator speaks"
          + " no TLS (DEFPI_TLS=off): restart the process to have it plain");
    }
    long deadline = System.nanoTime() + budget.toNanos();
    Channel channel = channels.computeIfAbsent(processId, Channel::new);
    if (!channel.lock.tryLock(budget.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new ManagementException("the previous request to process " + processId + " still waits for its reply");
    }
    try {
      channel.checkOpen();
      boolean fresh = channel.connectIfNeeded(transport, deadline);
      try {
        return channel.exchange(request, deadline);
      } catch (StaleChannelException e) {
        if (fresh) {
          throw new ManagementException("process " + processId + " closed the management connection: " + e.getMessage(), e);
        }
        LOG.debug("management connection to {} was stale ({}); reconnecting", processId, e.getMessage());
        channel.connectIfNeeded(transport, deadline);
        try {
          return channel.exchange(request, deadline);
        } catch (StaleChannelException again) {
          throw new ManagementException("process " + processId + " closed the management connection: " + again.getMessage(), again);
        }
      }
    } finally {
      channel.lock.unlock();
    }
  }

  @Override
  public void forget(String processId) {
    pinned.remove(processId);
    Channel channel = channels.remove(processId);
    if (channel != null) {
      channel.forget();
    }
  }

  @Override
  public void pin(String processId, java.net.InetAddress address) {
    if (address.equals(pinned.put(processId, address))) {
      return;
    }
    Channel channel = channels.get(processId);
    if (channel != null) {
      channel.lock.lock();
      try {
        channel.closeSocket(); // open to whatever the name gave, or to an older container
      } finally {
        channel.lock.unlock();
      }
    }
  }

  @Override
  public void terminateAt(String processId, Transport transport, java.net.InetAddress address, Duration budget)
      throws ManagementException, InterruptedException {
    if (transport == Transport.TLS && settings.tls().isEmpty()) {
      throw new ManagementException("process " + processId + " holds a certificate, but this orchestrator speaks no TLS");
    }
    long deadline = System.nanoTime() + budget.toNanos();
    Channel once = new Channel(processId, new InetSocketAddress(address, MANAGEMENT_PORT));
    try {
      once.connectIfNeeded(transport, deadline);
      once.exchange(ProcessProto.GoToProcessStateMessage.newBuilder().setProcessId(processId)
          .setTargetState(ProcessProto.ProcessState.TERMINATED).build(), deadline);
    } catch (StaleChannelException e) {
      throw new ManagementException("the instance of process " + processId + " at " + address.getHostAddress()
          + " closed the connection: " + e.getMessage(), e);
    } finally {
      once.closeSocket();
    }
  }

  /** Where the process is reached: the address it was pinned to, else as the settings say. */
  private InetSocketAddress addressOf(String processId) {
    java.net.InetAddress at = pinned.get(processId);
    return at != null ? new InetSocketAddress(at, MANAGEMENT_PORT) : settings.addressOf().apply(processId);
  }

  @Override
  public void close() {
    channels.keySet().forEach(this::forget);
  }

  /** The socket broke before a reply started: the request can safely be sent again on a new one. */
  private static final class StaleChannelException extends Exception {
    StaleChannelException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final class Channel {
    final String processId;
    /** Set for a one-off channel to one instance ({@link #terminateAt}); else {@link #addressOf}. */
    final InetSocketAddress fixed;
    final ReentrantLock lock = new ReentrantLock();
    private volatile boolean forgotten;
    private volatile Socket socket; // written under lock; read by forget() to unblock a read
    private Transport transport; // of the open socket
    private FrameReader reader;
    private FrameWriter writer;

    Channel(String processId) {
      this(processId, null);
    }

    Channel(String processId, InetSocketAddress fixed) {
      this.processId = processId;
      this.fixed = fixed;
    }

    void checkOpen() throws ManagementException {
      if (forgotten) {
        throw new ManagementException("process " + processId + " is being removed");
      }
    }

    /** Connects unless connected in {@code wanted}; true when it made a new connection. */
    boolean connectIfNeeded(Transport wanted, long deadline) throws ManagementException, InterruptedException {
      if (socket != null && transport == wanted) {
        return false;
      }
      if (socket != null) {
        // Its last trigger said otherwise: a new container, with or without a certificate.
        LOG.debug("management connection to {} was {}; reconnecting in {}", processId, transport, wanted);
        closeSocket();
      }
      int failures = 0;
      while (true) {
        checkOpen();
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw new ManagementException("cannot connect to the management port of process " + processId
              + " after " + failures + " attempts");
        }
        Socket s = new Socket();
        try {
          InetSocketAddress address = fixed != null ? fixed : addressOf(processId);
          if (address.isUnresolved()) {
            throw new UnknownHostException(address.getHostString());
          }
          int timeout = (int) Math.max(1, Math.min(settings.connectTimeout().toMillis(), TimeUnit.NANOSECONDS.toMillis(remaining)));
          s.connect(address, timeout);
          s.setTcpNoDelay(true);
          if (wanted == Transport.TLS) {
            s = handshake(s, address, deadline);
          }
          reader = new FrameReader(s.getInputStream());
          writer = new FrameWriter(s.getOutputStream());
          socket = s;
          transport = wanted;
          if (forgotten) { // forget() ran while we connected
            closeSocket();
            checkOpen();
          }
          return true;
        } catch (UnknownHostException | ConnectException | NoRouteToHostException | SocketTimeoutException e) {
          closeQuietly(s);
          failures++;
          Duration wait = settings.backoff().delayAfter(failures);
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new ManagementException("cannot connect to the management port of process " + processId + " after "
                + failures + " attempts: " + e, e);
          }
          sleeper.sleep(Duration.ofNanos(Math.min(wait.toNanos(), left)));
        } catch (SSLException e) {
          closeQuietly(s);
          throw new ManagementException("the TLS handshake with the management port of process " + processId
              + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
          closeQuietly(s);
          throw new ManagementException("cannot connect to the management port of process " + processId + ": " + e, e);
        }
      }
    }

    /**
     * TLS 1.3 over the connected {@code plain} socket, handshaken within the budget: presenting the
     * orchestrator's certificate, trusting only a certificate of the authority naming this process.
     */
    private SSLSocket handshake(Socket plain, InetSocketAddress address, long deadline) throws IOException {
      Tls tls = settings.tls().orElseThrow();
      SSLContext context;
      try {
        context = SSLContext.getInstance(TlsNames.PROTOCOL);
        context.init(new KeyManager[] {tls.identity()},
            new TrustManager[] {new PeerTrust(tls.authority(), TlsNames.process(processId))}, null);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK speaks " + TlsNames.PROTOCOL, e);
      }
      SSLSocket secure = (SSLSocket) context.getSocketFactory().createSocket(plain, address.getHostString(),
          address.getPort(), true);
      try {
        secure.setUseClientMode(true);
        secure.setEnabledProtocols(new String[] {TlsNames.PROTOCOL});
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        secure.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, remaining)));
        secure.startHandshake();
        return secure;
      } catch (IOException | RuntimeException e) {
        closeQuietly(secure);
        throw e;
      }
    }

    Message exchange(Message request, long deadline) throws ManagementException, StaleChannelException {
      Socket s = socket;
      boolean replyStarted = false;
      try {
        writer.write(REPLIES.encode(request)); // encoding needs no parser table
        while (true) {
          long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          if (remaining <= 0) {
            throw new SocketTimeoutException("budget spent");
          }
          s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remaining));
          Optional<byte[]> frame;
          try {
            frame = reader.read();
          } catch (CorruptedFrameException e) {
            LOG.warn("process {} sent a corrupted frame: {}", processId, e.getMessage());
            continue; // the reader resynchronised on the next end-of-message byte
          }
          if (frame.isEmpty()) {
            throw new EOFException("end of stream");
          }
          replyStarted = true;
          byte[] payload = frame.get();
          if (Heartbeat.isHeartbeat(payload)) {
            if (payload[0] == Heartbeat.PING) {
              writer.writeHeartbeat(Heartbeat.PONG);
            }
            continue;
          }
          return REPLIES.decode(payload);
        }
      } catch (SocketTimeoutException e) {
        // A late reply would be taken for the answer to the next request: start afresh.
        closeSocket();
        throw new ManagementException("process " + processId + " did not answer "
            + request.getDescriptorForType().getName() + " in time", e);
      } catch (UnknownMessageException e) {
        closeSocket();
        throw new ManagementException("process " + processId + " broke the protocol: " + e.getMessage(), e);
      } catch (IOException e) {
        closeSocket();
        if (forgotten) {
          throw new ManagementException("process " + processId + " is being removed", e);
        }
        if (!replyStarted) {
          throw new StaleChannelException(e.toString(), e);
        }
        throw new ManagementException("the management connection to process " + processId + " broke: " + e, e);
      }
    }

    void forget() {
      forgotten = true;
      closeSocket();
    }

    private void closeSocket() {
      Socket s = socket;
      socket = null;
      if (s != null) {
        closeQuietly(s);
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // Closing a socket we give up on: nothing to do about a failure.
    }
  }
}
