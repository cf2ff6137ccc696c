package org.defpi.orchestrator.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.defpi.orchestrator.process.Swarm;

/**
 * Docker Swarm over the engine's API (1.41) with docker-java. Each process is one Swarm service:
 * named by the process id, on its user's overlay network only with the process id as alias,
 * endpoint mode dnsrr (this kernel has no IPVS for VIPs), restart condition {@code any} (an original
 * process exits with 0 when its trigger fails: a failed start, to be retried), labelled as ours.
 *
 * <p>Each user has one network, {@code defpi-user-<userId>}: overlay, encrypted (the private network
 * between nodes), attachable (so the orchestrator, a plain container, can join it), labelled with
 * the owner and the user. A user's processes reach each other only there, and no other user's;
 * the orchestrator joins every one with its alias (ORCHESTRATOR_HOST), which is how processes reach
 * it and it reaches their management ports. Swarm tasks cannot be attached to a network by hand
 * (moby/moby#39391), so the orchestrator runs as a plain container.
 */
public final class RealSwarm implements Swarm, AutoCloseable {
  public static final String MANAGED_LABEL = "org.defpi.managed";
  public static final String PROCESS_ID_LABEL = "org.defpi.process-id";
  /** On a user's network: whose it is. */
  public static final String USER_ID_LABEL = "org.defpi.user-id";
  public static final String USER_NETWORK_PREFIX = "defpi-user-";
  /** Label Swarm puts on a task's container. */
  static final String SWARM_SERVICE_NAME_LABEL = "com.docker.swarm.service.name";

  /**
   * @param removalWait how long {@link #removeService} waits for the containers to go, and
   *     {@link #removeUserNetwork} for the network's last endpoints
   * @param owner the value of {@value #MANAGED_LABEL} on this orchestrator's services and networks:
   *     only those are "managed" (and reconciled, orphans removed), so two orchestrators, or a test
   *     next to a deployed one, on one Swarm never take each other's for orphans
   * @param orchestrator the orchestrator's own container, joined to every user network; empty when
   *     it does not run in a container (tests in the build's JVM)
   */
  public record Settings(URI dockerHost, Duration removalWait, String owner, Optional<Attachment> orchestrator) {
    public Settings {
      Objects.requireNonNull(dockerHost, "dockerHost");
      Objects.requireNonNull(removalWait, "removalWait");
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(orchestrator, "orchestrator");
      if (owner.isBlank()) {
        throw new IllegalArgumentException("the owner label value must not be blank");
      }
    }

    /** Not in a container: no network to join. */
    public Settings(URI dockerHost, Duration removalWait, String owner) {
      this(dockerHost, removalWait, owner, Optional.empty());
    }

    /** Owned by {@value #DEFAULT_OWNER}, the deployed orchestrator, not in a container. */
    public Settings(URI dockerHost, Duration removalWait) {
      this(dockerHost, removalWait, DEFAULT_OWNER);
    }
  }

  /** A container (name or id) that joins each user network under {@code alias}. */
  public record Attachment(String container, String alias) {
    public Attachment {
      Objects.requireNonNull(container, "container");
      Objects.requireNonNull(alias, "alias");
      if (container.isBlank() || alias.isBlank()) {
        throw new IllegalArgumentException("container and alias must not be blank");
      }
    }
  }

  public static final String DEFAULT_OWNER = "defpi-orchestrator";
  static final Duration RESTART_DELAY = Duration.ofSeconds(1);

  private final DockerClient docker;
  private final Settings settings;
  /** One lock per user: this instance's threads make a user's network once, not race to. */
  private final ConcurrentHashMap<String, Object> networkLocks = new ConcurrentHashMap<>();

  private RealSwarm(DockerClient docker, Settings settings) {
    this.docker = docker;
    this.settings = settings;
  }

  public static RealSwarm connect(Settings settings) {
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(settings.dockerHost().toString())
        .withApiVersion(RemoteApiVersion.VERSION_1_41)
        .build();
    ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .connectionTimeout(Duration.ofSeconds(5))
        .responseTimeout(Duration.ofSeconds(60))
        .build();
    return new RealSwarm(DockerClientImpl.getInstance(config, http), settings);
  }

  /** For this package's tests, to inspect what was created. */
  DockerClient docker() {
    return docker;
  }

  /** The name of a user's network. */
  public static String userNetwork(String userId) {
    return USER_NETWORK_PREFIX + userId;
  }

  @Override
  public void createService(ProcessService service) throws SwarmException {
    ensureUserNetwork(service.userId());
    ServiceSpec spec = spec(service, settings.owner());
    try {
      if (exists(service.processId())) {
        return;
      }
      docker.createServiceCmd(spec).exec();
    } catch (RuntimeException e) {
      throw new SwarmException(message(e), e);
    }
  }

