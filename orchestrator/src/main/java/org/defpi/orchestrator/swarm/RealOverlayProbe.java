package org.defpi.orchestrator.swarm;

import static org.defpi.orchestrator.swarm.RealSwarm.RESTART_DELAY;
import static org.defpi.orchestrator.swarm.RealSwarm.SPEC_LABEL;
import static org.defpi.orchestrator.swarm.RealSwarm.message;
import static org.defpi.orchestrator.swarm.RealSwarm.sha256;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.defpi.orchestrator.node.OverlayCheck.OverlayProbe;
import org.defpi.orchestrator.node.OverlayCheck.Probe;
import org.defpi.orchestrator.node.OverlayCheck.Reading;
import org.defpi.orchestrator.node.SwarmNodes.SwarmException;

/**
 * The overlay check's connector ({@link org.defpi.orchestrator.node.OverlayCheck}): an encrypted,
 * attachable network the orchestrator joins and a plain one beside it, a global service of probes on
 * both (busybox of the base image), whether the orchestrator reaches each probe over the encrypted
 * network, and what each probe found, read over the plain one.
 */
final class RealOverlayProbe implements OverlayProbe {
  /** The overlay check's encrypted network and global service (not a process: no {@value #MANAGED_LABEL}). */
  public static final String OVERLAY_CHECK = "defpi-overlay-check";
  /** A plain network beside it, over which the orchestrator reads what each probe found. */
  static final String OVERLAY_CHECK_PLAIN = "defpi-overlay-check-plain";
  /** The probes' name on the encrypted network only (a network-scoped alias). */
  static final String OVERLAY_CHECK_PROBE = "defpi-overlay-check-probe";
  static final String PLATFORM_LABEL = "org.defpi.platform";
  static final int OVERLAY_CHECK_PORT = 7070;
  /**
   * Each probe serves its latest findings on {@value #OVERLAY_CHECK_PORT} to whoever connects, and every
   * 10 s tries every other probe on the encrypted network (found by its network-scoped alias; busybox
   * of the base image: nc, nslookup) and writes "ok ADDRESS" or "fail ADDRESS" a line each.
   */
  static final String OVERLAY_CHECK_SCRIPT = String.join("\n",
      "touch /tmp/findings",
      "nc -ll -p " + OVERLAY_CHECK_PORT + " -e /bin/cat /tmp/findings &",
      "while true; do",
      "  for ip in $(nslookup " + OVERLAY_CHECK_PROBE + " 2>/dev/null | awk '/^Address/ && $NF !~ /:53$|#/ { print $NF }'); do",
      "    if nc -w 2 \"$ip\" " + OVERLAY_CHECK_PORT + " </dev/null >/dev/null 2>&1; then echo \"ok $ip\"; else echo \"fail $ip\"; fi",
      "  done > /tmp/findings.new",
      "  mv /tmp/findings.new /tmp/findings",
      "  sleep 10",
      "done");

  private final RealSwarm swarm;
  private final DockerClient docker;
  private final String image;

  RealOverlayProbe(RealSwarm swarm, String image) {
    this.swarm = swarm;
    this.docker = swarm.docker();
    this.image = image;
  }

  @Override
  public String orchestratorNode() throws SwarmException {
    try {
      return docker.infoCmd().exec().getSwarm().getNodeID();
    } catch (RuntimeException e) {
      throw new SwarmException("cannot read this engine's swarm node: " + message(e), e);
    }
  }

  @Override
  public List<Reading> probe() throws SwarmException {
    ensureOverlayCheck();
    List<Reading> readings = new ArrayList<>();
    for (CheckTask task : overlayProbes()) {
      readings.add(readProbe(task));
    }
    return readings;
  }

