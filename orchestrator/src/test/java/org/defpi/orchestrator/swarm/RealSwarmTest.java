package org.defpi.orchestrator.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceSpec;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.defpi.orchestrator.Ids;
import org.defpi.orchestrator.TestImages;
import org.defpi.orchestrator.process.Swarm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The swarm connector against the machine's real single-node Swarm (scripts/env.sh up). */
class RealSwarmTest {
  private static RealSwarm swarm;
  private static String image;

  private static final String OWNER = "test-swarm-" + Long.toHexString(System.nanoTime());

  @BeforeAll
  static void connect() throws Exception {
    // An owner of its own: a deployed orchestrator on this Swarm would remove services it owns but does not know.
    swarm = RealSwarm.connect(new RealSwarm.Settings(URI.create("unix:///var/run/docker.sock"), "defpi-processes",
        Duration.ofSeconds(15), OWNER));
    swarm.ensureNetwork();
    image = TestImages.REGISTRY + "/services/" + TestImages.METER + ":" + TestImages.VERSION + "@" + TestImages.meter();
  }

  @AfterAll
  static void close() throws Exception {
    swarm.close();
  }

  @Test
  void replacingAServiceKeepsAnEqualOneAndRemakesOneThatDiffers() throws Exception {
    String id = Ids.secure(Clock.systemUTC()).newId();
    Map<String, String> env = Map.of("PROCESS_ID", id, "JVM_ARGUMENTS", "");
    String other = TestImages.REGISTRY + "/services/" + TestImages.LOGGER + ":" + TestImages.VERSION + "@"
        + TestImages.logger();
    try {
      swarm.replaceService(new Swarm.ProcessService(id, image, env)); // absent: created
      String first = awaitContainer(id);
      long version = swarm.docker().inspectServiceCmd(id).exec().getVersion().getIndex();

      swarm.replaceService(new Swarm.ProcessService(id, image, env)); // the same: left alone
      assertThat(swarm.docker().inspectServiceCmd(id).exec().getVersion().getIndex()).isEqualTo(version);
      assertThat(swarm.containersOf(id)).containsExactly(first);

      swarm.replaceService(new Swarm.ProcessService(id, other, env)); // another image: a new service
      ServiceSpec spec = swarm.docker().inspectServiceCmd(id).exec().getSpec();
      assertThat(spec.getTaskTemplate().getContainerSpec().getImage()).isEqualTo(other);
      assertThat(spec.getLabels()).containsKey(RealSwarm.SPEC_LABEL);
      assertThat(awaitContainer(id)).isNotEqualTo(first);
    } finally {
      swarm.removeService(id);
    }
  }

  /** The one container of the service, once there is one. */
  private static String awaitContainer(String id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (swarm.containersOf(id).size() != 1) {
      assertThat(System.nanoTime()).as("a container of " + id + " within 30 s").isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(100);
    }
    return swarm.containersOf(id).getFirst();
  }

  @Test
  void aProcessServiceIsCreatedAsSpecifiedLogsAndIsRemovedWithItsContainer() throws Exception {
    String id = Ids.secure(Clock.systemUTC()).newId();
    Map<String, String> env = Map.of("PROCESS_ID", id, "ORCHESTRATOR_TOKEN", "t0k3n", "JVM_ARGUMENTS", "");
    try {
      swarm.createService(new Swarm.ProcessService(id, image, env));
      swarm.createService(new Swarm.ProcessService(id, image, env)); // idempotent

      ServiceSpec spec = swarm.docker().inspectServiceCmd(id).exec().getSpec();
      assertThat(spec.getName()).isEqualTo(id);
      assertThat(spec.getLabels()).containsEntry("org.defpi.managed", OWNER).containsEntry("org.defpi.process-id", id);
      assertThat(spec.getEndpointSpec().getMode()).isEqualTo(EndpointResolutionMode.DNSRR);
      assertThat(spec.getTaskTemplate().getRestartPolicy().getCondition()).isEqualTo(ServiceRestartCondition.ANY);
      assertThat(spec.getTaskTemplate().getContainerSpec().getImage()).isEqualTo(image);
      assertThat(spec.getTaskTemplate().getContainerSpec().getEnv())
          .containsExactlyInAnyOrder("PROCESS_ID=" + id, "ORCHESTRATOR_TOKEN=t0k3n", "JVM_ARGUMENTS=");
      NetworkAttachmentConfig network = spec.getTaskTemplate().getNetworks().getFirst();
      String networkId = swarm.docker().inspectNetworkCmd().withNetworkId("defpi-processes").exec().getId();
      assertThat(network.getTarget()).isIn("defpi-processes", networkId);
      assertThat(network.getAliases()).containsExactly(id);
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
  void theNetworkIsEnsuredIdempotently() throws Exception {
    swarm.ensureNetwork();
    var networks = swarm.docker().listNetworksCmd().withNameFilter("defpi-processes").exec().stream()
        .filter(n -> n.getName().equals("defpi-processes")).toList();
    assertThat(networks).hasSize(1);
    assertThat(networks.getFirst().getDriver()).isEqualTo("overlay");
    assertThat(networks.getFirst().isAttachable()).isTrue();
  }
}
