package org.defpi.orchestrator.traffic;

import org.defpi.orchestrator.TestClock;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The meters as Prometheus scrapes them: names, labels, values, and their removal. */
class TrafficMetersTest {
  private final TestClock clock = new TestClock();
  private final FakeDirectory directory = new FakeDirectory()
      .process("meter", "alice", "t-meter", "c1")
      .process("logger", "alice", "t-logger", "c1");
  private final TrafficManager manager = new TrafficManager(directory, clock, TrafficManager.Settings.defaults());
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @Test
  void eachEndIsScrapedWithItsProcessConnectionAndDirection() throws Exception {
    // One end reports before the binder is bound, one after: both are there.
    manager.report("meter", "t-meter", () -> List.of(
        new ConnectionReport("c1", "CONNECTED", new Counters(3, 12, 300, 1200, 1, 2, 4))));
    new TrafficMeters(manager).bindTo(registry);
    manager.report("logger", "t-logger", () -> List.of(
        new ConnectionReport("c1", "CONNECTED", new Counters(12, 3, 1200, 300, 0, 0, 1))));

    String scrape = registry.scrape();

    assertThat(scrape).contains(
        "defpi_connection_messages_total{connection_id=\"c1\",direction=\"in\",process_id=\"meter\"} 3.0",
        "defpi_connection_messages_total{connection_id=\"c1\",direction=\"out\",process_id=\"meter\"} 12.0",
        "defpi_connection_bytes_total{connection_id=\"c1\",direction=\"in\",process_id=\"meter\"} 300.0",
        "defpi_connection_bytes_total{connection_id=\"c1\",direction=\"out\",process_id=\"meter\"} 1200.0",
        "defpi_connection_dropped_total{connection_id=\"c1\",process_id=\"meter\"} 1.0",
        "defpi_connection_errors_total{connection_id=\"c1\",process_id=\"meter\"} 2.0",
        "defpi_connection_state_changes_total{connection_id=\"c1\",process_id=\"meter\"} 4.0",
        "defpi_connection_messages_total{connection_id=\"c1\",direction=\"in\",process_id=\"logger\"} 12.0",
        "# TYPE defpi_connection_messages_total counter");

    // A later report is what the next scrape reads.
    manager.report("meter", "t-meter", () -> List.of(
        new ConnectionReport("c1", "CONNECTED", new Counters(5, 20, 500, 2000, 1, 2, 4))));
    assertThat(registry.scrape())
        .contains("defpi_connection_messages_total{connection_id=\"c1\",direction=\"out\",process_id=\"meter\"} 20.0");
  }

  @Test
  void theMetersGoWithTheirProcessOrConnection() throws Exception {
    new TrafficMeters(manager).bindTo(registry);
    manager.report("meter", "t-meter", () -> List.of(new ConnectionReport("c1", "CONNECTED", Counters.ZERO)));
    manager.report("logger", "t-logger", () -> List.of(new ConnectionReport("c1", "CONNECTED", Counters.ZERO)));

    manager.processGone("meter");
    assertThat(registry.scrape()).doesNotContain("process_id=\"meter\"").contains("process_id=\"logger\"");
    manager.connectionGone("c1");
    assertThat(registry.scrape()).doesNotContain("defpi_connection");
    assertThat(registry.getMeters()).isEmpty();
  }
}
