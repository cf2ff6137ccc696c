package org.defpi.orchestrator.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceSpec;
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
import org.defpi.orchestrator.process.Swarm;
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
  void theNodesAreListedInTheEnginesWords() throws Exception {
    // This machine's single-node Swarm (scripts/env.sh).
    var nodes = swarm.nodes();
    assertThat(nodes).hasSize(1);
    Swarm.SwarmNode node = nodes.getFirst();
    assertThat(node.id()).isEqualTo(swarm.docker().infoCmd().exec().getSwarm().getNodeID());
    assertThat(node.architecture()).isEqualTo("x86_64");
    assertThat(node.state()).isEqualTo("ready");
    assertThat(node.hostname()).isNotEmpty();
  }

  @Test
  void aUsersNetworkIsMadeOnceEncryptedAttachableAndLabelledAndRemoved() throws Exception {
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
      assertThat(network.getOptions()).containsKey("encrypted");
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
