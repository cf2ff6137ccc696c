package org.defpi.orchestrator.swarm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import com.github.dockerjava.api.model.ResourceRequirements;
import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.SwarmNodeSpec;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.api.model.VolumeOptions;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.micrometer.core.instrument.MeterRegistry;
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
import org.defpi.orchestrator.metrics.CallMeter;
import org.defpi.orchestrator.process.Mount;
import org.defpi.orchestrator.process.PublishedPort;
import org.defpi.orchestrator.node.Resources;
import org.defpi.orchestrator.process.Swarm;

/**
 * Docker Swarm over the engine's API (1.41) with docker-java. Each process is one Swarm service:
 * named by the process id, on its user's overlay network only with the process id as alias,
 * endpoint mode dnsrr (this kernel has no IPVS for VIPs), restart condition {@code any} (an original
 * process exits with 0 when its trigger fails: a failed start, to be retried), labelled as ours; placed
 * by constraints on node id, platform and our node labels ({@link #nodeLabelKey}), with its
 * reservations as limits too, its mounts and its ports published on the node (mode host).
 *
 * <p>Each user has one network, {@code defpi-user-<userId>}: overlay (the private network between
 * nodes; Swarm-encrypted only when {@link Settings#overlayEncryption}, since Swarm's IPsec needs kernel
 * support many nodes lack, and the SDK's TLS covers what crosses nodes), attachable (so the orchestrator, a plain container, can join it), labelled with
 * the owner and the user. A user's processes reach each other only there, and no other user's;
 * the orchestrator joins every one with its alias (ORCHESTRATOR_HOST), which is how processes reach
 * it and it reaches their management ports. Swarm tasks cannot be attached to a network by hand
 * (moby/moby#39391), so the orchestrator runs as a plain container.
 */
