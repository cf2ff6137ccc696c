package org.defpi.orchestrator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallMeterTest {
  @Test
  void aCallIsTimedByOperationAndOutcomeAndAFailureCountedByItsException() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CallMeter meter = new CallMeter(registry, "defpi.swarm");
    meter.record("GET /nodes", Duration.ofMillis(12), Optional.empty());
    meter.record("GET /nodes", Duration.ofMillis(8), Optional.empty());
    meter.record("GET /services/{id}", Duration.ofMillis(3), Optional.of("NotFoundException"));

    assertThat(registry.get("defpi.swarm.calls").tags("operation", "GET /nodes", "outcome", "success").timer().count())
        .isEqualTo(2);
    assertThat(registry.get("defpi.swarm.calls").tags("operation", "GET /nodes", "outcome", "success").timer()
        .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(20);
    assertThat(registry.get("defpi.swarm.calls").tags("operation", "GET /services/{id}", "outcome", "error").timer()
        .count()).isEqualTo(1);
    assertThat(registry.get("defpi.swarm.errors").tags("operation", "GET /services/{id}", "exception", "NotFoundException")
        .counter().count()).isEqualTo(1);
    assertThat(registry.find("defpi.swarm.errors").tag("operation", "GET /nodes").counters()).isEmpty();
  }
}
