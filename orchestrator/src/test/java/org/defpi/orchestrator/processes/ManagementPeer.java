package org.defpi.orchestrator.processes;

import com.google.protobuf.Message;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PushbackInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.defpi.orchestrator.certificate.CertificateAuthority;
import org.defpi.orchestrator.certificate.IssuedCertificate;
import org.defpi.wire.frame.FrameReader;
import org.defpi.wire.frame.FrameWriter;
import org.defpi.wire.message.ProtobufMessageCodec;
import org.defpi.wire.protocol.ConnectionProto;
import org.defpi.wire.protocol.ProcessProto;
import org.defpi.wire.tls.TlsNames;

/**
 * The process side of the management protocol on a real loopback socket, for the connector's
 * tests and those of the managers above it: decodes requests with the real framing and codec and
 * answers through {@code answer} (which may return empty to stay silent).
 *
 * <p>Made with a server {@link SSLContext} ({@link #tls}), it serves as a process that holds a
 * certificate does while it may still be asked in plain (docs/wire-additions.md, "TLS", 3): a
 * connection whose first byte is a TLS handshake record is TLS 1.3 with the client's certificate
 * required, any other is plain.
 */
public final class ManagementPeer implements AutoCloseable {
  public static final ProtobufMessageCodec REQUESTS = ProtobufMessageCodec.of(
      ProcessProto.SetConfigMessage.getDefaultInstance(),
      ProcessProto.GoToProcessStateMessage.getDefaultInstance(),
      ProcessProto.ResumeProcessMessage.getDefaultInstance(),
      ConnectionProto.ConnectionMessage.getDefaultInstance());

  private final ServerSocket server;
  private final Optional<SSLContext> tls;
  private final Function<Message, Optional<Message>> answer;
  /** Per accepted connection: the client's certificate chain when it spoke TLS, empty when plain. */
  public final LinkedBlockingQueue<Optional<Certificate[]>> sessions = new LinkedBlockingQueue<>();
  /** Why a TLS handshake with a client failed, one entry per failure. */
  public final LinkedBlockingQueue<String> refusals = new LinkedBlockingQueue<>();
  public final LinkedBlockingQueue<Message> received = new LinkedBlockingQueue<>();
  final AtomicInteger accepted = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  /** Set to close every connection right after answering (as a restarting process does). */
  volatile boolean closeAfterReply;
  final CountDownLatch firstRequest = new CountDownLatch(1);

  public ManagementPeer(int port, Function<Message, Optional<Message>> answer) throws IOException {
    this(port, Optional.empty(), answer);
  }

  private ManagementPeer(int port, Optional<SSLContext> tls, Function<Message, Optional<Message>> answer)
      throws IOException {
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    this.tls = tls;
    this.answer = answer;
    Thread.ofVirtual().start(this::acceptLoop);
  }

  /** A peer that takes TLS (with {@code context}'s certificate, requiring the client's) or plain. */
  public static ManagementPeer tls(int port, SSLContext context, Function<Message, Optional<Message>> answer)
      throws IOException {
    return new ManagementPeer(port, Optional.of(context), answer);
  }

  /** Answers like a healthy process. */
  public static Optional<Message> healthy(Message request) {
    return Optional.of(switch (request) {
      case ProcessProto.SetConfigMessage m -> ProcessProto.ProcessStateUpdateMessage.newBuilder()
          .setProcessId(m.getProcessId()).setState(ProcessProto.ProcessState.RUNNING).build();
      case ProcessProto.GoToProcessStateMessage m -> ProcessProto.ProcessStateUpdateMessage.newBuilder()
          .setProcessId(m.getProcessId()).setState(m.getTargetState()).build();
      case ConnectionProto.ConnectionMessage m -> ConnectionProto.ConnectionHandshake.newBuilder()
          .setConnectionId(m.getConnectionId()).setConnectionState(ConnectionProto.ConnectionState.CONNECTED).build();
      default -> ProcessProto.ErrorMessage.newBuilder().setProcessId("?").setDebugInformation("unexpected").build();
    });
  }

