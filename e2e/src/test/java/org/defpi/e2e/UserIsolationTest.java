package org.defpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Network;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two users cannot see or reach each other's processes (one overlay network per user).
 * User A runs a meter wired to a logger, user B a logger. Over the API, B does not see A's process.
 * On the wire, from inside A's meter container: B's process id does not resolve, and nothing sent
 * to B's container address arrives there, while A's own logger and the orchestrator are reachable
 * (A's connection is ACTIVE and its measurements flow). Deleting the users removes their networks.
 *
 * <p>Reachability is judged by what arrives, not by whether a TCP connect succeeds: on a machine
 * whose outbound traffic is intercepted (this one answers any connect to an unrouted address with
 * an HTTP 400), a connect to an address nobody has succeeds too. So a listener is started in the
 * target container ({@code nc -l}, busybox in the base image) and a token sent to it; and what
 * answers at B's address on 4999 is compared with what answers at an unused address of B's subnet.
 *
 * <p>What a run makes is named {@code e2e-isolation-<run>-…}; users an aborted run left behind
 * (older than ten minutes) are deleted at the start, with their processes.
 */
class UserIsolationTest {
  private static final String PREFIX = "e2e-isolation-";
  private static final Duration STALE = Duration.ofMinutes(10);
  private static final String RUN = random(4);
  private static final String PROBE_PORT = "4998"; // free in a process: management is 4999, data 5000-9999
  private static final String PROBE_FILE = "/tmp/defpi-isolation-probe";

  private static OrchestratorClient admin;
  private static DockerClient docker;
  private static final List<String> users = new ArrayList<>();

  /** A user of this run, with a client logged in as them. */
  record Tenant(String id, String name, OrchestratorClient api) {
    String network() {
      return "defpi-user-" + id;
    }
  }

  @BeforeAll
  static void deploy() throws Exception {
    admin = Platform.up();
    docker = Platform.docker();
    deleteLeftovers();
  }

  @AfterAll
  static void close() throws Exception {
    if (admin != null) {
      for (String id : users) {
        deleteUserAndProcesses(id); // what a failed test left
      }
    }
    if (docker != null) {
      docker.close();
    }
  }

  @Test
  void twoUsersCannotSeeOrReachEachOthersProcesses() throws Exception {
    Tenant a = newUser("a");
    Tenant b = newUser("b");
    String aMeter = create(a, "power-meter", Map.of("count", "100000", "intervalMillis", "200"));
    String aLogger = create(a, "power-logger", Map.of());
    String bLogger = create(b, "power-logger", Map.of());
    for (String id : List.of(aMeter, aLogger)) {
      a.api().awaitRunning(id, Duration.ofSeconds(90));
    }
    b.api().awaitRunning(bLogger, Duration.ofSeconds(90));

    // A's processes reach the orchestrator (they are configured: RUNNING) and each other.
    OrchestratorClient.Response connection = a.api().post("connection", Map.of(
        "endpoint1", Map.of("processId", aMeter, "interfaceId", "power-meter/power-measurement"),
        "endpoint2", Map.of("processId", aLogger, "interfaceId", "power-logger/power-measurement")));
    assertThat(connection.status()).as(connection.body()).isEqualTo(201);
    await("A's logger receives A's meter's measurements").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> a.api().get("process/" + aLogger + "/log?tail=200").body(),
            log -> log.contains("PowerMeasurement from " + aMeter));
    assertThat(a.api().get("connection/" + connection.json().path("id").asText()).json().path("state").asText())
        .isEqualTo("ACTIVE");

    // Over the API, B does not see A's process, and cannot wire to it.
    assertThat(b.api().get("process/" + aMeter).status()).isEqualTo(404);
    assertThat(b.api().get("process/" + aMeter + "/log").status()).isEqualTo(404);
    assertThat(ids(b.api().get("process?limit=1000").json())).containsExactly(bLogger);
    OrchestratorClient.Response foreign = b.api().post("connection", Map.of(
        "endpoint1", Map.of("processId", aMeter, "interfaceId", "power-meter/power-measurement"),
        "endpoint2", Map.of("processId", bLogger, "interfaceId", "power-logger/power-measurement")));
    assertThat(foreign.status()).as(foreign.body()).isIn(404, 422);

    // Each user's processes are on their own network alone (not Swarm-encrypted unless
    // DEFPI_OVERLAY_ENCRYPTION=on); the orchestrator is on both.
    for (var p : List.of(Map.entry(aMeter, a), Map.entry(aLogger, a), Map.entry(bLogger, b))) {
      assertThat(serviceNetworks(p.getKey())).as("networks of " + p.getKey()).containsExactly(p.getValue().network());
    }
    for (Tenant t : List.of(a, b)) {
      Network n = docker.inspectNetworkCmd().withNetworkId(t.network()).exec();
      assertThat(n.getDriver()).isEqualTo("overlay");
      assertThat(n.getOptions()).doesNotContainKey("encrypted");
      assertThat(n.getLabels()).containsEntry("org.defpi.user-id", t.id()).containsEntry("org.defpi.managed",
          "defpi-orchestrator");
      ContainerNetwork joined = orchestratorNetworks().get(t.network());
      assertThat(joined).as("the orchestrator on " + t.network()).isNotNull();
      assertThat(joined.getAliases()).contains("defpi-orchestrator");
    }

    String from = runningContainer(aMeter);
    String aLoggerContainer = runningContainer(aLogger);
    String bContainer = runningContainer(bLogger);
    String bAddress = address(bContainer, b.network());
    String aLoggerAddress = address(aLoggerContainer, a.network());

    // Names: A's peer and the orchestrator resolve in A's container; B's process does not.
    assertThat(exec(from, "nslookup", aLogger).exitCode()).as("A resolves its own logger").isZero();
    assertThat(exec(from, "nslookup", "defpi-orchestrator").exitCode()).as("A resolves the orchestrator").isZero();
    Exec lookup = exec(from, "nslookup", bLogger);
    assertThat(lookup.exitCode()).as("A resolves B's process: " + lookup.output()).isNotZero();

    // Packets: a token sent to a listener in B's container never arrives; one sent the same way to
    // A's logger does.
    listen(bContainer);
    listen(aLoggerContainer);
    String tokenB = "to-b-" + random(8);
    String tokenA = "to-a-" + random(8);
    exec(from, "sh", "-c", "echo " + tokenB + " | nc -w 3 " + bAddress + " " + PROBE_PORT);
    exec(from, "sh", "-c", "echo " + tokenA + " | nc -w 3 " + aLoggerAddress + " " + PROBE_PORT);
    await("A's token at A's logger").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
        .until(() -> exec(aLoggerContainer, "cat", PROBE_FILE).output(), out -> out.contains(tokenA));
    Thread.sleep(1000); // sent before A's token, which has arrived: B's would be there by now
    assertThat(exec(bContainer, "cat", PROBE_FILE).output()).as("what arrived in B's container")
        .doesNotContain(tokenB);

    // B's management port answers A as an address nobody has answers: not B's process, whatever answers.
    String unused = unusedAddress(b.network());
    String atB = probe(from, bAddress, "4999");
    String atNobody = probe(from, unused, "4999");
    System.out.printf("isolation: from A's container, %s:4999 (B's logger) -> %s; %s:4999 (unused) -> %s%n",
        bAddress, atB, unused, atNobody);
    assertThat(atB).as("B's address on 4999 from A, beside an unused address's").isEqualTo(atNobody);

    // Deleting the users (their processes first) removes their networks.
    for (Tenant t : List.of(a, b)) {
      deleteUserAndProcesses(t.id());
    }
    await("the users' networks removed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
        .until(() -> !networkExists(a.network()) && !networkExists(b.network()));
    assertThat(orchestratorNetworks()).doesNotContainKeys(a.network(), b.network());
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  private static Tenant newUser(String letter) {
    String name = PREFIX + RUN + "-" + letter;
    String password = "pw-" + random(12);
    OrchestratorClient.Response made = admin.post("user", Map.of("name", name, "password", password, "role", "user"));
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    String id = made.json().path("id").asText();
    users.add(id);
    return new Tenant(id, name, new OrchestratorClient(Platform.ORCHESTRATOR, name, password));
  }

  private static String create(Tenant t, String serviceId, Map<String, String> configuration) {
    OrchestratorClient.Response created = t.api().post("process",
        Map.of("serviceId", serviceId, "name", t.name() + "-" + serviceId, "configuration", configuration));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().path("id").asText();
  }

  /** The names of the networks a process's Swarm service is attached to. */
  private static List<String> serviceNetworks(String processId) {
    return docker.inspectServiceCmd(processId).exec().getSpec().getTaskTemplate().getNetworks().stream()
        .map(n -> docker.inspectNetworkCmd().withNetworkId(n.getTarget()).exec().getName())
        .toList();
  }

  private static Map<String, ContainerNetwork> orchestratorNetworks() {
    return docker.inspectContainerCmd(Platform.ORCHESTRATOR_CONTAINER).exec().getNetworkSettings().getNetworks();
  }

  private static String runningContainer(String processId) {
    var running = docker.listContainersCmd().withLabelFilter(Map.of("com.docker.swarm.service.name", processId))
        .exec();
    assertThat(running).as("running containers of " + processId).hasSize(1);
    return running.getFirst().getId();
  }

  private static String address(String container, String network) {
    ContainerNetwork n = docker.inspectContainerCmd(container).exec().getNetworkSettings().getNetworks().get(network);
    assertThat(n).as(container + " on " + network).isNotNull();
    return n.getIpAddress();
  }

  /** An address of the network's subnet that no endpoint has. */
  private static String unusedAddress(String network) throws Exception {
    Network n = docker.inspectNetworkCmd().withNetworkId(network).exec();
    String subnet = n.getIpam().getConfig().getFirst().getSubnet(); // a.b.c.d/prefix
    byte[] base = InetAddress.getByName(subnet.substring(0, subnet.indexOf('/'))).getAddress();
    assertThat(Integer.parseInt(subnet.substring(subnet.indexOf('/') + 1))).as("subnet " + subnet)
        .isLessThanOrEqualTo(24);
    base[3] = (byte) 250;
    String candidate = Inet4Address.getByAddress(base).getHostAddress();
    for (Network.ContainerNetworkConfig endpoint : n.getContainers().values()) {
      assertThat(endpoint.getIpv4Address()).as("an endpoint on " + network).doesNotStartWith(candidate + "/");
    }
    return candidate;
  }

  /** A listener on {@value #PROBE_PORT} in the container, writing what it gets to {@value #PROBE_FILE}. */
  private static void listen(String container) throws Exception {
    // In the background of a shell that ends at once: it lives on, with the container.
    exec(container, "sh", "-c", "nc -l -p " + PROBE_PORT + " > " + PROBE_FILE + " 2>&1 &");
    await("a listener in " + container).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
        .until(() -> exec(container, "sh", "-c", "netstat -ltn | grep -q ':" + PROBE_PORT + " '").exitCode() == 0);
  }

  /**
   * What a TCP client in {@code container} gets from {@code address:port} when it sends a line:
   * its exit code and first line of output, the address written as ADDRESS.
   */
  private static String probe(String container, String address, String port) throws Exception {
    Exec e = exec(container, "sh", "-c", "echo probe | nc -w 3 " + address + " " + port + " 2>&1 | head -1");
    return "first line '" + e.output().strip().replace(address, "ADDRESS") + "'";
  }

  record Exec(long exitCode, String output) {}

  /** Runs a command in a container and waits for it: exit code and output (stdout and stderr). */
  private static Exec exec(String container, String... command) throws Exception {
    String id = docker.execCreateCmd(container).withCmd(command).withAttachStdout(true).withAttachStderr(true)
        .exec().getId();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean done = docker.execStartCmd(id).exec(new ResultCallback.Adapter<Frame>() {
      @Override
      public void onNext(Frame frame) {
        out.writeBytes(frame.getPayload());
      }
    }).awaitCompletion(30, TimeUnit.SECONDS);
    assertThat(done).as(String.join(" ", command) + " in " + container + " within 30 s").isTrue();
    Long code = docker.inspectExecCmd(id).exec().getExitCodeLong();
    return new Exec(code == null ? -1 : code, out.toString(StandardCharsets.UTF_8));
  }

  private static boolean networkExists(String name) {
    try {
      docker.inspectNetworkCmd().withNetworkId(name).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  /** Deletes a user's processes (as the admin), then the user, once no process of theirs is left. */
  private static void deleteUserAndProcesses(String userId) {
    OrchestratorClient.Response list = admin.get("process?limit=1000&userId=" + userId);
    assertThat(list.status()).as(list.body()).isEqualTo(200);
    for (JsonNode p : list.json()) {
      admin.delete("process/" + p.path("id").asText()); // 204, or 202 while its teardown goes on
    }
    // Refused (409) while a teardown still holds a process of theirs.
    await("user " + userId + " deleted").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
        .until(() -> admin.delete("user/" + userId).status(), status -> status == 204 || status == 404);
  }

  /** Users an aborted earlier run left behind (not a concurrent run's: those are younger), with their processes. */
  private static void deleteLeftovers() {
    Instant before = Instant.now().minus(STALE);
    for (JsonNode u : admin.get("user?limit=1000").json()) {
      if (u.path("name").asText().startsWith(PREFIX) && Instant.parse(u.path("createdAt").asText()).isBefore(before)) {
        deleteUserAndProcesses(u.path("id").asText());
      }
    }
  }

  private static List<String> ids(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(n -> n.path("id").asText()).toList();
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
