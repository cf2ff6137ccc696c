package org.defpi.sdk.internal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the process's certificate at each {@code renewAfter}, with a new key pair, on its own
 * virtual thread (docs/wire-additions.md, "TLS", 1). New handshakes then use the new certificate and
 * trust the new answer's CA; established connections go on untouched.
 *
 * <ul>
 *   <li>A failed renewal is retried with back-off (1 s doubling to a minute), said at WARN each
 *       time while the old certificate is valid. Once it has expired, handshakes fail: one ERROR
 *       line says so, and the attempts go on at the same pace, since a renewal is the only way back.
 *   <li>404 or 405: the orchestrator no longer issues certificates (it restarted with TLS off). The
 *       certificate is dropped and the process is plain from then on, as if it had started under
 *       that orchestrator: its management port takes plain connections, which is what such an
 *       orchestrator makes. Established TLS connections go on until they end.
 * </ul>
 */
final class CertificateRenewer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CertificateRenewer.class);
  static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

  private final CertificateClient client;
  private final TlsIdentity identity;
  private final Clock clock;
  private final Backoff backoff;
  private volatile Thread thread;

  CertificateRenewer(CertificateClient client, TlsIdentity identity, Clock clock) {
    this(client, identity, clock, BACKOFF);
  }

  CertificateRenewer(CertificateClient client, TlsIdentity identity, Clock clock, Backoff backoff) {
    this.client = client;
    this.identity = identity;
    this.clock = clock;
    this.backoff = backoff;
  }

  /** Starts the renewal thread. */
  void start() {
    thread = Thread.ofVirtual().name("defpi-certificate-renewer").start(this::loop);
  }

  /** Stops renewing; safe to call more than once. */
  @Override
  public void close() {
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  private void loop() {
    try {
      while (true) {
        Credentials held = identity.credentials().orElse(null);
        if (held == null) {
          return;
        }
        Duration wait = Duration.between(clock.instant(), held.renewAfter());
        if (wait.isPositive()) {
          Thread.sleep(wait);
        }
        if (!renew(held)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      // closed: the thread ends
    }
  }

  /** Asks until a certificate comes (true) or the orchestrator says it issues none (false). */
  private boolean renew(Credentials held) throws InterruptedException {
    KeyPair keys = CertificateClient.newKeyPair();
    boolean expirySaid = false;
    for (int attempt = 0; ; attempt++) {
      String failure;
      switch (client.request(keys)) {
        case CertificateClient.Answer.Issued issued -> {
          try {
            identity.install(issued.credentials());
            Credentials c = issued.credentials();
            log.info("certificate renewed: serial {} replaces {}, valid until {}, next renewal at {}", c.serial(),
                held.serial(), c.notAfter(), c.renewAfter());
            return true;
          } catch (GeneralSecurityException e) {
            failure = "cannot trust the answer's CA certificate: " + e.getMessage();
          }
        }
        case CertificateClient.Answer.NoTls noTls -> {
          identity.drop();
          log.warn("the orchestrator no longer issues certificates (POST {} answered HTTP {}): this process is "
              + "plain from now on; its established TLS connections go on", client.uri(), noTls.status());
          return false;
        }
        case CertificateClient.Answer.Failed failed -> failure = failed.reason();
      }
      Duration delay = backoff.delay(attempt);
      Instant now = clock.instant();
      if (now.isBefore(held.notAfter())) {
        log.warn("certificate renewal failed ({}); serial {} stays in use until it expires at {}; retrying in {} ms",
            failure, held.serial(), held.notAfter(), delay.toMillis());
      } else if (!expirySaid) {
        expirySaid = true;
        log.error("the certificate (serial {}) expired at {} and could not be renewed ({}): new TLS handshakes "
            + "fail until a renewal succeeds; retrying every {} at most", held.serial(), held.notAfter(), failure,
            ProcessController.readable(backoff.max()));
      } else {
        log.debug("certificate renewal failed ({}); retrying in {} ms", failure, delay.toMillis());
      }
      Thread.sleep(delay);
    }
  }

  @Override
  public String toString() {
    return "CertificateRenewer[" + client.uri() + "]";
  }
}