  /**
   * Makes sure the user's network exists (ours, overlay, encrypted, attachable) and the orchestrator
   * is on it. Idempotent, and safe when several threads or instances make it at once: Swarm keeps
   * network names unique, so all but one create fail and find the one that was made.
   */
  public void ensureUserNetwork(String userId) throws SwarmException {
    String name = userNetwork(userId);
    synchronized (networkLocks.computeIfAbsent(userId, u -> new Object())) {
      try {
        Optional<Network> network = findNetwork(name);
        if (network.isEmpty()) {
          try {
            docker.createNetworkCmd().withName(name).withDriver("overlay").withAttachable(true)
                .withOptions(Map.of("encrypted", "")).withCheckDuplicate(true)
                .withLabels(Map.of(MANAGED_LABEL, settings.owner(), USER_ID_LABEL, userId)).exec();
          } catch (RuntimeException e) {
            if (findNetwork(name).isEmpty()) {
              throw e; // not a lost race: a real refusal
            }
          }
          network = findNetwork(name);
        }
        String owner = network.map(n -> n.getLabels() == null ? null : n.getLabels().get(MANAGED_LABEL)).orElse(null);
        if (!settings.owner().equals(owner)) {
          throw new SwarmException("network " + name + " exists but is not this orchestrator's (" + MANAGED_LABEL + "="
              + owner + ")", null);
        }
        Set<String> joined = joinedNetworks();
        if (!joined.contains(name)) {
          join(name);
        }
      } catch (RuntimeException e) {
        throw new SwarmException("cannot make network " + name + ": " + message(e), e);
      }
    }
  }

