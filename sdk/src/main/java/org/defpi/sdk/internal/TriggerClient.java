package org.defpi.sdk.internal;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import org.defpi.sdk.DefPiParameters;
import org.defpi.wire.tls.TlsNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trigger call of WIRE.md section 4: {@code PUT /process/trigger/{processId}} with {@code
 * X-Auth-Token}, answered 204, after which the orchestrator connects to the management port.
 *
 * <p>dEF-Pi's runtime gave up after one failed call; we retry with capped back-off until a
 * deadline, because an orchestrator that is restarting, or does not know the process yet, is a
 * passing condition. The token is sent, never logged. A process that holds a certificate says so
 * with {@code X-Defpi-Tls: 1} (docs/wire-additions.md, "TLS", 2); the orchestrator then speaks TLS to
 * its management port.
 *
 * <p>{@link HttpURLConnection}, not {@code java.net.http.HttpClient}: this is the first thing a
 * process does, and the latter's first request costs some 250 ms more in a fresh JVM (measured:
 * 290 ms against 38 ms), all of it on the way to RUNNING.
 */
final class TriggerClient {
  private static final Logger log = LoggerFactory.getLogger(TriggerClient.class);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  static final Backoff BACKOFF = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));

  private final URI uri;
  private final String token;
  private final Duration timeout;

  TriggerClient(DefPiParameters parameters, Duration timeout) {
    this.uri = triggerUri(parameters);
    this.token = parameters.orchestratorToken();
    this.timeout = timeout;
  }

  static URI triggerUri(DefPiParameters p) {
    try {
      return new URI("http", null, p.orchestratorHost(), p.orchestratorPort(),
          "/process/trigger/" + p.processId(), null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot build the trigger URL from orchestrator host '"
          + p.orchestratorHost() + "' and process id '" + p.processId() + "': " + e.getMessage(), e);
    }
  }

  URI uri() {
    return uri;
  }

  /**
   * Calls until the orchestrator answers 204 or the timeout passes.
   *
   * @throws IllegalStateException the timeout passed; the message says what the last attempt got
   */
  void trigger() throws InterruptedException {
    trigger(false, System.nanoTime() + timeout.toNanos());
  }

  /**
   * Calls until the orchestrator answers 204 or {@code deadline} ({@link System#nanoTime()}) passes:
   * the start-up's deadline, which the certificate request shares.
   *
   * @param tls whether to say {@code X-Defpi-Tls: 1}: the process holds a certificate
   * @throws IllegalStateException the deadline passed; the message says what the last attempt got
   */
  void trigger(boolean tls, long deadline) throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      String failure;
      try {
        int status = put(tls);
        if (status == 204) {
          log.info("trigger call to {}{} answered 204; waiting for the orchestrator", uri,
              tls ? " (" + TlsNames.TLS_HEADER + ": 1)" : "");
          return;
        }
        failure = "HTTP " + status;
      } catch (IOException e) {
        failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      }
      Duration delay = BACKOFF.delay(attempt);
      if (System.nanoTime() + delay.toNanos() - deadline > 0) {
        throw new IllegalStateException("trigger call PUT " + uri + " did not succeed within "
            + ProcessController.readable(timeout) + " (" + (attempt + 1) + " attempts, last: " + failure + ")");
      }
      log.warn("trigger call to {} failed ({}); retrying in {} ms", uri, failure, delay.toMillis());
      Thread.sleep(delay);
    }
  }

  /** One {@code PUT} with an empty body; its status. */
  private int put(boolean tls) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    try {
      int millis = (int) REQUEST_TIMEOUT.toMillis();
      connection.setConnectTimeout(millis);
      connection.setReadTimeout(millis);
      connection.setUseCaches(false);
      connection.setRequestMethod("PUT");
      connection.setRequestProperty("X-Auth-Token", token);
      if (tls) {
        connection.setRequestProperty(TlsNames.TLS_HEADER, "1");
      }
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(0); // Content-Length: 0
      connection.getOutputStream().close();
      int status = connection.getResponseCode();
      // Read what came (a refusal's problem text) so the connection can be reused, then let it go.
      try (var body = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
        if (body != null) {
          body.readAllBytes();
        }
      }
      return status;
    } finally {
      connection.disconnect();
    }
  }
}
