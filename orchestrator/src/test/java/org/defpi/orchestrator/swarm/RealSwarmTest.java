package org.defpi.orchestrator.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.TaskState;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.defpi.orchestrator.Ids;
import org.defpi.orchestrator.TestImages;
import org.defpi.orchestrator.process.Mount;
import org.defpi.orchestrator.process.PublishedPort;
import org.defpi.orchestrator.node.Resources;
import org.defpi.orchestrator.process.Swarm;
import org.defpi.orchestrator.process.Swarm.Constraint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The swarm connector against the machine's real single-node Swarm (scripts/env.sh up). */
class RealSwarmTest {
  private static final URI DOCKER = URI.create("unix:///var/run/docker.sock");
  private static final Ids IDS = Ids.secure(Clock.systemUTC());
  private static RealSwarm swarm;
  private static String image;

  private static final String OWNER = "test-swarm-" + Long.toHexString(System.nanoTime());

  @BeforeAll
  static void connect() throws Exception {
    // An owner of its own: a deployed orchestrator on this Swarm would remove services and networks
    // it owns but does not know.
    swarm = RealSwarm.connect(new RealSwarm.Settings(DOCKER, Duration.ofSeconds(15), OWNER));
    image = TestImages.REGISTRY + "/services/" + TestImages.METER + ":" + TestImages.VERSION + "@" + TestImages.meter();
  }

  @AfterAll
  static void close() throws Exception {
    if (swarm != null) {
      for (String userId : swarm.userNetworks()) {
        swarm.removeUserNetwork(userId); // whatever a failed test left
      }
      swarm.close();
    }
  }

  @Test
  void replacingAServiceKeepsAnEqualOneAndRemakesOneThatDiffers() throws Exception {
    String id = Ids.secure(Clock.systemUTC()).newId();
    Map<String, String> env = Map.of("PROCESS_ID", id, "JVM_ARGUMENTS", "");
    String other = TestImages.REGISTRY + "/services/" + TestImages.LOGGER + ":" + TestImages.VERSION + "@"
        + TestImages.logger();
    try {
      swarm.replaceService(new Swarm.ProcessService(id, "u-replace", image, env)); // absent: created
      String first = awaitContainer(id);
      long version = swarm.docker().inspectServiceCmd(id).exec().getVersion().getIndex();

      swarm.replaceService(new Swarm.ProcessService(id, "u-replace", image, env)); // the same: left alone
      assertThat(swarm.docker().inspectServiceCmd(id).exec().getVersion().getIndex()).isEqualTo(version);
      assertThat(swarm.containersOf(id)).containsExactly(first);

      swarm.replaceService(new Swarm.ProcessService(id, "u-replace", other, env)); // another image: a new service
      ServiceSpec spec = swarm.docker().inspectServiceCmd(id).exec().getSpec();
      assertThat(spec.getTaskTemplate().getContainerSpec().getImage()).isEqualTo(other);
      assertThat(spec.getLabels()).containsKey(RealSwarm.SPEC_LABEL);
      assertThat(awaitContainer(id)).isNotEqualTo(first);
    } finally {
      swarm.removeService(id);
    }
  }