  @Override
  public Set<String> userNetworks() throws SwarmException {
    try {
      return ownedNetworks().stream().map(n -> n.getLabels().get(USER_ID_LABEL))
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (RuntimeException e) {
      throw new SwarmException(message(e), e);
    }
  }

  @Override
  public void joinUserNetworks() throws SwarmException {
    if (settings.orchestrator().isEmpty()) {
      return;
    }
    try {
      Set<String> joined = joinedNetworks();
      for (Network n : ownedNetworks()) {
        if (!joined.contains(n.getName())) {
          join(n.getName());
        }
      }
    } catch (RuntimeException e) {
      throw new SwarmException("cannot join the user networks: " + message(e), e);
    }
  }

  @Override
  public void removeUserNetwork(String userId) throws SwarmException, InterruptedException {
    String name = userNetwork(userId);
    synchronized (networkLocks.computeIfAbsent(userId, u -> new Object())) {
      try {
        Optional<Network> network = findNetwork(name);
        if (network.isEmpty()) {
          return;
        }
        if (!settings.owner().equals(network.get().getLabels().get(MANAGED_LABEL))) {
          throw new SwarmException("network " + name + " is not this orchestrator's", null);
        }
        if (settings.orchestrator().isPresent() && joinedNetworks().contains(name)) {
          try {
            docker.disconnectFromNetworkCmd().withNetworkId(name).withContainerId(settings.orchestrator().get().container())
                .withForce(true).exec();
          } catch (NotFoundException e) {
            // left already
          }
        }
        // Endpoints of containers removed a moment ago linger about a second; and a network the
        // engine said it removed is still listed for a moment: "removed" means gone from the list.
        long deadline = System.nanoTime() + settings.removalWait().toNanos();
        while (findNetwork(name).isPresent()) {
          try {
            docker.removeNetworkCmd(name).exec();
          } catch (NotFoundException e) {
            // gone meanwhile
          } catch (RuntimeException e) {
            if (System.nanoTime() > deadline) {
              throw new SwarmException("cannot remove network " + name + ": " + message(e), e);
            }
          }
          if (System.nanoTime() > deadline) {
            throw new SwarmException("network " + name + " is still listed " + settings.removalWait().toMillis()
                + " ms after its removal", null);
          }
          TimeUnit.MILLISECONDS.sleep(100);
        }
      } catch (RuntimeException e) {
        throw new SwarmException("cannot remove network " + name + ": " + message(e), e);
      } finally {
        networkLocks.remove(userId);
      }
    }
  }

  /** This orchestrator's user networks, as listed (no containers). */
  private List<Network> ownedNetworks() {
    return docker.listNetworksCmd().withFilter("label", List.of(MANAGED_LABEL + "=" + settings.owner(), USER_ID_LABEL))
        .exec().stream()
        .filter(n -> n.getName().startsWith(USER_NETWORK_PREFIX) && n.getLabels() != null
            && n.getLabels().get(USER_ID_LABEL) != null)
        .toList();
  }

  private Optional<Network> findNetwork(String name) {
    // The name filter matches parts of names: compare exactly.
    return docker.listNetworksCmd().withNameFilter(name).exec().stream().filter(n -> name.equals(n.getName())).findFirst();
  }

  /** The networks the orchestrator's container is on; none outside a container. */
  private Set<String> joinedNetworks() {
    if (settings.orchestrator().isEmpty()) {
      return Set.of();
    }
    var networks = docker.inspectContainerCmd(settings.orchestrator().get().container()).exec()
        .getNetworkSettings().getNetworks();
    return networks == null ? Set.of() : Set.copyOf(networks.keySet());
  }

  /** Connects the orchestrator's container to the network under its alias; a no-op outside a container. */
  private void join(String network) {
    if (settings.orchestrator().isEmpty()) {
      return;
    }
    Attachment self = settings.orchestrator().get();
    try {
      docker.connectToNetworkCmd().withNetworkId(network).withContainerId(self.container())
          .withContainerNetwork(new ContainerNetwork().withAliases(self.alias())).exec();
    } catch (RuntimeException e) {
      if (!joinedNetworks().contains(network)) {
        throw e; // not another thread's join that came first
      }
    }
  }

  /** The Swarm service spec of a process. */
  static ServiceSpec spec(ProcessService service, String owner) {
    Map<String, String> labels = Map.of(MANAGED_LABEL, owner, PROCESS_ID_LABEL, service.processId());
    List<String> env = service.env().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue())
        .toList();
    return new ServiceSpec()
        .withName(service.processId())
        .withLabels(labels)
        .withTaskTemplate(new TaskSpec()
            .withContainerSpec(new ContainerSpec()
                .withImage(service.image())
                .withEnv(env)
                .withLabels(labels))
            .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.ANY)
                // Swarm's default waits 5 s before a restart; a process should be back sooner.
                .withDelay(RESTART_DELAY.toNanos()))
            .withNetworks(List.of(new NetworkAttachmentConfig()
                .withTarget(userNetwork(service.userId()))
                .withAliases(List.of(service.processId())))))
        .withEndpointSpec(new EndpointSpec().withMode(EndpointResolutionMode.DNSRR));
  }

  private boolean exists(String name) {
    // The name filter matches prefixes: compare exactly.
    return docker.listServicesCmd().withNameFilter(List.of(name)).exec().stream()
        .anyMatch(s -> s.getSpec() != null && name.equals(s.getSpec().getName()));
  }

  @Override
  public void removeService(String processId) throws SwarmException, InterruptedException {
    try {
      docker.removeServiceCmd(processId).exec();
    } catch (NotFoundException e) {
      // already gone: removal is idempotent
    } catch (RuntimeException e) {
      throw new SwarmException(message(e), e);
    }
    // Swarm stops the task's container about a second after the service is gone; wait for it so
    // that "removed" means no container is left (on this node: others are out of sight).
    long deadline = System.nanoTime() + settings.removalWait().toNanos();
    while (!containersOf(processId).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new SwarmException("the containers of service " + processId + " are still there after "
            + settings.removalWait().toMillis() + " ms", null);
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  /** Ids of this node's containers (running or not) of the service. */
  public List<String> containersOf(String serviceName) throws SwarmException {
    try {
      return docker.listContainersCmd().withShowAll(true)
          .withLabelFilter(Map.of(SWARM_SERVICE_NAME_LABEL, serviceName)).exec().stream()
          .map(c -> c.getId())
          .toList();
    } catch (RuntimeException e) {
      throw new SwarmException(message(e), e);
    }
  }

  @Override
  public String logs(String processId, int tail) throws SwarmException, InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ResultCallback.Adapter<Frame> callback = docker.logServiceCmd(processId)
          .withStdout(true).withStderr(true).withTail(tail)
          .exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
              out.writeBytes(frame.getPayload());
            }
          });
      if (!callback.awaitCompletion(30, TimeUnit.SECONDS)) {
        callback.close();
        throw new SwarmException("the logs of service " + processId + " did not end within 30 s", null);
      }
    } catch (NotFoundException e) {
      throw new SwarmException("service " + processId + " does not exist", e);
    } catch (IOException | RuntimeException e) {
      throw new SwarmException(message(e), e);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public List<String> managedServices() throws SwarmException {
    try {
      return docker.listServicesCmd().withLabelFilter(Map.of(MANAGED_LABEL, settings.owner())).exec().stream()
          .map(s -> s.getSpec().getName())
          .sorted()
          .toList();
    } catch (RuntimeException e) {
      throw new SwarmException(message(e), e);
    }
  }

  @Override
  public List<SwarmNode> nodes() throws SwarmException {
    try {
      return docker.listSwarmNodesCmd().exec().stream()
          .map(n -> {
            var d = n.getDescription();
            com.github.dockerjava.api.model.SwarmNodePlatform platform = d == null ? null : d.getPlatform();
            var status = n.getStatus();
            return new SwarmNode(n.getId(),
                d == null || d.getHostname() == null ? "" : d.getHostname(),
                platform == null || platform.getArchitecture() == null ? "" : platform.getArchitecture(),
                status == null || status.getState() == null ? "unknown" : status.getState().name().toLowerCase(java.util.Locale.ROOT));
          })
          .toList();
    } catch (RuntimeException e) {
      throw new SwarmException(message(e), e);
    }
  }

  /** The engine's own words: docker-java puts the JSON error body in the message. */
  private static String message(Exception e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.strip();
  }

  @Override
  public void close() throws IOException {
    docker.close();
  }
}
