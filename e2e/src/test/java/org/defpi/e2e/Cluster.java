package org.defpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The test cluster of {@code scripts/cluster.sh} (ARCHITECTURE.md, "Test cluster"): a manager
 * (node0) and {@value #WORKERS} workers, each a real Docker engine in its own network namespace,
 * and the orchestrator deployed on the manager by {@code scripts/orchestrator.sh up --cluster},
 * its API forwarded to {@link #ORCHESTRATOR} on this machine.
 */
final class Cluster {
  static final int WORKERS = 4;
  static final URI ORCHESTRATOR = URI.create("http://127.0.0.1:8485/");
  static final Path ADMIN_PASSWORD = Path.of("/var/lib/defpi/cluster/admin-password");
  static final String SCRIPT = "scripts/cluster.sh";
  /**
   * The orchestrator's settings for these tests: the reconciler and node sync as often as a
   * deployment that wants to notice a lost node within seconds would run them.
   */
  static final Map<String, String> ORCHESTRATOR_ENV = Map.of("DEFPI_RECONCILE", "3", "DEFPI_NODE_SYNC", "2");

  private Cluster() {}

  /**
   * Starts (or completes) the cluster, deploys a fresh orchestrator on it (whatever an earlier run
   * left is purged: processes, networks, its database and password) and returns its admin client.
   */
  static OrchestratorClient up() throws IOException, InterruptedException {
    script("up", Integer.toString(WORKERS));
    Platform.run(ORCHESTRATOR_ENV, "scripts/orchestrator.sh", "down", "--purge", "--cluster");
    return orchestratorUp();
  }

  /** Deploys or rolls the orchestrator on the cluster (idempotent) and returns its admin client. */
  static OrchestratorClient orchestratorUp() throws IOException, InterruptedException {
    Platform.run(ORCHESTRATOR_ENV, "scripts/orchestrator.sh", "up", "--cluster");
    OrchestratorClient admin = new OrchestratorClient(ORCHESTRATOR, "admin", Files.readString(ADMIN_PASSWORD).strip());
    await("the cluster's orchestrator answers").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .ignoreExceptions().until(() -> admin.get("health").status() == 200);
    return admin;
  }

  /** Removes the orchestrator and the cluster's engines; the engines' data stays for the next run. */
  static void down() throws IOException, InterruptedException {
    Platform.run(ORCHESTRATOR_ENV, "scripts/orchestrator.sh", "down", "--purge", "--cluster");
    script("down");
  }

  static void script(String... args) throws IOException, InterruptedException {
    String[] command = new String[args.length + 1];
    command[0] = SCRIPT;
    System.arraycopy(args, 0, command, 1, args.length);
    Platform.run(command);
  }

  /** Node k's engine. */
  static DockerClient engine(int k) {
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost("unix:///run/defpi/cluster/node" + k + "/docker.sock").withApiVersion("1.41").build();
    return DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost()).responseTimeout(Duration.ofSeconds(30)).build());
  }

  /** Node k's Swarm node id, as {@code cluster.sh up} recorded it. */
  static String nodeId(int k) {
    try {
      return Files.readString(Path.of("/var/lib/defpi/cluster/node" + k + "/node-id")).strip();
    } catch (IOException e) {
      throw new AssertionError("no node id of node" + k + " (scripts/cluster.sh up)", e);
    }
  }

  /** The node a process's task runs on now, as the manager sees it (a task RUNNING and meant to). */
  static Optional<String> runningOn(DockerClient manager, String processId) {
    List<Task> tasks = manager.listTasksCmd().withServiceFilter(processId).exec();
    return tasks.stream()
        .filter(t -> t.getStatus() != null && t.getStatus().getState() == TaskState.RUNNING)
        .filter(t -> "running".equalsIgnoreCase(String.valueOf(t.getDesiredState())))
        .map(Task::getNodeId).findFirst();
  }

  static void awaitRunningOn(DockerClient manager, String processId, String nodeId, Duration atMost) {
    await(processId + " running on " + nodeId).atMost(atMost).pollInterval(Duration.ofMillis(200))
        .until(() -> runningOn(manager, processId), n -> n.equals(Optional.of(nodeId)));
  }

  static int indexOf(String nodeId) {
    for (int k = 0; k <= WORKERS; k++) {
      if (nodeId(k).equals(nodeId)) {
        return k;
      }
    }
    throw new AssertionError("no node of the cluster has id " + nodeId);
  }

  static void assertNodeIds() {
    for (int k = 0; k <= WORKERS; k++) {
      assertThat(nodeId(k)).as("node" + k + "'s id").isNotBlank();
    }
  }
}
