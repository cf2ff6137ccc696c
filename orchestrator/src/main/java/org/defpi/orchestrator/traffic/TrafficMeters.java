package org.defpi.orchestrator.traffic;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * The reported traffic as Micrometer function counters, one set per connection end, tagged {@code
 * process_id} and {@code connection_id} (and {@code direction} in|out where it applies). In
 * Prometheus' text format, {@code defpi.connection.messages} reads {@code
 * defpi_connection_messages_total}, and so on for {@code bytes}, {@code dropped}, {@code errors} and
 * {@code state.changes}. The values are read from the manager at each scrape; an end's meters go
 * when the manager forgets the end (its connection or process went, or it stopped reporting).
 */
public final class TrafficMeters implements MeterBinder, TrafficManager.Listener {
  private record End(String processId, String connectionId) {}

  private final TrafficManager manager;
  private final Map<End, List<Meter>> meters = new HashMap<>(); // guarded by this
  private MeterRegistry registry; // guarded by this

  public TrafficMeters(TrafficManager manager) {
    this.manager = Objects.requireNonNull(manager, "manager");
  }

  /** Registers the meters of the ends tracked now and of every end tracked from now on. */
  @Override
  public void bindTo(MeterRegistry meterRegistry) {
    synchronized (this) {
      if (registry != null) {
        throw new IllegalStateException("the traffic meters are bound to a registry already");
      }
      registry = Objects.requireNonNull(meterRegistry, "meterRegistry");
    }
    manager.listen(this);
    manager.ends().forEach(e -> added(e.getKey(), e.getValue()));
  }

  @Override
  public synchronized void added(String processId, String connectionId) {
    End end = new End(processId, connectionId);
    if (registry == null || meters.containsKey(end)) {
      return;
    }
    Tags tags = Tags.of("process_id", processId, "connection_id", connectionId);
    List<Meter> registered = new ArrayList<>();
    registered.add(counter("defpi.connection.messages", "Messages on a data connection end", null,
        tags.and("direction", "in"), end, Counters::messagesIn));
    registered.add(counter("defpi.connection.messages", "Messages on a data connection end", null,
        tags.and("direction", "out"), end, Counters::messagesOut));
    registered.add(counter("defpi.connection.bytes", "Payload bytes on a data connection end", "bytes",
        tags.and("direction", "in"), end, Counters::bytesIn));
    registered.add(counter("defpi.connection.bytes", "Payload bytes on a data connection end", "bytes",
        tags.and("direction", "out"), end, Counters::bytesOut));
    registered.add(counter("defpi.connection.dropped", "Messages a data connection end discarded", null,
        tags, end, Counters::dropped));
    registered.add(counter("defpi.connection.errors", "Errors on a data connection end", null,
        tags, end, Counters::errors));
    registered.add(counter("defpi.connection.state.changes", "State transitions of a data connection end", null,
        tags, end, Counters::stateChanges));
    meters.put(end, registered);
  }

  @Override
  public synchronized void removed(String processId, String connectionId) {
    List<Meter> gone = meters.remove(new End(processId, connectionId));
    if (gone != null) {
      gone.forEach(registry::remove);
    }
  }

  private Meter counter(String name, String description, String unit, Tags tags, End end,
      ToLongFunction<Counters> value) {
    // The manager is the state object (held strongly by the orchestrator, so never collected).
    return FunctionCounter.builder(name, manager, m -> m.counters(end.processId(), end.connectionId())
            .map(value::applyAsLong).orElse(0L).doubleValue())
        .description(description)
        .baseUnit(unit)
        .tags(tags)
        .register(registry);
  }
}
