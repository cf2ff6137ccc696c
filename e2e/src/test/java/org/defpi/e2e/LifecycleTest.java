package org.defpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A process's whole life on the real parts, with messages flowing throughout: a meter and a logger
 * are created and connected; the meter is reconfigured; the logger is upgraded to another version
 * and then moved to another place, each time with its state; then both are terminated and nothing
 * of them is left. The logger counts what it
 * receives per sender and keeps the counts across the upgrade (its saved state), so its log shows
 * whether the count went on where it stopped and which of the meter's sequence numbers arrived.
 */
class LifecycleTest {
  private static final String METER_INTERFACE = "power-meter/power-measurement";
  private static final String LOGGER_INTERFACE = "power-logger/power-measurement";
  private static final Pattern RECEIVED =
      Pattern.compile("received (\\d+) PowerMeasurement from (\\S+): .*\\(sequence (\\d+)\\)");

  private static OrchestratorClient api;
  private static DockerClient docker;

  @BeforeAll
  static void deploy() throws Exception {
    api = Platform.up();
    docker = Platform.docker();
  }

  @AfterAll
  static void close() throws Exception {
    if (docker != null) {
      docker.close();
    }
  }

  /** One line of the logger's: its count from the meter and the meter's sequence number. */
  record Received(long count, int sequence) {}