public final class RealSwarm implements Swarm, AutoCloseable {
  public static final String MANAGED_LABEL = "org.defpi.managed";
  public static final String PROCESS_ID_LABEL = "org.defpi.process-id";
  /** A digest of the service's spec as the orchestrator made it. */
  public static final String SPEC_LABEL = "org.defpi.spec";
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
   * @param overlayEncryption new user networks are encrypted overlays (an existing network keeps
   *     what it was made with: changing it means removing every service on it)
   */
  public record Settings(URI dockerHost, Duration removalWait, String owner, Optional<Attachment> orchestrator,
      boolean overlayEncryption) {
    public Settings(URI dockerHost, Duration removalWait, String owner, Optional<Attachment> orchestrator) {
      this(dockerHost, removalWait, owner, orchestrator, false);
    }

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
  /** The same engine, for the few calls docker-java has no model for. */
  private final com.github.dockerjava.transport.DockerHttpClient http;
  private final Settings settings;
  /** One lock per user: this instance's threads make a user's network once, not race to. */
  private final ConcurrentHashMap<String, Object> networkLocks = new ConcurrentHashMap<>();

  private RealSwarm(DockerClient docker, com.github.dockerjava.transport.DockerHttpClient http, Settings settings) {
    this.docker = docker;
    this.http = http;
    this.settings = settings;
  }

  /** Over the engine's socket, its calls not measured. */
  public static RealSwarm connect(Settings settings) {
    return connect(settings, CallMeter.none());
  }

  /** Over the engine's socket, every call timed on {@code meters} ({@link MeteredDockerHttp}). */
  public static RealSwarm connect(Settings settings, MeterRegistry meters) {
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(settings.dockerHost().toString())
        .withApiVersion(RemoteApiVersion.VERSION_1_41)
        .build();
    ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .connectionTimeout(Duration.ofSeconds(5))
        .responseTimeout(Duration.ofSeconds(60))
        .build();
    MeteredDockerHttp metered = new MeteredDockerHttp(http, new CallMeter(meters, "defpi.swarm"));
    return new RealSwarm(DockerClientImpl.getInstance(config, metered), metered, settings);
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

  @Override
  public void replaceService(ProcessService service) throws SwarmException, InterruptedException {
    ensureUserNetwork(service.userId());
    ServiceSpec spec = spec(service, settings.owner());
    try {
      Optional<ServiceSpec> current = specOf(service.processId());
      if (current.isPresent()) {
        String have = current.get().getLabels() == null ? null : current.get().getLabels().get(SPEC_LABEL);
        if (spec.getLabels().get(SPEC_LABEL).equals(have)) {
          return;
        }
        removeService(service.processId());
      }
      docker.createServiceCmd(spec).exec();
    } catch (RuntimeException e) {
      throw new SwarmException(message(e), e);
    }
  }

  /**
   * Makes sure the user's network exists (ours, overlay, attachable, encrypted if so set) and the orchestrator
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
                .withOptions(settings.overlayEncryption() ? Map.of("encrypted", "") : Map.of()).withCheckDuplicate(true)
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

  Optional<Network> findNetwork(String name) {
    // The name filter matches parts of names: compare exactly.
    return docker.listNetworksCmd().withNameFilter(name).exec().stream().filter(n -> name.equals(n.getName())).findFirst();
  }

  /** The networks the orchestrator's container is on; none outside a container. */
  Set<String> joinedNetworks() {
    if (settings.orchestrator().isEmpty()) {
      return Set.of();
    }
    var networks = docker.inspectContainerCmd(settings.orchestrator().get().container()).exec()
        .getNetworkSettings().getNetworks();
    return networks == null ? Set.of() : Set.copyOf(networks.keySet());
  }

  /** Connects the orchestrator's container to the network under its alias; a no-op outside a container. */
  void join(String network) {
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


  /** Sorted map keys, so that equal specs give equal text and so equal {@link #SPEC_LABEL} values. */
  private static final ObjectMapper SPEC_JSON = new ObjectMapper()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  /**
   * The Swarm service spec of a process, labelled with a digest of itself ({@value #SPEC_LABEL}):
   * {@link #replaceService} compares digests to tell whether the running service is the one wanted.
   */
  static ServiceSpec spec(ProcessService service, String owner) {
    ServiceSpec spec = bareSpec(service, owner);
    Map<String, String> labels = new java.util.TreeMap<>(spec.getLabels());
    try {
      labels.put(SPEC_LABEL, java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(SPEC_JSON.writeValueAsBytes(spec))));
    } catch (java.security.NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("every JVM has SHA-256, and a spec always serialises", e);
    }
    return spec.withLabels(labels);
  }

  private static ServiceSpec bareSpec(ProcessService service, String owner) {
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
                .withMounts(service.mounts().stream().map(m -> mount(m, owner)).toList())
                .withLabels(labels))
            .withPlacement(new ServicePlacement().withConstraints(service.constraints().stream()
                .map(c -> constraint(c, owner)).toList()))
            .withResources(resources(service.resources()))
            .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.ANY)
                // Swarm's default waits 5 s before a restart; a process should be back sooner.
                .withDelay(RESTART_DELAY.toNanos()))
            .withNetworks(List.of(new NetworkAttachmentConfig()
                .withTarget(userNetwork(service.userId()))
                .withAliases(List.of(service.processId())))))
        // dnsrr has no routing mesh: published ports are the node's own (mode host).
        .withEndpointSpec(new EndpointSpec().withPorts(ports(service.ports())).withMode(EndpointResolutionMode.DNSRR));
  }

  /** Reserved, and the limit too; none when nothing is asked. */
  private static ResourceRequirements resources(Resources resources) {
    return resources.isNone() ? null
        : new ResourceRequirements().withLimits(resourceSpecs(resources)).withReservations(resourceSpecs(resources));
  }

  private static List<PortConfig> ports(List<PublishedPort> ports) {
    return ports.stream().map(p -> new PortConfig()
        .withTargetPort(p.target())
        .withPublishedPort(p.published())
        .withProtocol(PortConfigProtocol.valueOf(p.protocol().name()))
        .withPublishMode(PortConfig.PublishMode.host)).toList();
  }

  /** A resource limit or reservation; a zero part is left out (no limit). */
  private static ResourceSpecs resourceSpecs(Resources resources) {
    ResourceSpecs specs = new ResourceSpecs();
    if (resources.memoryBytes() > 0) {
      specs.withMemoryBytes(resources.memoryBytes());
    }
    if (resources.nanoCpus() > 0) {
      specs.withNanoCPUs(resources.nanoCpus());
    }
    return specs;
  }

  private static com.github.dockerjava.api.model.Mount mount(Mount m, String owner) {
    var mount = new com.github.dockerjava.api.model.Mount()
        .withSource(m.source())
        .withTarget(m.target())
        .withReadOnly(m.readOnly());
    return switch (m.type()) {
      // Docker makes the volume on first use with these labels: whose it is shows in docker volume ls.
      case VOLUME -> mount.withType(MountType.VOLUME)
          .withVolumeOptions(new VolumeOptions().withLabels(Map.of(MANAGED_LABEL, owner)));
      case BIND -> mount.withType(MountType.BIND);
    };
  }

  /** A constraint in Swarm's syntax, node labels under this orchestrator's keys ({@link #nodeLabelKey}). */
  static String constraint(Constraint c, String owner) {
    return switch (c) {
      case Constraint.NodeIs n -> "node.id==" + n.nodeId();
      case Constraint.LabelIs l -> "node.labels." + nodeLabelKey(l.name(), owner) + "==" + l.value();
      case Constraint.ArchIs a -> "node.platform.arch" + (a.is() ? "==" : "!=") + a.word();
    };
  }

  /**
   * The key of one of our placement labels on a node: {@code org.defpi.<name>} for the deployed
   * orchestrator, {@code org.defpi.<owner>.<name>} for any other owner (a test's), since a node is
   * shared by everyone on the Swarm and each labels it from its own store.
   */
  static String nodeLabelKey(String name, String owner) {
    return owner.equals(DEFAULT_OWNER) ? "org.defpi." + name : "org.defpi." + owner + "." + name;
  }

  /** The image the process's service runs, as its spec says; empty when there is no such service. */
  public Optional<String> serviceImage(String processId) throws SwarmException {
    try {
      return Optional.of(docker.inspectServiceCmd(processId).exec().getSpec().getTaskTemplate().getContainerSpec()
          .getImage());
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      throw new SwarmException(message(e), e);
    }
  }

  private boolean exists(String name) {
    return specOf(name).isPresent();
  }

  /** The spec of the service of exactly this name, if there is one. */
  private Optional<ServiceSpec> specOf(String name) {
    // The name filter matches prefixes: compare exactly.
    return docker.listServicesCmd().withNameFilter(List.of(name)).exec().stream()
        .map(s -> s.getSpec()).filter(s -> s != null && name.equals(s.getName())).findFirst();
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
  public void followLogs(String processId, int tail, LogSink sink) throws SwarmException, InterruptedException {
    ResultCallback.Adapter<Frame> callback;
    try {
      callback = docker.logServiceCmd(processId)
          .withStdout(true).withStderr(true).withTail(tail).withFollow(true)
          .exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
              try {
                sink.accept(frame.getPayload());
              } catch (java.io.IOException readerGone) {
                try {
                  close(); // ends awaitCompletion below
                } catch (IOException ignored) {
                  // closing what we give up on
                }
              }
            }
          });
    } catch (NotFoundException e) {
      throw new SwarmException("service " + processId + " does not exist", e);
    } catch (RuntimeException e) {
      throw new SwarmException(message(e), e);
    }
    try {
      callback.awaitCompletion();
    } finally {
      try {
        callback.close();
      } catch (IOException ignored) {
        // the stream is over either way
      }
    }
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
            var resources = d == null ? null : d.getResources();
            return new SwarmNode(n.getId(),
                d == null || d.getHostname() == null ? "" : d.getHostname(),
                platform == null || platform.getArchitecture() == null ? "" : platform.getArchitecture(),
                status == null || status.getState() == null ? "unknown" : status.getState().name().toLowerCase(java.util.Locale.ROOT),
                resources == null ? Resources.NONE : new Resources(orZero(resources.getMemoryBytes()),
                    orZero(resources.getNanoCPUs())),
                ourLabels(n.getSpec() == null ? null : n.getSpec().getLabels()));
          })
          .toList();
    } catch (RuntimeException e) {
      throw new SwarmException(message(e), e);
    }
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  private static final List<String> NODE_LABELS = List.of(Swarm.KIND_LABEL, Swarm.POOL_LABEL, Swarm.USER_LABEL);

  /** Our placement labels among a node's, by short name. */
  private Map<String, String> ourLabels(Map<String, String> labels) {
    Map<String, String> ours = new java.util.HashMap<>();
    if (labels != null) {
      for (String name : NODE_LABELS) {
        String value = labels.get(nodeLabelKey(name, settings.owner()));
        if (value != null) {
          ours.put(name, value);
        }
      }
    }
    return ours;
  }

  @Override
  public void labelNode(String nodeId, Map<String, String> labels) throws SwarmException {
    // The update names the version it read: a node changed meanwhile (by another labeller, or the
    // engine's own status) is refused, read again and tried again.
    for (int attempt = 1; ; attempt++) {
      try {
        // The id filter matches prefixes: compare exactly.
        com.github.dockerjava.api.model.SwarmNode node = docker.listSwarmNodesCmd().withIdFilter(List.of(nodeId)).exec()
            .stream().filter(n -> nodeId.equals(n.getId())).findFirst()
            .orElseThrow(() -> new NotFoundException("node " + nodeId + " is not in the Swarm"));
        SwarmNodeSpec spec = node.getSpec();
        Map<String, String> all = new java.util.HashMap<>(spec.getLabels() == null ? Map.of() : spec.getLabels());
        Map<String, String> before = Map.copyOf(all);
        for (String name : NODE_LABELS) {
          String key = nodeLabelKey(name, settings.owner());
          String value = labels.get(name);
          if (value == null) {
            all.remove(key);
          } else {
            all.put(key, value);
          }
        }
        if (all.equals(before)) {
          return;
        }
        docker.updateSwarmNodeCmd().withSwarmNodeId(nodeId).withVersion(node.getVersion().getIndex())
            .withSwarmNodeSpec(spec.withLabels(all)).exec();
        return;
      } catch (NotFoundException e) {
        throw new SwarmException("node " + nodeId + " is not in the Swarm", e);
      } catch (RuntimeException e) {
        if (attempt == 3 || !message(e).contains("out of sequence")) {
          throw new SwarmException("cannot label node " + nodeId + ": " + message(e), e);
        }
      }
    }
  }

  @Override
  public Map<String, String> taskNodes() throws SwarmException {
    try {
      Map<String, String> names = new java.util.HashMap<>();
      docker.listServicesCmd().withLabelFilter(Map.of(MANAGED_LABEL, settings.owner())).exec()
          .forEach(s -> names.put(s.getId(), s.getSpec().getName()));
      Map<String, String> nodes = new java.util.HashMap<>();
      if (names.isEmpty()) {
        return nodes;
      }
      // Tasks meant to run that have a node: a pending task (no node fits) has none.
      for (Task t : docker.listTasksCmd().withStateFilter(TaskState.RUNNING).exec()) {
        String name = names.get(t.getServiceId());
        if (name != null && t.getNodeId() != null && !t.getNodeId().isEmpty()) {
          nodes.put(name, t.getNodeId());
        }
      }
      return nodes;
    } catch (RuntimeException e) {
      throw new SwarmException(message(e), e);
    }
  }

  @Override
  public List<java.net.InetAddress> orphanAddresses(String processId, String userId) throws SwarmException {
    try {
      List<java.net.InetAddress> addresses = new java.util.ArrayList<>();
      String network = userNetwork(userId);
      for (var task : tasks("{\"service\":[\"" + processId + "\"]}", "the tasks of " + processId)) {
        String desired = task.path("DesiredState").asText();
        String state = task.path("Status").path("State").asText();
        if (desired.equals("running") || !(state.equals("running") || state.equals("starting"))) {
          continue; // the current task, or one its node reported ended
        }
        for (var attachment : task.path("NetworksAttachments")) {
          if (!attachment.path("Network").path("Spec").path("Name").asText().equals(network)) {
            continue;
          }
          for (var cidr : attachment.path("Addresses")) {
            String ip = cidr.asText().replaceFirst("/.*$", "");
            if (!ip.isEmpty()) {
              addresses.add(java.net.InetAddress.getByName(ip)); // a literal: no lookup
            }
          }
        }
      }
      return addresses;
    } catch (java.net.UnknownHostException e) {
      throw new SwarmException("the tasks of " + processId + " have an address that is none: " + message(e), e);
    }
  }

  /**
   * The engine's tasks for these filters (Docker's JSON), as a tree: docker-java's Task has no
   * NetworksAttachments, which is where a task's addresses are.
   */
  com.fasterxml.jackson.databind.JsonNode tasks(String filtersJson, String what) throws SwarmException {
    var request = com.github.dockerjava.transport.DockerHttpClient.Request.builder()
        .method(com.github.dockerjava.transport.DockerHttpClient.Request.Method.GET)
        .path("/v1.41/tasks?filters=" + java.net.URLEncoder.encode(filtersJson, java.nio.charset.StandardCharsets.UTF_8))
        .build();
    try (var response = http.execute(request)) {
      if (response.getStatusCode() != 200) {
        throw new SwarmException("listing " + what + " answered HTTP " + response.getStatusCode(), null);
      }
      return TASKS_JSON.readTree(response.getBody());
    } catch (java.io.IOException | RuntimeException e) {
      throw new SwarmException("cannot list " + what + ": " + message(e), e);
    }
  }

  static final com.fasterxml.jackson.databind.ObjectMapper TASKS_JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /**
   * The overlay check's connector ({@link org.defpi.orchestrator.node.OverlayCheck}): probes on every
   * node on an encrypted network, read by this orchestrator ({@link RealOverlayProbe}).
   */
  public org.defpi.orchestrator.node.OverlayCheck.OverlayProbe overlayProbe(String probeImage) {
    return new RealOverlayProbe(this, probeImage);
  }

  static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The engine's own words: docker-java puts the JSON error body in the message. */
  static String message(Exception e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.strip();
  }

  @Override
  public void close() throws IOException {
    docker.close();
  }
}
