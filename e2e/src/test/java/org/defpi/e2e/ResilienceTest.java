package org.defpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What survives a SIGKILL: of the orchestrator in the middle of a batch of requests (every answered
 * request is carried out, and Swarm and store agree afterwards), and of a process's container (Swarm
 * restarts it, it is configured and connected again, and its messages flow again).
 *
 * <p>Everything a run makes is named {@code e2e-resilience-<run>-…} and deleted again, also when a
 * test fails; leftovers of an aborted run older than ten minutes are deleted at the start.
 */
class ResilienceTest {
  private static final String PREFIX = "e2e-resilience-";
  private static final Duration STALE = Duration.ofMinutes(10);
  private static final String RUN = HexFormat.of().formatHex(randomBytes(4));
  /** The owner label value of the deployed orchestrator's services. */
  private static final String ORCHESTRATOR_OWNER = "defpi-orchestrator";
  private static final String MANAGED_LABEL = "org.defpi.managed";
  private static final String SWARM_SERVICE_LABEL = "com.docker.swarm.service.name";
  private static final String METER_INTERFACE = "power-meter/power-measurement";
  private static final String LOGGER_INTERFACE = "power-logger/power-measurement";

  private static OrchestratorClient api;
  private static DockerClient docker;

  @BeforeAll
  static void deploy() throws Exception {
    api = Platform.up();
    docker = Platform.docker();
    deleteLeftovers();
  }

