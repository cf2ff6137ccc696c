package org.defpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The platform under test, deployed the way a user deploys it: with the project's own scripts
 * ({@code scripts/orchestrator.sh up}), from the images this build just pushed.
 */
final class Platform {
  static final Path PROJECT_DIR = Path.of(System.getProperty("defpi.projectDir", "..")).toAbsolutePath().normalize();
  static final Path ADMIN_PASSWORD = Path.of("/var/lib/defpi/admin-password");
  static final URI ORCHESTRATOR = URI.create("http://127.0.0.1:8484/");
  /** The orchestrator's container (a plain container, not a Swarm service: scripts/orchestrator.sh). */
  static final String ORCHESTRATOR_CONTAINER = "defpi-orchestrator";
  /** The pool this machine's node is public in. */
  static final String LOCAL_POOL = "local";

  private Platform() {}

  /**
   * Deploys (or rolls) the orchestrator, makes this machine's Swarm node public in the pool
   * {@value #LOCAL_POOL} (a process goes to a public node; an unidentified one runs nothing), and
   * returns a client logged in as the admin.
   */
  static OrchestratorClient up() throws IOException, InterruptedException {
    run(PROJECT_DIR.resolve("scripts/orchestrator.sh").toString(), "up");
    String password = Files.readString(ADMIN_PASSWORD).strip();
    OrchestratorClient client = new OrchestratorClient(ORCHESTRATOR, "admin", password);
    await("orchestrator health").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(() -> client.get("health").status() == 200);
    makeThisNodePublic(client);
    return client;
  }

  /** This machine's Swarm node public in the pool {@value #LOCAL_POOL}, made if missing. Idempotent. */
  static void makeThisNodePublic(OrchestratorClient admin) {
    String nodeId;
    try (DockerClient docker = docker()) {
      nodeId = docker.infoCmd().exec().getSwarm().getNodeID();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    OrchestratorClient.Response node = admin.get("node/" + nodeId); // a read syncs the nodes first
    assertThat(node.status()).as(node.body()).isEqualTo(200);
    if (node.json().path("kind").asText().equals("public")) {
      return;
    }
    String poolId = localPool(admin);
    if (poolId == null) {
      OrchestratorClient.Response made = admin.post("nodepool", Map.of("name", LOCAL_POOL));
      assertThat(made.status()).as(made.body()).isIn(201, 409); // 409: another run made it just now
      poolId = made.status() == 201 ? made.json().path("id").asText() : localPool(admin);
    }
    OrchestratorClient.Response assigned = admin.put("node/" + nodeId, Map.of("kind", "public", "poolId", poolId));
    assertThat(assigned.status()).as(assigned.body()).isEqualTo(200);
  }

  private static String localPool(OrchestratorClient admin) {
    OrchestratorClient.Response pools = admin.get("nodepool?name=" + LOCAL_POOL);
    assertThat(pools.status()).as(pools.body()).isEqualTo(200);
    for (JsonNode p : pools.json()) {
      return p.path("id").asText();
    }
    return null;
  }

  static DockerClient docker() {
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost("unix:///var/run/docker.sock").withApiVersion("1.41").build();
    return DockerClientImpl.getInstance(config,
        new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
  }

  /** What is left of these processes in Docker: their Swarm services and containers (any state). */
  static java.util.List<String> leftovers(DockerClient docker, java.util.List<String> processIds) {
    var services = docker.listServicesCmd().exec().stream()
        .map(s -> s.getSpec().getName()).filter(processIds::contains);
    var containers = docker.listContainersCmd().withShowAll(true).exec().stream()
        .filter(c -> c.getLabels() != null
            && processIds.contains(c.getLabels().getOrDefault("com.docker.swarm.service.name", "")))
        .map(c -> c.getId());
    return java.util.stream.Stream.concat(services, containers).toList();
  }

  /** The orchestrator's running container: its id, its main process (a host pid) and Docker's restart count. */
  record OrchestratorContainer(String id, long pid, int restartCount) {}

  static OrchestratorContainer orchestratorContainer(DockerClient docker) {
    InspectContainerResponse c = docker.inspectContainerCmd(ORCHESTRATOR_CONTAINER).exec();
    assertThat(c.getState().getRunning()).as(ORCHESTRATOR_CONTAINER + " running").isTrue();
    return new OrchestratorContainer(c.getId(), c.getState().getPidLong(), c.getRestartCount());
  }

  /**
   * Crashes the orchestrator: SIGKILL to its main process from the host, which Docker sees as the
   * process dying, so the restart policy {@code always} brings the container back. ({@code docker
   * kill} would not do: Docker takes it as a deliberate stop and leaves the container stopped.)
   */
  static OrchestratorContainer crashOrchestrator(DockerClient docker) {
    OrchestratorContainer c = orchestratorContainer(docker);
    ProcessHandle main = ProcessHandle.of(c.pid()).orElseThrow(() -> new AssertionError("no process " + c.pid()));
    assertThat(main.destroyForcibly()).as("SIGKILL to " + c.pid()).isTrue();
    return c;
  }

  static void run(String... command) throws IOException, InterruptedException {
    run(Map.of(), command);
  }

  /** Runs a project script (or any command) in the project directory, its output copied to ours; must exit 0. */
  static void run(Map<String, String> env, String... command) throws IOException, InterruptedException {
    // Not inheritIO(): the forked test JVM's own stdout is Surefire's channel, so copy lines instead.
    ProcessBuilder builder = new ProcessBuilder(command).directory(PROJECT_DIR.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    try (var lines = process.inputReader().lines()) {
      lines.forEach(System.out::println);
    }
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 5 minutes");
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " exited with " + process.exitValue());
    }
  }
}