  @Test
  void createConnectReconfigureUpgradeAndMoveWithStateThenTerminate() {
    long start = System.nanoTime();
    // count: more than the test can use; the meter numbers its measurements 1, 2, … per receiver.
    String meter = api.createProcess("power-meter", "power-meter-lifecycle",
        Map.of("count", "100000", "intervalMillis", "100"));
    String logger = api.createProcess("power-logger", "power-logger-lifecycle", Map.of());
    try {
      api.awaitRunning(meter, Duration.ofSeconds(90));
      api.awaitRunning(logger, Duration.ofSeconds(90));
      OrchestratorClient.Response connection = api.post("connection", Map.of(
          "endpoint1", Map.of("processId", meter, "interfaceId", METER_INTERFACE),
          "endpoint2", Map.of("processId", logger, "interfaceId", LOGGER_INTERFACE)));
      assertThat(connection.status()).as(connection.body()).isEqualTo(201);
      String connectionId = connection.json().path("id").asText();
      awaitReceived(logger, meter, 5);

      // Reconfigure: the meter sends twice as often from now on, without a restart.
      OrchestratorClient.Response reconfigured = api.put("process/" + meter,
          Map.of("configuration", Map.of("count", "100000", "intervalMillis", "50")));
      assertThat(reconfigured.status()).as(reconfigured.body()).isEqualTo(200);
      assertThat(reconfigured.json().path("state").asText()).isEqualTo("RUNNING");
      assertThat(api.get("process/" + meter + "/log?tail=400").body()).contains("power meter reconfigured");

      // Upgrade the logger to version "next", with its state: its count goes on in the new container.
      redeployWithState(logger, meter, connectionId, "upgrade", Map.of("version", "next"));
      assertThat(api.get("process/" + logger + "/log?tail=2000").body()).as("the new container runs the next build")
          .contains("(build next)");

      // Move it from "any public node" to the pool this node is in: a new Swarm service with the
      // pool's constraint, with the state again.
      String pool = api.get("nodepool?name=" + Platform.LOCAL_POOL).json().get(0).path("id").asText();
      redeployWithState(logger, meter, connectionId, "move", Map.of("nodePoolId", pool));
      JsonNode moved = api.get("process/" + logger).json();
      assertThat(moved.path("nodePoolId").asText()).isEqualTo(pool);
      assertThat(moved.path("version").asText()).isEqualTo("next");

      // Terminate: the connection first, then the services, then the records.
      assertThat(api.delete("process/" + logger).status()).isEqualTo(204);
      assertThat(api.get("connection/" + connectionId).status()).isEqualTo(404);
      assertThat(api.delete("process/" + meter).status()).isEqualTo(204);
      await("no Swarm service or container of the processes is left").atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> Platform.leftovers(docker, List.of(meter, logger)).isEmpty());
      System.out.printf("lifecycle: whole life %d ms%n", (System.nanoTime() - start) / 1_000_000);
    } finally {
      api.delete("process/" + meter);
      api.delete("process/" + logger);
    }
  }

  /**
   * Upgrades or moves the logger with {@code change} while the meter sends, and checks what its log
   * says across it: the count goes on where the old container's saved state left it, and the meter's
   * sequence goes on too (the meter holds back what it sends while the connection is suspended).
   * What was in flight when the logger was suspended may be lost, and is reported.
   */
  private static void redeployWithState(String logger, String meter, String connectionId, String what,
      Map<String, String> change) {
    List<Received> before = awaitReceived(logger, meter, 5);
    long at = System.nanoTime();
    OrchestratorClient.Response answered = api.put("process/" + logger, change);
    assertThat(answered.status()).as(answered.body()).isEqualTo(200);
    api.awaitRunning(logger, Duration.ofSeconds(90));
    long running = System.nanoTime();
    String log = api.get("process/" + logger + "/log?tail=2000").body();
    assertThat(log).as("the new container resumed from the saved state").contains("resumed with counts");
    awaitConnection(connectionId, "ACTIVE");
    // The new service's log holds only the new container's lines.
    List<Received> after = awaitReceived(logger, meter, 5);
    long flowing = System.nanoTime();

    long savedCount = after.getFirst().count() - 1;
    assertThat(savedCount).as("the count the logger saved: at least what it had logged before")
        .isGreaterThanOrEqualTo(before.getLast().count());
    assertConsecutiveCounts(after);
    assertIncreasingSequences(after);
    // Before, count and sequence went up together (offset: what came before the first count).
    long offset = before.getFirst().sequence() - before.getFirst().count();
    long lost = after.getFirst().sequence() - offset - 1 - savedCount;
    System.out.printf("lifecycle: %s -> RUNNING %d ms, first message after it %d ms; count saved %d, first after %d"
            + " (sequence %d), lost in flight %d%n", what, (running - at) / 1_000_000, (flowing - at) / 1_000_000,
        savedCount, after.getFirst().count(), after.getFirst().sequence(), lost);
    assertThat(lost).as("measurements lost across the " + what).isBetween(0L, 2L);
  }

  private static void assertConsecutiveCounts(List<Received> lines) {
    for (int i = 1; i < lines.size(); i++) {
      assertThat(lines.get(i).count()).as("count after " + lines.get(i - 1)).isEqualTo(lines.get(i - 1).count() + 1);
    }
  }

  private static void assertIncreasingSequences(List<Received> lines) {
    for (int i = 1; i < lines.size(); i++) {
      assertThat(lines.get(i).sequence()).as("sequence after " + lines.get(i - 1))
          .isGreaterThan(lines.get(i - 1).sequence());
    }
  }

  private static void awaitConnection(String connectionId, String state) {
    await("connection " + connectionId + " " + state).atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> api.get("connection/" + connectionId).json().path("state").asText(), state::equals);
  }

  /** The logger's lines about the meter, once there are at least {@code n}. */
  private static List<Received> awaitReceived(String logger, String meter, int n) {
    return await("the logger receives the meter's measurements").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200)).until(() -> received(logger, meter), lines -> lines.size() >= n);
  }

  /** What the logger's current container logged about measurements from {@code meter}, in order. */
  private static List<Received> received(String logger, String meter) {
    String log = api.get("process/" + logger + "/log?tail=5000").body();
    List<Received> lines = new ArrayList<>();
    for (String line : log.split("\n")) {
      Matcher m = RECEIVED.matcher(line);
      if (m.find() && m.group(2).equals(meter)) {
        lines.add(new Received(Long.parseLong(m.group(1)), Integer.parseInt(m.group(3))));
      }
    }
    return lines;
  }
}