  private void ensureOverlayCheck() throws SwarmException {
    try {
      ensureCheckNetwork(OVERLAY_CHECK, true);
      ensureCheckNetwork(OVERLAY_CHECK_PLAIN, false);
      // The probes' spec is labelled with a digest of what makes it (image, script): another is replaced.
      String digest = sha256(image + "\n" + OVERLAY_CHECK_SCRIPT + "\n" + OVERLAY_CHECK_PLAIN);
      boolean current = false;
      for (var service : docker.listServicesCmd().withNameFilter(List.of(OVERLAY_CHECK)).exec()) {
        if (!OVERLAY_CHECK.equals(service.getSpec().getName())) {
          continue;
        }
        Map<String, String> labels = service.getSpec().getLabels();
        if (labels != null && digest.equals(labels.get(SPEC_LABEL))) {
          current = true;
        } else {
          docker.removeServiceCmd(service.getId()).exec();
        }
      }
      if (!current) {
        docker.createServiceCmd(new ServiceSpec()
            .withName(OVERLAY_CHECK)
            .withLabels(Map.of(PLATFORM_LABEL, OVERLAY_CHECK, SPEC_LABEL, digest))
            .withMode(new com.github.dockerjava.api.model.ServiceModeConfig()
                .withGlobal(new com.github.dockerjava.api.model.ServiceGlobalModeOptions()))
            .withTaskTemplate(new TaskSpec()
                .withContainerSpec(new ContainerSpec().withImage(image)
                    .withCommand(List.of("sh", "-c", OVERLAY_CHECK_SCRIPT))
                    .withLabels(Map.of(PLATFORM_LABEL, OVERLAY_CHECK)))
                .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.ANY)
                    .withDelay(RESTART_DELAY.toNanos()))
                .withNetworks(List.of(
                    new NetworkAttachmentConfig().withTarget(OVERLAY_CHECK).withAliases(List.of(OVERLAY_CHECK_PROBE)),
                    new NetworkAttachmentConfig().withTarget(OVERLAY_CHECK_PLAIN))))
            .withEndpointSpec(new EndpointSpec().withMode(EndpointResolutionMode.DNSRR))).exec();
      }
    } catch (RuntimeException e) {
      throw new SwarmException("cannot set up the overlay check: " + message(e), e);
    }
  }

  private void ensureCheckNetwork(String name, boolean encrypted) {
    if (swarm.findNetwork(name).isEmpty()) {
      try {
        docker.createNetworkCmd().withName(name).withDriver("overlay").withAttachable(true)
            .withOptions(encrypted ? Map.of("encrypted", "") : Map.of()).withCheckDuplicate(true)
            .withLabels(Map.of(PLATFORM_LABEL, OVERLAY_CHECK)).exec();
      } catch (RuntimeException e) {
        if (swarm.findNetwork(name).isEmpty()) {
          throw e;
        }
      }
    }
    if (!swarm.joinedNetworks().contains(name)) {
      swarm.join(name);
    }
  }

  /** A probe as found in the task list: its node, its address on each of the two networks. */
  private record CheckTask(String nodeId, java.net.InetAddress encrypted, java.net.InetAddress plain) {}

  /** The probes running now: their nodes and addresses on the two networks. */
  private List<CheckTask> overlayProbes() throws SwarmException {
    try {
      List<CheckTask> probes = new ArrayList<>();
      for (var task : swarm.tasks("{\"service\":[\"" + OVERLAY_CHECK + "\"],\"desired-state\":[\"running\"]}",
          "the overlay check's tasks")) {
        if (!task.path("Status").path("State").asText().equals("running")) {
          continue;
        }
        java.net.InetAddress encrypted = null;
        java.net.InetAddress plain = null;
        for (var attachment : task.path("NetworksAttachments")) {
          String network = attachment.path("Network").path("Spec").path("Name").asText();
          for (var cidr : attachment.path("Addresses")) {
            java.net.InetAddress address = java.net.InetAddress.getByName(cidr.asText().replaceFirst("/.*$", ""));
            if (network.equals(OVERLAY_CHECK)) {
              encrypted = address;
            } else if (network.equals(OVERLAY_CHECK_PLAIN)) {
              plain = address;
            }
          }
        }
        if (encrypted != null && plain != null) {
          probes.add(new CheckTask(task.path("NodeID").asText(), encrypted, plain));
        }
      }
      return probes;
    } catch (java.net.UnknownHostException e) {
      throw new SwarmException("the overlay check's tasks have an address that is none: " + message(e), e);
    }
  }

  /**
   * A probe: whether the orchestrator reaches it over the encrypted network, and its findings, read
   * over the plain one (2 s each).
   */
  private static Reading readProbe(CheckTask task) {
    var probe = new Probe(task.nodeId(), task.encrypted());
    boolean reached;
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(task.encrypted(), OVERLAY_CHECK_PORT), 2000);
      reached = true;
    } catch (java.io.IOException e) {
      reached = false;
    }
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(task.plain(), OVERLAY_CHECK_PORT), 2000);
      socket.setSoTimeout(2000);
      Set<java.net.InetAddress> found = new java.util.HashSet<>();
      Set<java.net.InetAddress> missed = new java.util.HashSet<>();
      String text = new String(socket.getInputStream().readNBytes(64 * 1024), java.nio.charset.StandardCharsets.US_ASCII);
      for (String line : text.split("\n")) {
        String[] words = line.strip().split(" ");
        if (words.length == 2 && words[1].matches("[0-9.]+")) {
          (words[0].equals("ok") ? found : missed).add(java.net.InetAddress.getByName(words[1]));
        }
      }
      return new Reading(probe, reached, Optional.of(found), Optional.of(missed));
    } catch (java.io.IOException e) {
      return new Reading(probe, reached, Optional.empty(), Optional.empty());
    }
  }
}
