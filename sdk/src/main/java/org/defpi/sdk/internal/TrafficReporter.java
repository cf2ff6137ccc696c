package org.defpi.sdk.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.defpi.sdk.ConnectionState;
import org.defpi.sdk.ConnectionTraffic;
import org.defpi.sdk.DefPiParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports the traffic of this process's data connections to the orchestrator: {@code PUT
 * /process/{processId}/traffic} with {@code X-Auth-Token} (the trigger call's token and address) and
 * a JSON body of cumulative counters per connection. An addition to WIRE.md, not part of it:
 *
 * <ul>
 *   <li>204: fine; the answer's {@code X-Defpi-Report-Interval} (seconds) is the wait before the
 *       next report, so a busy orchestrator can slow its processes down.
 *   <li>404 or 405: an original dEF-Pi orchestrator, which has no such route. Reporting stops for
 *       good, said once at INFO.
 *   <li>anything else, or no answer: tried again later with capped back-off, quietly (DEBUG), since
 *       an orchestrator that restarts is a passing condition and traffic is not worth a warning.
 * </ul>
 *
 * Runs on its own virtual thread: user code and the management channel never wait for it. The
 * first report goes at once (with whatever connections exist), so the orchestrator learns early
 * that this process reports. The token is sent, never logged.
 */
final class TrafficReporter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TrafficReporter.class);
  static final String INTERVAL_HEADER = "X-Defpi-Report-Interval";
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
  /** Bounds on what the orchestrator may ask: never a busy loop, never silent for hours. */
  static final Duration MIN_INTERVAL = Duration.ofMillis(50);
  static final Duration MAX_INTERVAL = Duration.ofMinutes(10);
  static final Duration MAX_FAILURE_DELAY = Duration.ofMinutes(1);
  private static final int REQUEST_TIMEOUT_MILLIS = 5000;

  /** One connection's line in a report; {@code encrypted}: it runs in TLS (an addition, docs/wire-additions.md). */
  record Entry(String connectionId, ConnectionState state, ConnectionTraffic traffic, boolean encrypted) {
    Entry {
      Objects.requireNonNull(connectionId, "connectionId");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(traffic, "traffic");
    }

    /** A plain connection's line. */
    Entry(String connectionId, ConnectionState state, ConnectionTraffic traffic) {
      this(connectionId, state, traffic, false);
    }
  }

  /** What to do after one attempt. */
  sealed interface Next {
    /** Reported; the next in {@code after}. */
    record Again(Duration after) implements Next {}

    /** Failed; try again after {@code after}. */
    record Retry(Duration after) implements Next {}

    /** The orchestrator has no traffic route: never again. */
    record Stop(int status) implements Next {}
  }

  private final URI uri;
  private final String token;
  private final Supplier<List<Entry>> source;
  private volatile Thread thread;

  TrafficReporter(DefPiParameters parameters, Supplier<List<Entry>> source) {
    this.uri = trafficUri(parameters);
    this.token = parameters.orchestratorToken();
    this.source = Objects.requireNonNull(source, "source");
  }

  static URI trafficUri(DefPiParameters p) {
    try {
      return new URI("http", null, p.orchestratorHost(), p.orchestratorPort(),
          "/process/" + p.processId() + "/traffic", null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot build the traffic URL from orchestrator host '"
          + p.orchestratorHost() + "' and process id '" + p.processId() + "': " + e.getMessage(), e);
    }
  }

  /** Starts the reporting thread. */
  void start() {
    thread = Thread.ofVirtual().name("defpi-traffic-reporter").start(this::loop);
  }

  /** Stops reporting; safe to call more than once. */
  @Override
  public void close() {
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  /** Whether the reporting thread has ended (stopped for good, or closed). */
  boolean ended() {
    Thread t = thread;
    return t != null && !t.isAlive();
  }

  private void loop() {
    Duration interval = DEFAULT_INTERVAL;
    int failures = 0;
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Optional<Integer> status;
        String intervalHeader = null;
        try {
          HttpURLConnection connection = put(json(source.get()));
          try {
            status = Optional.of(connection.getResponseCode());
            intervalHeader = connection.getHeaderField(INTERVAL_HEADER);
            drain(connection, status.get());
          } finally {
            connection.disconnect();
          }
        } catch (IOException e) {
          status = Optional.empty();
          log.debug("traffic report to {} failed: {}", uri, e.toString());
        }
        Next next = next(status, intervalHeader, interval, failures);
        switch (next) {
          case Next.Stop stop -> {
            log.info("the orchestrator has no traffic route (PUT {} answered HTTP {}): not reporting traffic",
                uri, stop.status());
            return;
          }
          case Next.Again again -> {
            interval = again.after();
            failures = 0;
            Thread.sleep(again.after());
          }
          case Next.Retry retry -> {
            failures++;
            status.ifPresent(s -> log.debug("traffic report to {} answered HTTP {}; retrying in {} ms", uri, s,
                retry.after().toMillis()));
            Thread.sleep(retry.after());
          }
        }
      }
    } catch (InterruptedException e) {
      // closed: the thread ends
    }
  }

  /**
   * What follows an attempt that got {@code status} (empty: no answer), given the interval in use
   * and the failures in a row before it. Pure.
   */
  static Next next(Optional<Integer> status, String intervalHeader, Duration interval, int failuresBefore) {
    if (status.isPresent() && (status.get() == 404 || status.get() == 405)) {
      return new Next.Stop(status.get());
    }
    if (status.isPresent() && status.get() >= 200 && status.get() < 300) {
      return new Next.Again(interval(intervalHeader).orElse(DEFAULT_INTERVAL));
    }
    // Back off from the interval in use, doubling, to a minute (or the interval, if longer).
    Duration cap = interval.compareTo(MAX_FAILURE_DELAY) > 0 ? interval : MAX_FAILURE_DELAY;
    return new Next.Retry(new Backoff(interval, cap).delay(failuresBefore));
  }

  /** The orchestrator's interval header: decimal seconds, clamped; empty when absent or unreadable. */
  static Optional<Duration> interval(String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    BigDecimal seconds;
    try {
      seconds = new BigDecimal(header.strip());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (seconds.signum() <= 0 || seconds.compareTo(BigDecimal.valueOf(MAX_INTERVAL.toSeconds())) > 0) {
      return Optional.of(seconds.signum() <= 0 ? MIN_INTERVAL : MAX_INTERVAL);
    }
    Duration asked = Duration.ofNanos(seconds.movePointRight(9).longValue());
    return Optional.of(asked.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : asked);
  }

  /**
   * The report's body: {@code {"connections":[{...}, ...]}}, each entry's counters followed by
   * {@code "encrypted"} (added with TLS; a reader takes a missing one as false).
   */
  static String json(List<Entry> entries) {
    StringBuilder b = new StringBuilder(64 + entries.size() * 192).append("{\"connections\":[");
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      ConnectionTraffic t = e.traffic();
      if (i > 0) {
        b.append(',');
      }
      b.append("{\"connectionId\":");
      string(b, e.connectionId());
      b.append(",\"state\":\"").append(e.state().name()).append('"')
          .append(",\"messagesIn\":").append(t.messagesIn())
          .append(",\"messagesOut\":").append(t.messagesOut())
          .append(",\"bytesIn\":").append(t.bytesIn())
          .append(",\"bytesOut\":").append(t.bytesOut())
          .append(",\"dropped\":").append(t.dropped())
          .append(",\"errors\":").append(t.errors())
          .append(",\"stateChanges\":").append(t.stateChanges())
          .append(",\"encrypted\":").append(e.encrypted())
          .append('}');
    }
    return b.append("]}").toString();
  }

  /** A JSON string literal (RFC 8259 escapes): connection ids are the orchestrator's, but still. */
  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  private HttpURLConnection put(String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    connection.setConnectTimeout(REQUEST_TIMEOUT_MILLIS);
    connection.setReadTimeout(REQUEST_TIMEOUT_MILLIS);
    connection.setUseCaches(false);
    connection.setRequestMethod("PUT");
    connection.setRequestProperty("X-Auth-Token", token);
    connection.setRequestProperty("Content-Type", "application/json");
    connection.setDoOutput(true);
    connection.setFixedLengthStreamingMode(bytes.length);
    try (OutputStream out = connection.getOutputStream()) {
      out.write(bytes);
    }
    return connection;
  }

  /** Reads what came (a refusal's problem text) so the connection can be reused. */
  private static void drain(HttpURLConnection connection, int status) throws IOException {
    try (var body = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
      if (body != null) {
        body.readAllBytes();
      }
    }
  }

  @Override
  public String toString() {
    return "TrafficReporter[" + uri + "]"; // never the token
  }
}
