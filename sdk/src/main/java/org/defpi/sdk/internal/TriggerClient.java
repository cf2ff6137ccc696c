package org.defpi.sdk.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.defpi.sdk.DefPiParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trigger call of WIRE.md section 4: {@code PUT /process/trigger/{processId}} with {@code
 * X-Auth-Token}, answered 204, after which the orchestrator connects to the management port.
 *
 * <p>dEF-Pi's runtime gave up after one failed call; we retry with capped back-off until a
 * deadline, because an orchestrator that is restarting, or does not know the process yet, is a
 * passing condition. The token is sent, never logged.
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
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(REQUEST_TIMEOUT)
        .header("X-Auth-Token", token)
        .PUT(HttpRequest.BodyPublishers.noBody())
        .build();
    try (HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(REQUEST_TIMEOUT)
        .build()) {
      for (int attempt = 0; ; attempt++) {
        String failure;
        try {
          HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
          if (response.statusCode() == 204) {
            log.info("trigger call to {} answered 204; waiting for the orchestrator", uri);
            return;
          }
          failure = "HTTP " + response.statusCode();
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
  }
}
