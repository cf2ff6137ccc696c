package org.defpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton, end to end on the real parts: two services built by our Maven plugin are
 * deployed by our orchestrator on Docker Swarm, configured over the management protocol, wired by
 * a connection, and exchange messages; then both are terminated and nothing of them is left.
 */
class WalkingSkeletonTest {
  private static final int MESSAGES = 10;
  private static OrchestratorClient api;
  private static DockerClient docker;

  @BeforeAll
  static void deploy() throws Exception {
    long start = System.nanoTime();
    api = Platform.up();
    docker = Platform.docker();
    System.out.printf("orchestrator up in %d ms%n", (System.nanoTime() - start) / 1_000_000);
  }

  @AfterAll
  static void close() throws Exception {
    if (docker != null) {
      docker.close();
    }
  }

  @Test
  void meterSendsMeasurementsThatTheLoggerReceivesThenBothAreGone() {
    long start = System.nanoTime();
    JsonNode services = api.get("service").json();
    assertThat(ids(services)).contains("power-meter", "power-logger");

    String meter = api.createProcess("power-meter", "power-meter-e2e",
        Map.of("count", String.valueOf(MESSAGES), "intervalMillis", "50"));
    String logger = api.createProcess("power-logger", "power-logger-e2e", Map.of());
    api.awaitRunning(meter, Duration.ofSeconds(90));
    api.awaitRunning(logger, Duration.ofSeconds(90));
    long running = System.nanoTime();

    OrchestratorClient.Response connection = api.post("connection", Map.of(
        "endpoint1", Map.of("processId", meter, "interfaceId", "power-meter/power-measurement"),
        "endpoint2", Map.of("processId", logger, "interfaceId", "power-logger/power-measurement")));
    assertThat(connection.status()).as(connection.body()).isEqualTo(201);

    // The logger prints a line per measurement; the last one carries the count.
    await("logger received " + MESSAGES + " measurements").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> api.get("process/" + logger + "/log?tail=200").body(),
            log -> log.contains("received " + MESSAGES + " PowerMeasurement"));
    long received = System.nanoTime();

    assertThat(api.delete("process/" + meter).status()).isEqualTo(204);
    assertThat(api.delete("process/" + logger).status()).isEqualTo(204);
    assertThat(api.get("process/" + meter).status()).isEqualTo(404);
    assertThat(api.get("connection/" + connection.json().get("id").asText()).status()).isEqualTo(404);
    await("no Swarm service or container of the processes is left").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> Platform.leftovers(docker, List.of(meter, logger)).isEmpty());
    long gone = System.nanoTime();
    System.out.printf("e2e: processes running after %d ms, %d messages received after %d ms more,"
            + " all gone after %d ms more; total %d ms%n",
        (running - start) / 1_000_000, MESSAGES, (received - running) / 1_000_000,
        (gone - received) / 1_000_000, (gone - start) / 1_000_000);
  }

  @Test
  void incompatibleConnectionsAreRefusedWithTheReason() {
    String meter1 = api.createProcess("power-meter", "power-meter-e2e", Map.of("count", "0"));
    String meter2 = api.createProcess("power-meter", "power-meter-e2e", Map.of("count", "0"));
    try {
      // Two senders of the same interface: what one sends the other does not receive.
      OrchestratorClient.Response refused = api.post("connection", Map.of(
          "endpoint1", Map.of("processId", meter1, "interfaceId", "power-meter/power-measurement"),
          "endpoint2", Map.of("processId", meter2, "interfaceId", "power-meter/power-measurement")));
      assertThat(refused.status()).isBetween(400, 499);
      assertThat(refused.contentType()).startsWith("application/problem+json");
      assertThat(refused.json().get("detail").asText()).containsIgnoringCase("hash");

      OrchestratorClient.Response self = api.post("connection", Map.of(
          "endpoint1", Map.of("processId", meter1, "interfaceId", "power-meter/power-measurement"),
          "endpoint2", Map.of("processId", meter1, "interfaceId", "power-meter/power-measurement")));
      assertThat(self.status()).isBetween(400, 499);
      assertThat(self.json().get("detail").asText()).isNotBlank();
    } finally {
      api.delete("process/" + meter1);
      api.delete("process/" + meter2);
    }
  }

  private static List<String> ids(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(n -> n.path("id").asText()).toList();
  }
}