  @AfterAll
  static void close() throws Exception {
    if (api != null) {
      deleteProcessesNamed(PREFIX + RUN); // whatever a failed test left
    }
    if (docker != null) {
      docker.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 1. the orchestrator killed in the middle of a batch

  /** One request of the batch: what it was, when it went out, and its answer when one came. */
  private static final class Op {
    final String what;
    final CompletableFuture<Optional<OrchestratorClient.Response>> answer = new CompletableFuture<>();
    volatile long sentAt; // System.nanoTime(); 0 until sent
    volatile long answeredAt; // ditto, when the answer (or the failure to get one) came

    Op(String what) {
      this.what = what;
    }

    boolean accepted() {
      return answer.isDone() && !answer.isCompletedExceptionally()
          && answer.join().map(r -> r.status() / 100 == 2).orElse(false);
    }

    boolean unanswered() {
      return answer.isDone() && !answer.isCompletedExceptionally() && answer.join().isEmpty();
    }

    boolean underWayFor(Duration d) {
      long sent = sentAt;
      return sent != 0 && !answer.isDone() && System.nanoTime() - sent > d.toNanos();
    }

    String id() {
      return answer.join().orElseThrow().json().path("id").asText();
    }

    /** What happened to it, with when it was sent and answered, in ms from {@code t0}. */
    String timeline(long t0) {
      return outcome() + " (" + (sentAt == 0 ? "-" : (sentAt - t0) / 1_000_000) + "-"
          + (answeredAt == 0 ? "-" : (answeredAt - t0) / 1_000_000) + " ms)";
    }

    String outcome() {
      if (!answer.isDone()) {
        return what + " " + (sentAt == 0 ? "not sent" : "waiting");
      }
      if (answer.isCompletedExceptionally()) {
        return what + " " + answer.exceptionNow();
      }
      return what + " " + answer.join().map(r -> r.status() / 100 == 2 ? Integer.toString(r.status())
          : r.status() + " " + r.body()).orElse("no answer");
    }
  }

  @Test
  void everyAnsweredRequestIsCarriedOutAfterTheOrchestratorIsKilledInTheMiddleOfABatch() throws Exception {
    String names = PREFIX + RUN + "-batch-";
    long killedAt = 0;
    long healthyAt = 0;
    List<Op> ops = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      try {
        long start = System.nanoTime();
        // A logger and two meters first; each meter is connected to the logger as soon as both exist.
        Op logger = createAsync(pool, "logger", "power-logger", names + "logger", Map.of());
        Op meter1 = createAsync(pool, "meter-1", "power-meter", names + "meter-1", Map.of("count", "0"));
        Op meter2 = createAsync(pool, "meter-2", "power-meter", names + "meter-2", Map.of("count", "0"));
        ops.addAll(List.of(logger, meter1, meter2));
        List<Op> connections = new ArrayList<>();
        for (Op meter : List.of(meter1, meter2)) {
          CompletableFuture.allOf(logger.answer, meter.answer).get(30, TimeUnit.SECONDS);
          assertThat(logger.accepted() && meter.accepted()).as(logger.outcome() + ", " + meter.outcome()).isTrue();
          connections.add(connectAsync(pool, "connection " + meter.what, meter.id(), logger.id()));
        }
        ops.addAll(connections);
        // Four more meters, a request every 40 ms from now, so that some are under way when the kill comes.
        List<Op> late = new ArrayList<>();
        for (int n = 3; n <= 6; n++) {
          late.add(createAsync(pool, "meter-" + n, "power-meter", names + "meter-" + n, Map.of("count", "0"),
              Duration.ofMillis(40L * (n - 3))));
        }
        ops.addAll(late);

        // Kill once a connection was answered and a create has been under way 50 ms (its record is
        // stored and its change queued by then: a create takes some 150 ms here), or after 3 s.
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < deadline) {
          boolean connected = connections.stream().anyMatch(Op::accepted);
          boolean underWay = late.stream().anyMatch(o -> o.underWayFor(Duration.ofMillis(50)));
          if (connected && underWay) {
            break;
          }
          Thread.sleep(2);
        }
        String atKill = ops.stream().map(Op::outcome).collect(Collectors.joining(", "));
        killedAt = System.nanoTime();
        Platform.OrchestratorContainer killed = Platform.crashOrchestrator(docker);
        long killReturned = System.nanoTime();

        // Docker's restart policy brings the same container back (a new main process).
        long restartedAt = 0;
        while (restartedAt == 0 && System.nanoTime() - killedAt < Duration.ofSeconds(60).toNanos()) {
          var state = docker.inspectContainerCmd(killed.id()).exec();
          if (Boolean.TRUE.equals(state.getState().getRunning()) && state.getRestartCount() > killed.restartCount()) {
            restartedAt = System.nanoTime();
          } else {
            Thread.sleep(20);
          }
        }
        assertThat(restartedAt).as("Docker restarted the orchestrator's container within 60 s").isNotZero();
        awaitHealthy(Duration.ofSeconds(90));
        healthyAt = System.nanoTime();
        System.out.printf("resilience: orchestrator killed -9 -> its container running again after %d ms (restart"
            + " policy), /health after %d ms%n", (restartedAt - killedAt) / 1_000_000, (healthyAt - killedAt) / 1_000_000);
        CompletableFuture.allOf(ops.stream().map(o -> o.answer).toArray(CompletableFuture[]::new))
            .get(60, TimeUnit.SECONDS);
        long t0 = start;
        System.out.printf("resilience: batch when the kill was sent (%d ms after the first request; the kill"
                + " returned %d ms later): %s; in the end (sent-answered ms): %s%n",
            (killedAt - start) / 1_000_000, (killReturned - killedAt) / 1_000_000, atKill,
            ops.stream().map(o -> o.timeline(t0)).collect(Collectors.joining(", ")));
        assertThat(ops).as("a request was refused, not cut off").allMatch(o -> o.accepted() || o.unanswered());

        // No record of an answered request is lost. Checked to the end before failing on it, so that
        // a run that loses one still reports and checks the rest.
        Map<String, JsonNode> mine = processesNamed(names);
        List<String> lost = new ArrayList<>();
        Set<String> acceptedConnections = new HashSet<>();
        for (Op op : ops) {
          if (!op.accepted()) {
            continue;
          }
          if (op.what.startsWith("connection")) {
            OrchestratorClient.Response c = api.get("connection/" + op.id());
            if (c.status() == 200) {
              acceptedConnections.add(op.id());
            } else {
              lost.add(op.what + " " + op.id() + " (GET /connection/{id}: " + c.status() + ")");
            }
          } else if (!mine.containsKey(op.id())) {
            lost.add(op.what + " " + op.id());
          }
        }
        if (!lost.isEmpty()) {
          System.out.println("resilience: LOST after the kill, though answered 2xx before it: " + lost);
        }

        // Every process there is runs (those answered and those whose request was cut off but had
        // been stored), each has its Swarm service, and every connection between them is ACTIVE. A
        // create cut off mid-change waits for the dead instance's lease (10 s) before it is taken over.
        await("every process of the batch RUNNING with its Swarm service, every connection ACTIVE")
            .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> {
              Map<String, JsonNode> now = processesNamed(names);
              assertThat(now.keySet()).as("records").containsAll(mine.keySet());
              for (JsonNode p : now.values()) {
                String id = p.path("id").asText();
                assertThat(p.path("state").asText()).as(() -> p + "; its changes: " + changesOf(id, null))
                    .isNotEqualTo("FAILED").isEqualTo("RUNNING");
              }
              assertThat(managedServices()).as("the Swarm services").containsAll(now.keySet());
              for (JsonNode c : connectionsOf(now.keySet())) {
                assertThat(c.path("state").asText()).as(c.toString()).isEqualTo("ACTIVE");
              }
            });
        long runningAt = System.nanoTime();
        Map<String, JsonNode> survivors = processesNamed(names);
        Set<String> connectionIds = connectionsOf(survivors.keySet()).stream().map(c -> c.path("id").asText())
            .collect(Collectors.toSet());
        acceptedConnections.removeIf(connectionIds::contains);
        acceptedConnections.forEach(c -> lost.add("connection " + c + " (there after the restart, gone when all ran)"));

        // No Swarm service of this orchestrator without a record: one made since the batch began,
        // whose process does not exist, is removed by the reconciler (every 10 s).
        Instant batchStart = Instant.now().minusNanos(System.nanoTime() - start).minusSeconds(2);
        await("no Swarm service without its process record").atMost(Duration.ofSeconds(25))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> assertThat(orphanServicesSince(batchStart)).isEmpty());

        System.out.printf("resilience: orchestrator killed -9 -> /health after %d ms; all %d processes RUNNING and"
                + " %d connections ACTIVE %d ms after the kill (%d answered, %d cut off, of %d requests)%n",
            (healthyAt - killedAt) / 1_000_000, survivors.size(), connectionIds.size(),
            (runningAt - killedAt) / 1_000_000, ops.stream().filter(Op::accepted).count(),
            ops.stream().filter(Op::unanswered).count(), ops.size());

        // Then everything goes, and nothing of it is left: records, services, changes.
        long deleting = System.nanoTime();
        deleteAll(pool, survivors.keySet());
        Set<String> known = new HashSet<>(survivors.keySet()); // and those answered, whether they survived or not
        ops.stream().filter(o -> o.accepted() && !o.what.startsWith("connection")).forEach(o -> known.add(o.id()));
        await("nothing left of the batch").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> {
              assertThat(processesNamed(names)).as("process records").isEmpty();
              assertThat(managedServices().stream().filter(known::contains)).as("Swarm services").isEmpty();
              assertThat(unfinishedChangesOf(known)).as("PENDING or RUNNING changes").isEmpty();
              for (String id : connectionIds) {
                assertThat(api.get("connection/" + id).status()).as("connection " + id).isEqualTo(404);
              }
            });
        System.out.printf("resilience: batch deleted, nothing left after %d ms%n",
            (System.nanoTime() - deleting) / 1_000_000);
        assertThat(lost).as("operations answered 2xx before the kill whose records are gone after it").isEmpty();
      } finally {
        if (killedAt != 0 && healthyAt == 0) {
          awaitHealthy(Duration.ofSeconds(90)); // so that the clean-up can run
        }
        deleteProcessesNamed(names);
      }
    }
  }

  private static Op createAsync(ExecutorService pool, String what, String serviceId, String name,
      Map<String, String> configuration) {
    return createAsync(pool, what, serviceId, name, configuration, Duration.ZERO);
  }

  private static Op createAsync(ExecutorService pool, String what, String serviceId, String name,
      Map<String, String> configuration, Duration after) {
    return sendAsync(pool, new Op(what), after, () -> api.tryPost("process",
        Map.of("serviceId", serviceId, "name", name, "configuration", configuration), Duration.ofSeconds(40)));
  }

  private static Op connectAsync(ExecutorService pool, String what, String meter, String logger) {
    return sendAsync(pool, new Op(what), Duration.ZERO, () -> api.tryPost("connection", Map.of(
        "endpoint1", Map.of("processId", meter, "interfaceId", METER_INTERFACE),
        "endpoint2", Map.of("processId", logger, "interfaceId", LOGGER_INTERFACE)), Duration.ofSeconds(40)));
  }

  private static Op sendAsync(ExecutorService pool, Op op, Duration after,
      java.util.function.Supplier<Optional<OrchestratorClient.Response>> request) {
    pool.submit(() -> {
      try {
        Thread.sleep(after);
        op.sentAt = System.nanoTime();
        Optional<OrchestratorClient.Response> answer = request.get();
        op.answeredAt = System.nanoTime();
        op.answer.complete(answer);
      } catch (Throwable t) {
        op.answeredAt = System.nanoTime();
        op.answer.completeExceptionally(t);
      }
    });
    return op;
  }

  // ---------------------------------------------------------------------------------------------
  // 2. a process's container killed

  private static final Pattern RECEIVED =
      Pattern.compile("received (\\d+) PowerMeasurement from (\\S+): .*\\(sequence (\\d+)\\)");

  @Test
  void aKilledProcessContainerIsRestartedConfiguredAndConnectedAgainAndItsMessagesFlowAgain() throws Exception {
    String names = PREFIX + RUN + "-container-";
    try {
      long start = System.nanoTime();
      // count: enough for minutes at 100 ms; the meter sends sequence 1, 2, … on each new connection.
      String meter = api.createProcess("power-meter", names + "meter",
          Map.of("count", "100000", "intervalMillis", "100"));
      String logger = api.createProcess("power-logger", names + "logger", Map.of());
      api.awaitRunning(meter, Duration.ofSeconds(60));
      api.awaitRunning(logger, Duration.ofSeconds(60));
      OrchestratorClient.Response connection = api.post("connection", Map.of(
          "endpoint1", Map.of("processId", meter, "interfaceId", METER_INTERFACE),
          "endpoint2", Map.of("processId", logger, "interfaceId", LOGGER_INTERFACE)));
      assertThat(connection.status()).as(connection.body()).isEqualTo(201);
      String connectionId = connection.json().path("id").asText();
      await("the logger receives the meter's measurements").atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> sequences(logger, meter).size() >= 5);
      long flowing = System.nanoTime();

      String old = onlyRunningContainerOf(meter);
      Set<String> configuresBefore = changesOf(meter, "CONFIGURE_PROCESS").stream().map(c -> c.path("id").asText())
          .collect(Collectors.toSet());
      docker.killContainerCmd(old).withSignal("KILL").exec();
      long killedAt = System.nanoTime();

      // Poll what comes back, noting when each is first seen: a new container (Swarm), a new
      // configuration DONE (the trigger call went through and the process said RUNNING), and the
      // first measurement of the new container at the logger: its sequence starts again at 1.
      long containerAt = 0;
      long configuredAt = 0;
      long messageAt = 0;
      long deadline = killedAt + Duration.ofSeconds(60).toNanos();
      String lastSeen = "";
      while ((containerAt == 0 || configuredAt == 0 || messageAt == 0) && System.nanoTime() < deadline) {
        if (containerAt == 0 && runningContainersOf(meter).stream().anyMatch(id -> !id.equals(old))) {
          containerAt = System.nanoTime();
        }
        if (configuredAt == 0) {
          List<JsonNode> configures = changesOf(meter, "CONFIGURE_PROCESS").stream()
              .filter(c -> !configuresBefore.contains(c.path("id").asText())).toList();
          lastSeen = configures.toString();
          if (configures.stream().anyMatch(c -> c.path("state").asText().equals("DONE"))) {
            configuredAt = System.nanoTime();
          }
        }
        if (messageAt == 0 && !afterRestart(sequences(logger, meter)).isEmpty()) {
          messageAt = System.nanoTime();
        }
        Thread.sleep(100);
      }
      assertThat(containerAt).as("Swarm started a new container of the meter within 60 s").isNotZero();
      assertThat(configuredAt).as("the new container was configured within 60 s: " + lastSeen).isNotZero();
      assertThat(messageAt).as("the logger received a measurement of the new container within 60 s: "
          + sequences(logger, meter)).isNotZero();

      JsonNode process = api.get("process/" + meter).json();
      assertThat(process.path("state").asText()).as(process.toString()).isEqualTo("RUNNING");
      JsonNode c = api.get("connection/" + connectionId).json();
      assertThat(c.path("state").asText()).as(c.toString()).isEqualTo("ACTIVE");
      // And they keep coming, in order.
      await("more measurements of the new container").atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> afterRestart(sequences(logger, meter)).size() >= 5);
      List<Integer> after = afterRestart(sequences(logger, meter));
      assertThat(after.subList(0, 5)).as("the new container's first measurements, in order, none lost")
          .containsExactly(1, 2, 3, 4, 5);

      System.out.printf("resilience: meter container killed -9 (messages flowing %d ms after the start) ->"
              + " new container %d ms, configured (RUNNING) %d ms, first new message at the logger %d ms"
              + " after the kill%n",
          (flowing - start) / 1_000_000, (containerAt - killedAt) / 1_000_000, (configuredAt - killedAt) / 1_000_000,
          (messageAt - killedAt) / 1_000_000);
    } finally {
      deleteProcessesNamed(names);
    }
  }

  /** The sequence numbers of the measurements from {@code meter} in the logger's log, in order. */
  private static List<Integer> sequences(String logger, String meter) {
    OrchestratorClient.Response log = api.get("process/" + logger + "/log?tail=5000");
    assertThat(log.status()).as(log.body()).isEqualTo(200);
    List<Integer> sequences = new ArrayList<>();
    Matcher m = RECEIVED.matcher(log.body());
    while (m.find()) {
      if (m.group(2).equals(meter)) {
        sequences.add(Integer.parseInt(m.group(3)));
      }
    }
    return sequences;
  }

  /** What came after the sequence started again (a new meter container); empty if it has not. */
  private static List<Integer> afterRestart(List<Integer> sequences) {
    for (int i = 1; i < sequences.size(); i++) {
      if (sequences.get(i) < sequences.get(i - 1)) {
        return sequences.subList(i, sequences.size());
      }
    }
    return List.of();
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  private static void awaitHealthy(Duration atMost) {
    await("orchestrator /health").atMost(atMost).pollInterval(Duration.ofMillis(100))
        .until(() -> api.tryGet("health", Duration.ofSeconds(1)).map(r -> r.status() == 200).orElse(false));
  }

  private static String onlyRunningContainerOf(String service) {
    List<String> running = runningContainersOf(service);
    assertThat(running).as("running containers of " + service).hasSize(1);
    return running.get(0);
  }

  private static List<String> runningContainersOf(String service) {
    return docker.listContainersCmd().withLabelFilter(Map.of(SWARM_SERVICE_LABEL, service)).exec().stream()
        .map(Container::getId).toList();
  }

  /** Names of the Swarm services this orchestrator manages (process ids). */
  private static Set<String> managedServices() {
    return docker.listServicesCmd().withLabelFilter(Map.of(MANAGED_LABEL, ORCHESTRATOR_OWNER)).exec().stream()
        .map(s -> s.getSpec().getName()).collect(Collectors.toSet());
  }

  /** Managed Swarm services made since {@code since} whose process does not exist. */
  private static List<String> orphanServicesSince(Instant since) {
    return docker.listServicesCmd().withLabelFilter(Map.of(MANAGED_LABEL, ORCHESTRATOR_OWNER)).exec().stream()
        .filter(s -> s.getCreatedAt() == null || !s.getCreatedAt().toInstant().isBefore(since))
        .map(s -> s.getSpec().getName())
        .filter(id -> api.get("process/" + id).status() == 404)
        .toList();
  }

  /** The processes (any state) whose names start with {@code prefix}, by id. */
  private static Map<String, JsonNode> processesNamed(String prefix) {
    OrchestratorClient.Response list = api.get("process?limit=1000");
    assertThat(list.status()).as(list.body()).isEqualTo(200);
    Map<String, JsonNode> found = new LinkedHashMap<>();
    for (JsonNode p : list.json()) {
      if (p.path("name").asText().startsWith(prefix)) {
        found.put(p.path("id").asText(), p);
      }
    }
    return found;
  }

  private static List<JsonNode> connectionsOf(Set<String> processIds) {
    OrchestratorClient.Response list = api.get("connection?limit=1000");
    assertThat(list.status()).as(list.body()).isEqualTo(200);
    return StreamSupport.stream(list.json().spliterator(), false)
        .filter(c -> processIds.contains(c.path("endpoint1").path("processId").asText())
            || processIds.contains(c.path("endpoint2").path("processId").asText()))
        .toList();
  }

  /** The pending changes of a process, of one kind (null: all), oldest first. */
  private static List<JsonNode> changesOf(String processId, String kind) {
    OrchestratorClient.Response list = api.get("pendingchange?limit=1000&processId=" + processId
        + (kind == null ? "" : "&kind=" + kind));
    assertThat(list.status()).as(list.body()).isEqualTo(200);
    return StreamSupport.stream(list.json().spliterator(), false).toList();
  }

  private static List<JsonNode> unfinishedChangesOf(Set<String> processIds) {
    OrchestratorClient.Response list = api.get("pendingchange?limit=1000&state=PENDING&state=RUNNING");
    assertThat(list.status()).as(list.body()).isEqualTo(200);
    return StreamSupport.stream(list.json().spliterator(), false)
        .filter(c -> processIds.contains(c.path("processId").asText()))
        .toList();
  }

  /** Deletes the processes at once, each answered 204 (gone) or 202 (teardown under way). */
  private static void deleteAll(ExecutorService pool, Set<String> processIds) throws Exception {
    List<CompletableFuture<OrchestratorClient.Response>> deletes = processIds.stream()
        .map(id -> CompletableFuture.supplyAsync(() -> api.delete("process/" + id), pool)).toList();
    for (CompletableFuture<OrchestratorClient.Response> d : deletes) {
      OrchestratorClient.Response r = d.get(60, TimeUnit.SECONDS);
      assertThat(r.status()).as(r.body()).isIn(202, 204);
    }
  }

  /** Best effort, for clean-up: deletes every process whose name starts with {@code prefix}. */
  private static void deleteProcessesNamed(String prefix) {
    try {
      Optional<OrchestratorClient.Response> list = api.tryGet("process?limit=1000", Duration.ofSeconds(10));
      if (list.isEmpty() || list.get().status() != 200) {
        System.out.println("resilience: clean-up could not list the processes: " + list);
        return;
      }
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (JsonNode p : list.get().json()) {
          if (p.path("name").asText().startsWith(prefix)) {
            pool.submit(() -> api.tryDelete("process/" + p.path("id").asText(), Duration.ofSeconds(40)));
          }
        }
      }
    } catch (RuntimeException | AssertionError e) {
      System.out.println("resilience: clean-up of " + prefix + "… failed: " + e);
    }
  }

  /** Processes an aborted earlier run left behind (not a concurrent run's: those are younger). */
  private static void deleteLeftovers() {
    Instant before = Instant.now().minus(STALE);
    for (JsonNode p : api.get("process?limit=1000").json()) {
      if (p.path("name").asText().startsWith(PREFIX) && Instant.parse(p.path("createdAt").asText()).isBefore(before)) {
        api.tryDelete("process/" + p.path("id").asText(), Duration.ofSeconds(40));
      }
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }
}