  /**
   * What a process built with our SDK holds: a key pair of its own with a certificate from
   * {@code issuer} naming {@code processId}, and {@code trusted} as the authority it trusts.
   */
  public static SSLContext processContext(CertificateAuthority issuer, String processId, String userId,
      CertificateAuthority trusted) throws Exception {
    KeyPair pair = CertificateAuthority.newKeyPair(new SecureRandom());
    IssuedCertificate issued = issuer.issue(pair.getPublic(), processId,
        List.of(TlsNames.process(processId), TlsNames.user(userId)), java.time.Instant.now(), Duration.ofHours(1));
    char[] password = "test".toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("process", pair.getPrivate(), password, new Certificate[] {issued.certificate()});
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, password);
    KeyStore anchors = KeyStore.getInstance("PKCS12");
    anchors.load(null, null);
    anchors.setCertificateEntry("authority", trusted.certificate());
    TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
    trust.init(anchors);
    SSLContext context = SSLContext.getInstance(TlsNames.PROTOCOL);
    context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }

  public int port() {
    return server.getLocalPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
  }

  public Message nextRequest() throws InterruptedException {
    Message m = received.poll(10, TimeUnit.SECONDS);
    if (m == null) {
      throw new AssertionError("no request within 10 s");
    }
    return m;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        accepted.incrementAndGet();
        sockets.add(s);
        Thread.ofVirtual().start(() -> serve(s));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket accepted) {
    try (Socket s = secure(accepted)) {
      if (s == null) {
        return;
      }
      FrameReader reader = new FrameReader(s.getInputStream());
      FrameWriter writer = new FrameWriter(s.getOutputStream());
      while (true) {
        Optional<byte[]> frame = reader.read();
        if (frame.isEmpty()) {
          return;
        }
        Message request = REQUESTS.decode(frame.get());
        received.add(request);
        firstRequest.countDown();
        Optional<Message> reply = answer.apply(request);
        if (reply.isPresent()) {
          writer.write(REQUESTS.encode(reply.get()));
          if (closeAfterReply) {
            return;
          }
        }
      }
    } catch (Exception e) {
      // the client went away or the test closed the peer
    }
  }


  /**
   * The socket to speak frames on: by its first byte, a TLS server socket (handshaken, the client's
   * certificate recorded) or the plain one; null when the TLS handshake failed.
   */
  private Socket secure(Socket s) throws IOException {
    if (tls.isEmpty()) {
      sessions.add(Optional.empty());
      return s;
    }
    PushbackInputStream in = new PushbackInputStream(s.getInputStream(), 1);
    int first = in.read();
    if (first != TlsNames.TLS_HANDSHAKE_RECORD) {
      if (first >= 0) {
        in.unread(first);
      }
      sessions.add(Optional.empty());
      return new Socket() {
        @Override
        public java.io.InputStream getInputStream() {
          return in;
        }

        @Override
        public java.io.OutputStream getOutputStream() throws IOException {
          return s.getOutputStream();
        }

        @Override
        public synchronized void close() throws IOException {
          s.close();
        }
      };
    }
    SSLSocket secure = (SSLSocket) tls.get().getSocketFactory()
        .createSocket(s, new ByteArrayInputStream(new byte[] {(byte) first}), true);
    sockets.add(secure);
    secure.setUseClientMode(false);
    secure.setNeedClientAuth(true);
    secure.setEnabledProtocols(new String[] {TlsNames.PROTOCOL});
    try {
      secure.startHandshake();
      // TLS 1.3: the client's certificate is checked after the client finished; reading makes sure.
      sessions.add(Optional.of(secure.getSession().getPeerCertificates()));
      return secure;
    } catch (IOException e) {
      refusals.add(e.getMessage());
      secure.close();
      return null;
    }
  }

  /** Drops every open connection, as a container that restarts does. */
  public void dropConnections() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    sockets.clear();
  }

  @Override
  public void close() throws IOException {
    server.close();
    dropConnections();
  }
}
