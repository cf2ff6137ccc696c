package org.defpi.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.defpi.orchestrator.api.ApiFixture.PASSWORD;
import static org.defpi.orchestrator.api.ApiFixture.basic;
import static org.defpi.orchestrator.api.ApiFixture.json;
import static org.defpi.orchestrator.api.ApiFixture.ok;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.defpi.orchestrator.TestImages;
import org.defpi.orchestrator.process.Mount;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Where a process runs and with what, through {@code POST /process}, over the real server, store,
 * registry and Swarm ({@link ApiFixture}: the Swarm's one node is public in the fixture's pool).
 * What decides is {@code PlacementCheckTest}'s; here: the body is read, refusals are problems with
 * their reasons, and what was asked reaches the Swarm service's spec.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlacementApiTest {
  private static final String USER_PASSWORD = "carol-password";
  private final ApiFixture fixture = new ApiFixture();
  /** To look at what the fixture's Swarm connector made. */
  private final DockerClient docker = DockerClientImpl.getInstance(
      DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost("unix:///var/run/docker.sock").build(),
      new ZerodepDockerHttpClient.Builder().dockerHost(java.net.URI.create("unix:///var/run/docker.sock")).build());
  private String carolId;
  private String carolToken;

  @BeforeAll
  void start() throws Exception {
    fixture.start(ApiFixture.Database.H2);
    carolId = ok(admin("POST", "/user", "{\"name\": \"carol\", \"password\": \"" + USER_PASSWORD + "\"}"), 201)
        .path("id").asText();
    carolToken = fixture.login("carol", USER_PASSWORD);
  }

  @AfterAll
  void stop() throws Exception {
    try {
      fixture.close();
    } finally {
      docker.close();
    }
  }

  private HttpResponse<String> admin(String method, String path, String body) throws Exception {
    return fixture.send(method, path, body, basic("admin", PASSWORD));
  }

  private HttpResponse<String> carol(String method, String path, String body) throws Exception {
    return fixture.send(method, path, body, "Bearer " + carolToken);
  }

  private static void assertProblem(HttpResponse<String> response, int status, String detail) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(json(response).path("detail").asText()).contains(detail);
  }

  private JsonNode created(HttpResponse<String> response) throws Exception {
    JsonNode process = ok(response, 201);
    fixture.removeOnClose(process.path("id").asText());
    return process;
  }

  private static String meter(String more) {
    return "{\"serviceId\": \"" + TestImages.METER + "\"" + more + "}";
  }

  private TaskSpec task(String processId) {
    return docker.inspectServiceCmd(processId).exec().getSpec().getTaskTemplate();
  }

  private String label(String name) {
    return "node.labels.org.defpi." + fixture.owner() + "." + name;
  }

  @Test
  void aProcessThatNamesNoPlaceRunsOnAPublicNodeOfItsImagesArchitecture() throws Exception {
    JsonNode p = created(carol("POST", "/process", meter("")));
    String id = p.path("id").asText();
    assertThat(p.has("nodeId")).isFalse();
    assertThat(p.has("nodePoolId")).isFalse();
    assertThat(p.has("memoryMb")).isFalse();
    assertThat(p.path("mounts").isEmpty()).isTrue();
    assertThat(p.path("ports").isEmpty()).isTrue();
    // The meter is an amd64 image (jib's default platform).
    assertThat(task(id).getPlacement().getConstraints())
        .containsExactly(label("kind") + "==public", "node.platform.arch==x86_64");
    assertThat(task(id).getResources()).isNull();

    // The reconciler records the node its task runs on.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    String runsOn = "";
    while (runsOn.isEmpty() && System.nanoTime() < deadline) {
      fixture.processManager().reconcile();
      runsOn = json(carol("GET", "/process/" + id, null)).path("runsOn").asText();
      Thread.sleep(200);
    }
    assertThat(runsOn).isEqualTo(fixture.nodeId());
    assertThat(carol("DELETE", "/process/" + id, null).statusCode()).isEqualTo(204);
  }

  @Test
  void aPoolWithResourcesAVolumeAndAPortReachTheSwarmService() throws Exception {
    int port = 20000 + new java.util.Random().nextInt(20000);
    JsonNode p = created(carol("POST", "/process", meter(", \"nodePoolId\": \"" + fixture.poolId() + "\", "
        + "\"memoryMb\": 64, \"cpus\": 0.25, \"mounts\": [{\"source\": \"data\", \"target\": \"/data\"}], "
        + "\"ports\": [{\"target\": 4999, \"published\": " + port + "}]")));
    String id = p.path("id").asText();
    String volume = Mount.volumeName(carolId, "data");
    try {
      assertThat(p.path("nodePoolId").asText()).isEqualTo(fixture.poolId());
      assertThat(p.path("memoryMb").asLong()).isEqualTo(64);
      assertThat(p.path("cpus").decimalValue()).isEqualByComparingTo("0.25");
      assertThat(p.path("mounts")).hasSize(1);
      assertThat(p.path("mounts").get(0).path("type").asText()).isEqualTo("volume");
      assertThat(p.path("mounts").get(0).path("source").asText()).isEqualTo("data");
      assertThat(p.path("mounts").get(0).path("readOnly").asBoolean()).isFalse();
      assertThat(p.path("ports").get(0).path("protocol").asText()).isEqualTo("tcp");

      TaskSpec task = task(id);
      assertThat(task.getPlacement().getConstraints()).containsExactly(label("kind") + "==public",
          label("pool") + "==" + fixture.poolId(), "node.platform.arch==x86_64");
      assertThat(task.getResources().getReservations().getMemoryBytes()).isEqualTo(64L * 1024 * 1024);
      assertThat(task.getResources().getLimits().getNanoCPUs()).isEqualTo(250_000_000L);
      assertThat(task.getContainerSpec().getMounts()).extracting(m -> m.getSource() + ":" + m.getTarget())
          .containsExactly(volume + ":/data");
      PortConfig published = docker.inspectServiceCmd(id).exec().getSpec().getEndpointSpec()
          .getPorts().getFirst();
      assertThat(published.getPublishedPort()).isEqualTo(port);
      assertThat(published.getPublishMode()).isEqualTo(PortConfig.PublishMode.host);

      // Another process may not take the same host port where it may run.
      assertProblem(admin("POST", "/process", meter(", \"ports\": [{\"target\": 80, \"published\": " + port + "}]")), 409,
          "host port " + port + "/tcp is published already by another user's process, which may run on the same nodes");
      assertProblem(carol("POST", "/process", meter(", \"ports\": [{\"target\": 80, \"published\": " + port + "}]")),
          409, "host port " + port + "/tcp is published already by process " + TestImages.METER + " (" + id + ")");
      // On UDP it may.
      JsonNode udp = created(carol("POST", "/process", meter(", \"ports\": [{\"target\": 80, \"published\": " + port
          + ", \"protocol\": \"udp\"}]")));
      assertThat(carol("DELETE", "/process/" + udp.path("id").asText(), null).statusCode()).isEqualTo(204);
    } finally {
      assertThat(carol("DELETE", "/process/" + id, null).statusCode()).isEqualTo(204);
      try {
        docker.removeVolumeCmd(volume).exec();
      } catch (com.github.dockerjava.api.exception.NotFoundException e) {
        // the container never started
      }
    }
  }

  @Test
  void aProcessMovesWithItsStateToWhereItIsToldAndOnlyWhereItCanRun() throws Exception {
    String nodeId = fixture.nodeId();
    String id = created(carol("POST", "/process", meter(", \"nodePoolId\": \"" + fixture.poolId() + "\""))).path("id")
        .asText();
    trigger(id);
    try {
      String emptyPool = ok(admin("POST", "/nodepool", "{\"name\": \"empty\"}"), 201).path("id").asText();
      assertProblem(carol("PUT", "/process/" + id, "{\"nodePoolId\": \"" + emptyPool + "\"}"), 422, "has no nodes");
      assertProblem(carol("PUT", "/process/" + id, "{\"nodeId\": \"" + nodeId + "\"}"), 422,
          "is not a private node of the process's user");
      assertThat(fixture.store().findProcess(id).orElseThrow().placement().target())
          .as("a refused move changes nothing").isEqualTo(new org.defpi.orchestrator.process.Target.Pool(fixture.poolId()));

      // The node becomes Carol's: her process moves onto it, suspended there and resumed here.
      ok(admin("PUT", "/node/" + nodeId, "{\"kind\": \"private\", \"userId\": \"" + carolId + "\"}"), 200);
      JsonNode moved = ok(carol("PUT", "/process/" + id, "{\"nodeId\": \"" + nodeId + "\"}"), 200);
      assertThat(moved.path("nodeId").asText()).isEqualTo(nodeId);
      assertThat(moved.has("nodePoolId")).isFalse();
      assertThat(moved.path("state").asText()).isEqualTo("STARTING");
      assertThat(task(id).getPlacement().getConstraints()).contains("node.id==" + nodeId,
          label("user") + "==" + carolId);
      assertThat(fixture.store().savedStates().find(id)).isPresent();
      trigger(id);
      assertThat(fixture.processes().requestsTo(id, org.defpi.wire.protocol.ProcessProto.ResumeProcessMessage.class))
          .hasSize(1);
      assertThat(json(carol("GET", "/process/" + id, null)).path("state").asText()).isEqualTo("RUNNING");
      assertThat(json(carol("GET", "/pendingchange?processId=" + id + "&kind=MOVE_PROCESS", null)).get(0)
          .path("state").asText()).isEqualTo("DONE");

      // Back to any public node, once the node is public again: neither nodeId nor nodePoolId.
      fixture.makePublic();
      assertProblem(carol("PUT", "/process/" + id, "{\"anyPublicNode\": true, \"nodePoolId\": \"" + emptyPool + "\"}"),
          400, "give one of nodeId, nodePoolId or anyPublicNode, not several");
      assertProblem(carol("PUT", "/process/" + id, "{\"anyPublicNode\": false}"), 400, "anyPublicNode can only be true");
      JsonNode anywhere = ok(carol("PUT", "/process/" + id, "{\"anyPublicNode\": true}"), 200);
      assertThat(anywhere.has("nodeId")).isFalse();
      assertThat(anywhere.has("nodePoolId")).isFalse();
      assertThat(fixture.store().findProcess(id).orElseThrow().placement().target())
          .isEqualTo(org.defpi.orchestrator.process.Target.ANY_PUBLIC_NODE);
      assertThat(task(id).getPlacement().getConstraints()).doesNotContain("node.id==" + nodeId);
      trigger(id);
      assertThat(json(carol("GET", "/process/" + id, null)).path("state").asText()).isEqualTo("RUNNING");

      assertThat(carol("DELETE", "/process/" + id, null).statusCode()).isEqualTo(204);
      assertThat(admin("DELETE", "/nodepool/" + emptyPool, null).statusCode()).isEqualTo(204);
    } finally {
      fixture.makePublic();
    }
  }

  @Test
  void aRunningProcessWhoseNodeIsHandedToAnotherUserShowsItIsNotRunningAnyMore() throws Exception {
    String nodeId = fixture.nodeId();
    String id = created(carol("POST", "/process", meter(", \"nodePoolId\": \"" + fixture.poolId() + "\""))).path("id")
        .asText();
    trigger(id);
    try {
      // Swarm's constraint enforcer takes the task off the node, and has nowhere else to put it.
      ok(admin("PUT", "/node/" + nodeId, "{\"kind\": \"private\", \"userId\": \"" + fixture.adminId() + "\"}"),
          200);
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      while (!json(carol("GET", "/process/" + id, null)).path("state").asText().equals("STARTING")) {
        assertThat(System.nanoTime()).as("STARTING within 30 s").isLessThan(deadline);
        fixture.processManager().reconcile();
        Thread.sleep(200);
      }
      JsonNode shown = json(carol("GET", "/process/" + id, null));
      assertThat(shown.has("runsOn")).as("on no node").isFalse();
      // Nothing to configure while it has no container: the reconciler leaves it waiting.
      assertThat(fixture.processManager().reconcile()).isEmpty();
    } finally {
      fixture.makePublic();
    }
    assertThat(carol("DELETE", "/process/" + id, null).statusCode()).isEqualTo(204);
  }

  /** The process's trigger with its token, and its CONFIGURE carried out. */
  private void trigger(String id) throws Exception {
    String token = fixture.store().findProcess(id).orElseThrow().token().value();
    assertThat(fixture.send("PUT", "/process/trigger/" + id, null, null, Map.of("X-Auth-Token", token)).statusCode())
        .isEqualTo(204);
    fixture.awaitQuiet(id);
  }

  @Test
  void aPrivateNodeRunsOnlyItsUsersProcesses() throws Exception {
    String nodeId = fixture.nodeId();
    try {
      ok(admin("PUT", "/node/" + nodeId, "{\"kind\": \"private\", \"userId\": \"" + carolId + "\"}"), 200);
      // No public node is left: a process that names no place has nowhere to go.
      assertProblem(admin("POST", "/process", meter("")), 422, "there is no public node to run it on");
      // Carol's node is not the admin's, not even for an admin creating for themselves.
      assertProblem(admin("POST", "/process", meter(", \"nodeId\": \"" + nodeId + "\"")), 422,
          "node '" + nodeId + "' is not a private node of the process's user");
      // An admin creating for Carol may use it.
      JsonNode forCarol = created(admin("POST", "/process", meter(", \"nodeId\": \"" + nodeId + "\", \"userId\": \""
          + carolId + "\"")));
      assertThat(forCarol.path("nodeId").asText()).isEqualTo(nodeId);
      assertThat(task(forCarol.path("id").asText()).getPlacement().getConstraints()).containsExactly(
          "node.id==" + nodeId, label("kind") + "==private", label("user") + "==" + carolId, "node.platform.arch==x86_64");
      assertThat(carol("DELETE", "/process/" + forCarol.path("id").asText(), null).statusCode()).isEqualTo(204);
    } finally {
      fixture.makePublic();
    }
  }

  @Test
  void whatCannotBeHadIsRefusedWithTheReason() throws Exception {
    List<String> before = fixture.store().listProcesses().stream().map(p -> p.id()).toList();
    assertProblem(carol("POST", "/process", meter(", \"nodeId\": \"x\", \"nodePoolId\": \"y\"")), 400,
        "give nodeId (one of your private nodes) or nodePoolId (a pool of public nodes), not both");
    assertProblem(carol("POST", "/process", meter(", \"nodePoolId\": \"no-such-pool\"")), 422,
        "node pool 'no-such-pool' does not exist");
    assertProblem(carol("POST", "/process", meter(", \"nodeId\": \"" + fixture.nodeId() + "\"")), 422,
        "is not a private node of the process's user");
    assertProblem(carol("POST", "/process", meter(", \"nodeId\": \"no-such-node\"")), 422,
        "node 'no-such-node' does not exist");
    assertProblem(carol("POST", "/process", meter(", \"memoryMb\": 1048576")), 422,
        "not enough free memory or CPUs: it asks for 1048576 MiB");
    assertProblem(carol("POST", "/process", meter(", \"cpus\": 1000")), 422, "not enough free memory or CPUs");
    assertProblem(carol("POST", "/process", meter(", \"memoryMb\": 1, \"cpus\": 0")), 422,
        "memoryMb must be 6 to 1048576 (MiB), not 1; cpus must be 0.01 to 1024, not 0.0");
    assertProblem(carol("POST", "/process", meter(", \"memoryMb\": 64.5")), 400,
        "field 'memoryMb' must be a whole number, not 64.5");
    assertProblem(carol("POST", "/process", meter(", \"cpus\": \"half\"")), 400, "field 'cpus' must be a number");
    assertProblem(carol("POST", "/process", meter(", \"mounts\": [{\"type\": \"bind\", \"source\": \"/etc\", "
        + "\"target\": \"/host-etc\"}]")), 403, "only an admin can mount a path of the host (bind /etc)");
    assertProblem(carol("POST", "/process", meter(", \"mounts\": [{\"source\": \"../x\", \"target\": \"/x\"}]")), 422,
        "mounts[0].source must name a volume");
    assertProblem(carol("POST", "/process", meter(", \"mounts\": [{\"source\": \"x\"}]")), 400,
        "field 'mounts[0].target' is required");
    assertProblem(carol("POST", "/process", meter(", \"mounts\": [{\"source\": \"x\", \"target\": \"/x\", "
        + "\"size\": 1}]")), 400, "unknown field 'mounts[0].size'");
    assertProblem(carol("POST", "/process", meter(", \"mounts\": [{\"type\": \"tmpfs\", \"source\": \"x\", "
        + "\"target\": \"/x\"}]")), 400, "field 'mounts[0].type' must be volume or bind, not 'tmpfs'");
    assertProblem(carol("POST", "/process", meter(", \"mounts\": {\"source\": \"x\"}")), 400,
        "field 'mounts' must be an array of objects");
    assertProblem(carol("POST", "/process", meter(", \"mounts\": [\"x\"]")), 400,
        "field 'mounts[0]' must be an object");
    assertProblem(carol("POST", "/process", meter(", \"ports\": [{\"target\": 80, \"published\": 70000}]")), 422,
        "ports[0].published must be a port, 1 to 65535, not 70000");
    assertProblem(carol("POST", "/process", meter(", \"ports\": [{\"target\": 80, \"published\": 99999999999}]")),
        400, "field 'ports[0].published' must be a whole number");
    assertProblem(carol("POST", "/process", meter(", \"ports\": [{\"target\": 80, \"published\": 8080, "
        + "\"protocol\": \"TCP\"}]")), 400, "field 'ports[0].protocol' must be tcp, udp or sctp, not 'TCP'");
    assertProblem(carol("POST", "/process", meter(", \"ports\": [{\"target\": 80, \"published\": 8080, "
        + "\"readOnly\": true}]")), 400, "unknown field 'ports[0].readOnly'");
    assertThat(fixture.store().listProcesses().stream().map(p -> p.id()).toList()).isEqualTo(before);
  }

  @Test
  void anAdminMayMountAPathOfTheHost() throws Exception {
    JsonNode p = created(admin("POST", "/process", meter(", \"mounts\": [{\"type\": \"bind\", \"source\": "
        + "\"/etc/hostname\", \"target\": \"/host-name\", \"readOnly\": true}]")));
    String id = p.path("id").asText();
    assertThat(task(id).getContainerSpec().getMounts()).extracting(m -> m.getType() + " " + m.getSource() + " "
        + m.getTarget() + " " + m.getReadOnly()).containsExactly("BIND /etc/hostname /host-name true");
    assertThat(p.path("mounts").get(0).path("type").asText()).isEqualTo("bind");
    assertThat(admin("DELETE", "/process/" + id, null).statusCode()).isEqualTo(204);
  }

  @Test
  void nodesShowWhatTheyHave() throws Exception {
    JsonNode node = json(carol("GET", "/node/" + fixture.nodeId(), null));
    assertThat(node.path("memoryMb").asLong()).isPositive();
    assertThat(node.path("cpus").decimalValue()).isPositive();
    assertThat(Map.of("kind", node.path("kind").asText())).containsEntry("kind", "public");
  }
}