  @Test
  void aProcessServiceIsCreatedAsSpecifiedLogsAndIsRemovedWithItsContainer() throws Exception {
    String id = IDS.newId();
    String userId = IDS.newId();
    Map<String, String> env = Map.of("PROCESS_ID", id, "ORCHESTRATOR_TOKEN", "t0k3n", "JVM_ARGUMENTS", "");
    try {
      swarm.createService(new Swarm.ProcessService(id, userId, image, env));
      swarm.createService(new Swarm.ProcessService(id, userId, image, env)); // idempotent

      ServiceSpec spec = swarm.docker().inspectServiceCmd(id).exec().getSpec();
      assertThat(spec.getName()).isEqualTo(id);
      assertThat(spec.getLabels()).containsEntry("org.defpi.managed", OWNER).containsEntry("org.defpi.process-id", id);
      assertThat(spec.getEndpointSpec().getMode()).isEqualTo(EndpointResolutionMode.DNSRR);
      assertThat(spec.getTaskTemplate().getRestartPolicy().getCondition()).isEqualTo(ServiceRestartCondition.ANY);
      assertThat(spec.getTaskTemplate().getContainerSpec().getImage()).isEqualTo(image);
      assertThat(spec.getTaskTemplate().getContainerSpec().getEnv())
          .containsExactlyInAnyOrder("PROCESS_ID=" + id, "ORCHESTRATOR_TOKEN=t0k3n", "JVM_ARGUMENTS=");
      // On its user's network, made for it, and on no other.
      String network = RealSwarm.userNetwork(userId);
      assertThat(swarm.userNetworks()).contains(userId);
      List<NetworkAttachmentConfig> networks = spec.getTaskTemplate().getNetworks();
      assertThat(networks).hasSize(1);
      String networkId = swarm.docker().inspectNetworkCmd().withNetworkId(network).exec().getId();
      assertThat(networks.getFirst().getTarget()).isIn(network, networkId);
      assertThat(networks.getFirst().getAliases()).containsExactly(id);
      assertThat(swarm.managedServices()).contains(id);

      // The container starts within a second or two; its output is then in the service's log.
      String logs = "";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!logs.contains("to stderr") && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(200);
        logs = swarm.logs(id, 10);
      }
      assertThat(logs).contains("started " + id).contains("to stderr");
      assertThat(swarm.containersOf(id)).hasSize(1);
    } finally {
      swarm.removeService(id);
    }
    assertThat(swarm.containersOf(id)).isEmpty();
    assertThat(swarm.managedServices()).doesNotContain(id);
    swarm.removeService(id); // idempotent
    swarm.removeUserNetwork(userId); // right after its last container went
    assertThat(swarm.userNetworks()).doesNotContain(userId);
  }

  @Test
  void placementResourcesMountsAndPortsAreInTheSpecAndTheContainer() throws Exception {
    String id = Ids.secure(Clock.systemUTC()).newId();
    String nodeId = swarm.nodes().getFirst().id();
    String user = "65a1b2c300000000000000a1";
    String volume = Mount.volumeName(user, "data-" + id);
    int port = 20000 + new java.util.Random().nextInt(20000);
    var service = new Swarm.ProcessService(id, "u-placed", image, Map.of("PROCESS_ID", id),
        List.of(new Constraint.NodeIs(nodeId), new Constraint.ArchIs("x86_64", true), new Constraint.ArchIs("aarch64", false)),
        new Resources(64 * Resources.MIB, Resources.NANOS_PER_CPU / 4),
        List.of(new Mount(Mount.Type.VOLUME, "data-" + id, "/data", false).forUser(user),
            new Mount(Mount.Type.BIND, "/etc/hostname", "/host-name", true)),
        List.of(new PublishedPort(4999, port, PublishedPort.Protocol.TCP)));
    try {
      swarm.createService(service);

      ServiceSpec spec = swarm.docker().inspectServiceCmd(id).exec().getSpec();
      TaskSpec task = spec.getTaskTemplate();
      assertThat(task.getPlacement().getConstraints())
          .containsExactly("node.id==" + nodeId, "node.platform.arch==x86_64", "node.platform.arch!=aarch64");
      assertThat(task.getResources().getLimits().getMemoryBytes()).isEqualTo(64 * Resources.MIB);
      assertThat(task.getResources().getLimits().getNanoCPUs()).isEqualTo(250_000_000L);
      assertThat(task.getResources().getReservations().getMemoryBytes()).isEqualTo(64 * Resources.MIB);
      assertThat(task.getResources().getReservations().getNanoCPUs()).isEqualTo(250_000_000L);
      var mounts = task.getContainerSpec().getMounts();
      // Docker leaves a false readOnly out.
      assertThat(mounts).extracting(m -> m.getType() + " " + m.getSource() + " " + m.getTarget() + " "
              + Boolean.TRUE.equals(m.getReadOnly()))
          .containsExactly("VOLUME " + volume + " /data false", "BIND /etc/hostname /host-name true");
      assertThat(mounts.getFirst().getVolumeOptions().getLabels()).containsEntry("org.defpi.managed", OWNER);
      assertThat(spec.getEndpointSpec().getMode()).isEqualTo(EndpointResolutionMode.DNSRR);
      PortConfig published = spec.getEndpointSpec().getPorts().getFirst();
      assertThat(published.getTargetPort()).isEqualTo(4999);
      assertThat(published.getPublishedPort()).isEqualTo(port);
      assertThat(published.getProtocol()).isEqualTo(PortConfigProtocol.TCP);
      assertThat(published.getPublishMode()).isEqualTo(PortConfig.PublishMode.host);

      // It runs, on that node, within its limits, with the volume Docker made for the user.
      String container = awaitContainer(id);
      var inspected = swarm.docker().inspectContainerCmd(container).exec();
      assertThat(inspected.getHostConfig().getMemory()).isEqualTo(64 * Resources.MIB);
      assertThat(inspected.getHostConfig().getNanoCPUs()).isEqualTo(250_000_000L);
      assertThat(inspected.getMounts()).extracting(m -> m.getName()).contains(volume);
      assertThat(swarm.taskNodes()).containsEntry(id, nodeId);
    } finally {
      swarm.removeService(id);
      try {
        swarm.docker().removeVolumeCmd(volume).exec();
      } catch (com.github.dockerjava.api.exception.NotFoundException e) {
        // never made: the container did not start
      }
    }
    assertThat(swarm.taskNodes()).doesNotContainKey(id);
  }

  @Test
  void aProcessConstrainedToANodeThatCannotTakeItStaysPendingRatherThanRunElsewhere() throws Exception {
    String id = Ids.secure(Clock.systemUTC()).newId();
    String nodeId = swarm.nodes().getFirst().id();
    // This Swarm's one node, but only while it is public in a pool it is not in (as a pool whose nodes
    // are gone): Swarm must not run it there anyway.
    var service = new Swarm.ProcessService(id, "u-placed", image, Map.of("PROCESS_ID", id),
        List.of(new Constraint.LabelIs(Swarm.KIND_LABEL, "public"), new Constraint.LabelIs(Swarm.POOL_LABEL, "nowhere")),
        Resources.NONE, List.of(), List.of());
    // And one that asks for more memory than the node has.
    String big = Ids.secure(Clock.systemUTC()).newId();
    long memory = swarm.nodes().getFirst().capacity().memoryBytes();
    var tooBig = new Swarm.ProcessService(big, "u-placed", image, Map.of("PROCESS_ID", big),
        List.of(new Constraint.NodeIs(nodeId)), new Resources(memory + 1024 * Resources.MIB, 0), List.of(), List.of());
    try {
      swarm.createService(service);
      swarm.createService(tooBig);
      for (String s : List.of(id, big)) {
        awaitTaskState(s, TaskState.PENDING);
      }
      TimeUnit.SECONDS.sleep(2);
      for (String s : List.of(id, big)) {
        List<Task> tasks = swarm.docker().listTasksCmd().withServiceFilter(s).exec();
        assertThat(tasks).as(s).isNotEmpty().allSatisfy(t -> {
          assertThat(t.getStatus().getState()).isEqualTo(TaskState.PENDING);
          assertThat(t.getNodeId()).isNullOrEmpty();
        });
        assertThat(swarm.containersOf(s)).as(s).isEmpty();
        assertThat(swarm.taskNodes()).doesNotContainKey(s);
      }
      assertThat(swarm.docker().listTasksCmd().withServiceFilter(id).exec().getFirst().getStatus().getErr())
          .contains("no suitable node");
    } finally {
      swarm.removeService(id);
      swarm.removeService(big);
    }
  }

  @Test
  void placementLabelsOnANodeAreOursAloneAndReadBack() throws Exception {
    String nodeId = swarm.nodes().getFirst().id();
    // A deployed orchestrator on this machine may have labelled the node: those labels stay as they are.
    Map<String, String> othersBefore = othersLabels();
    try {
      swarm.labelNode(nodeId, Map.of(Swarm.KIND_LABEL, "public", Swarm.POOL_LABEL, "p1"));
      assertThat(swarm.nodes().getFirst().labels()).isEqualTo(Map.of("kind", "public", "pool", "p1"));
      Map<String, String> all = swarm.docker().listSwarmNodesCmd().exec().getFirst().getSpec().getLabels();
      assertThat(all).containsEntry("org.defpi." + OWNER + ".kind", "public")
          .containsEntry("org.defpi." + OWNER + ".pool", "p1");
      assertThat(othersLabels()).as("never another orchestrator's keys").isEqualTo(othersBefore);

      swarm.labelNode(nodeId, Map.of(Swarm.KIND_LABEL, "private", Swarm.USER_LABEL, "u1"));
      assertThat(swarm.nodes().getFirst().labels()).isEqualTo(Map.of("kind", "private", "user", "u1"));
      swarm.labelNode(nodeId, Map.of(Swarm.KIND_LABEL, "private", Swarm.USER_LABEL, "u1")); // no change: no write
    } finally {
      swarm.labelNode(nodeId, Map.of());
    }
    assertThat(swarm.nodes().getFirst().labels()).isEmpty();
    assertThat(swarm.docker().listSwarmNodesCmd().exec().getFirst().getSpec().getLabels().keySet())
        .noneMatch(k -> k.startsWith("org.defpi." + OWNER + "."));
    assertThat(othersLabels()).isEqualTo(othersBefore);
    assertThatThrownBy(() -> swarm.labelNode("no-such-node", Map.of())).isInstanceOf(Swarm.SwarmException.class)
        .hasMessageContaining("not in the Swarm");
  }

  /** The node's labels that are not this test's own. */
  private static Map<String, String> othersLabels() {
    Map<String, String> labels = swarm.docker().listSwarmNodesCmd().exec().getFirst().getSpec().getLabels();
    Map<String, String> others = new java.util.TreeMap<>(labels == null ? Map.of() : labels);
    others.keySet().removeIf(k -> k.startsWith("org.defpi." + OWNER + "."));
    return others;
  }

  @Test
  void theDeployedOrchestratorsNodeLabelsHaveShortKeys() {
    assertThat(RealSwarm.nodeLabelKey("pool", RealSwarm.DEFAULT_OWNER)).isEqualTo("org.defpi.pool");
    assertThat(RealSwarm.nodeLabelKey("pool", "test-1")).isEqualTo("org.defpi.test-1.pool");
    assertThat(RealSwarm.constraint(new Constraint.LabelIs("kind", "public"), RealSwarm.DEFAULT_OWNER))
        .isEqualTo("node.labels.org.defpi.kind==public");
  }

  private static String awaitContainer(String service) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      var running = swarm.docker().listContainersCmd()
          .withLabelFilter(Map.of(RealSwarm.SWARM_SERVICE_NAME_LABEL, service)).exec();
      if (!running.isEmpty()) {
        return running.getFirst().getId();
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError("no running container of service " + service + " within 30 s");
  }

  private static void awaitTaskState(String service, TaskState state) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      List<Task> tasks = swarm.docker().listTasksCmd().withServiceFilter(service).exec();
      if (!tasks.isEmpty() && tasks.getFirst().getStatus().getState() == state) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError("the task of service " + service + " is not " + state + " within 15 s");
  }

  @Test
  void theNodesAreListedInTheEnginesWords() throws Exception {
    // This machine's single-node Swarm (scripts/env.sh).
    var nodes = swarm.nodes();
    assertThat(nodes).hasSize(1);
    Swarm.SwarmNode node = nodes.getFirst();
    assertThat(node.id()).isEqualTo(swarm.docker().infoCmd().exec().getSwarm().getNodeID());
    assertThat(node.architecture()).isEqualTo("x86_64");
    assertThat(node.state()).isEqualTo("ready");
    assertThat(node.hostname()).isNotEmpty();
    var resources = swarm.docker().infoCmd().exec();
    assertThat(node.capacity().nanoCpus()).isEqualTo(resources.getNCPU() * Resources.NANOS_PER_CPU);
    assertThat(node.capacity().memoryBytes()).isEqualTo(resources.getMemTotal());
  }

  @Test
  void aUsersNetworkIsMadeOnceAttachableAndLabelledAndRemoved() throws Exception {
    String userId = IDS.newId();
    String name = RealSwarm.userNetwork(userId);
    try {
      // Four at once, as concurrent first processes of a user would: one network, no failure.
      try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
        List<Future<Object>> makes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          makes.add(pool.submit((Callable<Object>) () -> {
            swarm.ensureUserNetwork(userId);
            return null;
          }));
        }
        for (Future<Object> f : makes) {
          f.get(60, TimeUnit.SECONDS);
        }
      }
      swarm.ensureUserNetwork(userId); // and again: nothing changes

      List<Network> named = networksNamed(name);
      assertThat(named).hasSize(1);
      Network network = swarm.docker().inspectNetworkCmd().withNetworkId(named.getFirst().getId()).exec();
      assertThat(network.getDriver()).isEqualTo("overlay");
      assertThat(network.getScope()).isEqualTo("swarm");
      assertThat(network.isAttachable()).isTrue();
      assertThat(network.getOptions()).as("Swarm encryption is off by default").doesNotContainKey("encrypted");
      assertThat(network.getLabels()).containsEntry("org.defpi.managed", OWNER).containsEntry("org.defpi.user-id", userId);
      assertThat(swarm.userNetworks()).contains(userId);

      // Another owner's orchestrator neither lists it nor takes it for its own.
      try (RealSwarm other = RealSwarm.connect(new RealSwarm.Settings(DOCKER, Duration.ofSeconds(5), OWNER + "-other"))) {
        assertThat(other.userNetworks()).doesNotContain(userId);
        assertThatThrownBy(() -> other.ensureUserNetwork(userId)).isInstanceOf(Swarm.SwarmException.class)
            .hasMessageContaining("not this orchestrator's");
        assertThatThrownBy(() -> other.removeUserNetwork(userId)).isInstanceOf(Swarm.SwarmException.class);
      }

      swarm.removeUserNetwork(userId);
      assertThat(networksNamed(name)).isEmpty();
      assertThat(swarm.userNetworks()).doesNotContain(userId);
      swarm.removeUserNetwork(userId); // idempotent
    } finally {
      swarm.removeUserNetwork(userId);
    }
  }

  @Test
  void withOverlayEncryptionAUsersNetworkIsSwarmEncrypted() throws Exception {
    String userId = IDS.newId();
    try (RealSwarm encrypting = RealSwarm.connect(new RealSwarm.Settings(DOCKER, Duration.ofSeconds(15), OWNER,
        Optional.empty(), true))) {
      encrypting.ensureUserNetwork(userId);
      List<Network> named = networksNamed(RealSwarm.userNetwork(userId));
      assertThat(named).hasSize(1);
      assertThat(swarm.docker().inspectNetworkCmd().withNetworkId(named.getFirst().getId()).exec().getOptions())
          .containsKey("encrypted");
    } finally {
      swarm.removeUserNetwork(userId);
    }
  }

  @Test
  void theOrchestratorsContainerJoinsEachUsersNetworkUnderItsAliasAndLeavesItOnRemoval() throws Exception {
    var docker = swarm.docker();
    // A plain container stands in for the deployed orchestrator's.
    docker.pullImageCmd(TestImages.REGISTRY + "/services/" + TestImages.METER).withTag(TestImages.VERSION).start()
        .awaitCompletion(60, TimeUnit.SECONDS);
    String container = docker.createContainerCmd(TestImages.REGISTRY + "/services/" + TestImages.METER + ":"
            + TestImages.VERSION)
        .withName("defpi-test-orchestrator-" + IDS.newId()).withLabels(Map.of("org.defpi.test", OWNER)).exec().getId();
    String alias = "defpi-orchestrator-" + OWNER;
    String userA = IDS.newId();
    String userB = IDS.newId();
    try (RealSwarm inContainer = RealSwarm.connect(new RealSwarm.Settings(DOCKER, Duration.ofSeconds(15), OWNER,
        Optional.of(new RealSwarm.Attachment(container, alias))))) {
      docker.startContainerCmd(container).exec();
      inContainer.ensureUserNetwork(userA);
      inContainer.ensureUserNetwork(userB);
      assertThat(networksOf(container)).containsKeys(RealSwarm.userNetwork(userA), RealSwarm.userNetwork(userB));
      assertThat(networksOf(container).get(RealSwarm.userNetwork(userA)).getAliases()).contains(alias);

      // Left behind our back (or a new container of the orchestrator): joined again, idempotently.
      docker.disconnectFromNetworkCmd().withNetworkId(RealSwarm.userNetwork(userB)).withContainerId(container).exec();
      assertThat(networksOf(container)).doesNotContainKey(RealSwarm.userNetwork(userB));
      inContainer.joinUserNetworks();
      inContainer.joinUserNetworks();
      assertThat(networksOf(container)).containsKeys(RealSwarm.userNetwork(userA), RealSwarm.userNetwork(userB));
      assertThat(networksOf(container).get(RealSwarm.userNetwork(userB)).getAliases()).contains(alias);

      // Removal: the container leaves first, else the network would be in use.
      inContainer.removeUserNetwork(userA);
      assertThat(networksNamed(RealSwarm.userNetwork(userA))).isEmpty();
      assertThat(networksOf(container)).doesNotContainKey(RealSwarm.userNetwork(userA))
          .containsKey(RealSwarm.userNetwork(userB));
    } finally {
      docker.removeContainerCmd(container).withForce(true).exec();
      swarm.removeUserNetwork(userA);
      swarm.removeUserNetwork(userB);
    }
  }

  private static Map<String, ContainerNetwork> networksOf(String container) {
    return swarm.docker().inspectContainerCmd(container).exec().getNetworkSettings().getNetworks();
  }

  private static List<Network> networksNamed(String name) {
    return swarm.docker().listNetworksCmd().withNameFilter(name).exec().stream()
        .filter(n -> n.getName().equals(name)).toList();
  }
}
