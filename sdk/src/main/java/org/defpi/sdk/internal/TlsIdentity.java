package org.defpi.sdk.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.defpi.wire.tls.TlsNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's TLS identity (docs/wire-additions.md, "TLS"): the certificate and key of the
 * orchestrator's latest answer, if any, and the sockets made with them. Without a certificate the
 * process is plain; once it holds one, management and {@code tls} data connections run in TLS 1.3
 * with both sides authenticated.
 *
 * <p>Every handshake reads the credentials current at that moment: {@link CurrentKeyManager}
 * presents the newest certificate and {@link PeerTrustManager} trusts the newest answer's CA. Each
 * socket gets a fresh {@link SSLContext}, so no session is ever resumed: a resumed TLS 1.3 session
 * would skip both, and keep presenting a certificate the renewal replaced. Making a context costs
 * about 0.1 ms (measured), little beside the handshake's key exchange and signatures, and sockets
 * are made only when a connection starts or comes back. Established connections never look at the
 * credentials again: a renewal does not disturb them.
 *
 * <p>Peers are identified by the URI names in their certificates, never by host name (a moved
 * process keeps its id, not its address), so endpoint identification is off and the URI check in
 * {@link PeerTrustManager} is what authenticates.
 */
final class TlsIdentity {
  private static final Logger log = LoggerFactory.getLogger(TlsIdentity.class);

  /** One certificate the process held, numbered so a handshake's key and chain come from the same one. */
  record Generation(int number, Credentials credentials, X509ExtendedTrustManager pkix) {
    String alias() {
      return "defpi-" + number;
    }
  }

  private final String userId;
  private final SecureRandom random = new SecureRandom();
  private final AtomicInteger generations = new AtomicInteger();
  private volatile Generation current; // null: no certificate, the process is plain
  private volatile Generation previous; // a handshake that chose its alias just before a renewal

  /** @param userId this process's user: a data connection's peer must name it too */
  TlsIdentity(String userId) {
    this.userId = userId;
  }

  /** An identity that holds no certificate until one is installed: a plain process. */
  static TlsIdentity none() {
    return new TlsIdentity("");
  }

  /** Whether the process holds a certificate (and so speaks TLS). */
  boolean held() {
    return current != null;
  }

  /** The credentials in use, if any. */
  Optional<Credentials> credentials() {
    Generation g = current;
    return g == null ? Optional.empty() : Optional.of(g.credentials());
  }

  /** Makes {@code credentials} the ones new handshakes use; established connections keep theirs. */
  void install(Credentials credentials) throws GeneralSecurityException {
    Generation old = current;
    X509ExtendedTrustManager pkix = old != null && old.credentials().authority().equals(credentials.authority())
        ? old.pkix() : pkix(credentials.authority());
    Generation next = new Generation(generations.incrementAndGet(), credentials, pkix);
    previous = old;
    current = next;
  }

  /** The orchestrator no longer issues certificates: plain from now on. */
  void drop() {
    previous = current;
    current = null;
  }

  Generation current() {
    return current;
  }

  /** The credentials a key manager alias stands for, while they are current or just replaced. */
  Optional<Credentials> credentials(String alias) {
    for (Generation g : new Generation[] {current, previous}) {
      if (g != null && g.alias().equals(alias)) {
        return Optional.of(g.credentials());
      }
    }
    return Optional.empty();
  }

  /** The names a management peer must carry: the orchestrator's. */
  static Set<URI> orchestrator() {
    return Set.of(TlsNames.ORCHESTRATOR);
  }

  /**
   * The names a data connection's peer must carry: the process the orchestrator said is at the
   * other end, and this process's own user (a process never talks TLS to another user's).
   *
   * @throws IllegalArgumentException {@code remoteProcessId} is no id (e.g. empty)
   */
  Set<URI> peer(String remoteProcessId) {
    return Set.of(TlsNames.process(remoteProcessId), TlsNames.user(userId));
  }

