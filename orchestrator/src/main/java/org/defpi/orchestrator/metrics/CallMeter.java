package org.defpi.orchestrator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A connector's calls to the system it connects to, as {@code <name>.calls} timers (Prometheus:
 * {@code <name>_calls_seconds{operation, outcome}}, outcome {@code success} or {@code error}) and
 * {@code <name>.errors} counters ({@code <name>_errors_total{operation, exception}}). A connector
 * records at its one boundary with the outside (the HTTP client it sends through), so every call
 * is counted once. Operations must be a small fixed set (a path template, never an id).
 */
public final class CallMeter {
  public static final String SUCCESS = "success";
  public static final String ERROR = "error";

  private final MeterRegistry registry;
  private final String name;

  /** @param name the meters' prefix, e.g. {@code defpi.swarm} */
  public CallMeter(MeterRegistry registry, String name) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.name = Objects.requireNonNull(name, "name");
  }

  /** A call that took {@code took}; {@code error} names what went wrong (an exception's class), empty when it went well. */
  public void record(String operation, Duration took, Optional<String> error) {
    Timer.builder(name + ".calls").description("Calls of the orchestrator to " + what() + ", by operation and outcome")
        .tag("operation", operation).tag("outcome", error.isPresent() ? ERROR : SUCCESS)
        .register(registry).record(took);
    error.ifPresent(e -> Counter.builder(name + ".errors")
        .description("Failed calls of the orchestrator to " + what() + ", by operation and exception")
        .tag("operation", operation).tag("exception", e).register(registry).increment());
  }

  private String what() {
    return name.substring(name.lastIndexOf('.') + 1);
  }

  /** Whatever the connector passes when it was given no registry: records nothing. */
  public static MeterRegistry none() {
    return new io.micrometer.core.instrument.composite.CompositeMeterRegistry();
  }
}
