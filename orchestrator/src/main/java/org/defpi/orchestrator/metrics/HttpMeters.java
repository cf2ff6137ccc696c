package org.defpi.orchestrator.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;

/**
 * The API's answers: {@code defpi_http_server_requests_seconds{method, route, status}}, a
 * histogram with fixed buckets from 5 ms to 30 s (the longest an API request waits for its pending
 * change), so each series has the same few buckets whatever happens. {@code route} is the route
 * template ({@code /process/{id}}), {@value #NOT_FOUND} for a path no route matches: never the raw
 * path, so there are as many series as routes times statuses. Streams that last as long as their
 * client listens ({@code GET /events}, a followed log) would only make the latency look bad: they
 * are {@code defpi_http_server_streams_seconds{method, route, status}} instead, without buckets.
 */
public final class HttpMeters {
  /** The route of a request no route matched. */
  public static final String NOT_FOUND = "NOT_FOUND";
  static final Duration[] BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

  private final MeterRegistry registry;

  public HttpMeters(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** One answered request; {@code stream} for one that lasted as long as its client listened. */
  public void record(String method, String route, int status, Duration took, boolean stream) {
    if (stream) {
      Timer.builder("defpi.http.server.streams").description("Streams the API served (events, followed logs)")
          .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
          .register(registry).record(took);
      return;
    }
    Timer.builder("defpi.http.server.requests").description("Requests the API answered")
        .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
        .serviceLevelObjectives(BUCKETS)
        .register(registry).record(took);
  }
}