  /**
   * The server side of a TLS handshake on an accepted socket; the client must present a
   * certificate naming every URI of {@code peer}. On failure the socket is closed.
   *
   * @param consumed bytes already read from {@code transport} (the first byte, on the management
   *     port), or null
   * @param timeout the whole handshake's bound: a silent or trickling client is cut off then
   */
  SSLSocket accept(Socket transport, byte[] consumed, Set<URI> peer, Duration timeout) throws IOException {
    InputStream replay = consumed == null ? null : new ByteArrayInputStream(consumed);
    bufferInput(transport);
    SSLSocket ssl = (SSLSocket) context(peer).getSocketFactory().createSocket(transport, replay, true);
    SSLParameters parameters = parameters(ssl);
    parameters.setNeedClientAuth(true);
    ssl.setSSLParameters(parameters);
    return handshake(ssl, transport, timeout);
  }

  /** The client side of a TLS handshake on a connected socket; on failure the socket is closed. */
  SSLSocket connect(Socket transport, String host, int port, Set<URI> peer, Duration timeout) throws IOException {
    bufferInput(transport);
    SSLSocket ssl = (SSLSocket) context(peer).getSocketFactory().createSocket(transport, host, port, true);
    ssl.setUseClientMode(true);
    ssl.setSSLParameters(parameters(ssl));
    return handshake(ssl, transport, timeout);
  }

  /** See {@link Transport}: without it, every record costs two reads from the socket. */
  private static void bufferInput(Socket transport) {
    if (transport instanceof Transport t) {
      t.buffer();
    }
  }

  private SSLContext context(Set<URI> peer) throws IOException {
    if (current == null) {
      throw new SSLException("this process holds no certificate");
    }
    try {
      SSLContext context = SSLContext.getInstance(TlsNames.PROTOCOL);
      context.init(new KeyManager[] {new CurrentKeyManager(this)},
          new TrustManager[] {new PeerTrustManager(this, peer)}, random);
      return context;
    } catch (GeneralSecurityException e) {
      throw new SSLException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static SSLParameters parameters(SSLSocket ssl) {
    SSLParameters parameters = ssl.getSSLParameters();
    parameters.setProtocols(new String[] {TlsNames.PROTOCOL});
    parameters.setEndpointIdentificationAlgorithm(null); // peers are named by URI, checked by PeerTrustManager
    return parameters;
  }

  /**
   * Runs the handshake, bounded as a whole by a watchdog that closes the transport: a socket
   * timeout alone would let a client that trickles a byte now and then hold the socket for ever.
   */
  private static SSLSocket handshake(SSLSocket ssl, Socket transport, Duration timeout) throws IOException {
    AtomicInteger outcome = new AtomicInteger(); // 0 running, 1 done, 2 timed out
    Thread watchdog = Thread.ofVirtual().name("defpi-tls-handshake-watchdog").start(() -> {
      try {
        Thread.sleep(timeout);
        if (outcome.compareAndSet(0, 2)) {
          closeQuietly(transport);
        }
      } catch (InterruptedException e) {
        // the handshake ended first
      }
    });
    try {
      ssl.startHandshake();
    } catch (IOException e) {
      outcome.compareAndSet(0, 1);
      closeQuietly(transport);
      if (outcome.get() == 2) {
        throw new SSLException("no TLS handshake within " + timeout.toMillis() + " ms", e);
      }
      throw e;
    } finally {
      watchdog.interrupt();
    }
    if (!outcome.compareAndSet(0, 1)) {
      throw new SSLException("no TLS handshake within " + timeout.toMillis() + " ms");
    }
    return ssl;
  }

  /** The JDK's PKIX trust manager (chain, validity, key usage, extended key usage) for one CA. */
  private static X509ExtendedTrustManager pkix(X509Certificate authority) throws GeneralSecurityException {
    KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      anchors.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot make an empty key store: " + e.getMessage(), e);
    }
    anchors.setCertificateEntry("defpi-authority", authority);
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    factory.init(anchors);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509ExtendedTrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("the JDK's PKIX trust manager factory made no X509ExtendedTrustManager");
  }

  static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("closing {}: {}", socket, e.getMessage());
    }
  }

  @Override
  public String toString() {
    Generation g = current;
    return "TlsIdentity[" + (g == null ? "plain" : g.credentials()) + "]";
  }
}
