package org.defpi.orchestrator.swarm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.Frame;
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
import java.util.concurrent.TimeUnit;
import org.defpi.orchestrator.process.Swarm;

/**
 * Docker Swarm over the engine's API (1.41) with docker-java. Each process is one Swarm service:
 * named by the process id, on the processes' overlay network with the process id as alias, endpoint
 * mode dnsrr (this kernel has no IPVS for VIPs), restart condition {@code any} (an original process
 * exits with 0 when its trigger fails: a failed start, to be retried), labelled as ours.
 */
public final class RealSwarm implements Swarm, AutoCloseable {
  public static final String MANAGED_LABEL = "org.defpi.managed";
  public static final String PROCESS_ID_LABEL = "org.defpi.process-id";
  /** A digest of the service's spec as the orchestrator made it. */
  public static final String SPEC_LABEL = "org.defpi.spec";
  /** Label Swarm puts on a task's container. */
  static final String SWARM_SERVICE_NAME_LABEL = "com.docker.swarm.service.name";

  /**
   * @param network the overlay network of the processes (created attachable if absent)
   * @param removalWait how long {@link #removeService} waits for the containers to go
   * @param owner the value of {@value #MANAGED_LABEL} on this orchestrator's services: only those
   *     are "managed" (and reconciled, orphans removed), so two orchestrators, or a test next to a
   *     deployed one, on one Swarm never take each other's services for orphans
   */
  public record Settings(URI dockerHost, String network, Duration removalWait, String owner) {
    public Settings {
      Objects.requireNonNull(dockerHost, "dockerHost");
      Objects.requireNonNull(network, "network");
      Objects.requireNonNull(removalWait, "removalWait");
      Objects.requireNonNull(owner, "owner");
      if (owner.isBlank()) {
        throw new IllegalArgumentException("the owner label value must not be blank");
      }
    }

    /** Owned by {@value #DEFAULT_OWNER}, the deployed orchestrator. */
    public Settings(URI dockerHost, String network, Duration removalWait) {
      this(dockerHost, network, removalWait, DEFAULT_OWNER);
    }
  }

  public static final String DEFAULT_OWNER = "defpi-orchestrator";
  static final Duration RESTART_DELAY = Duration.ofSeconds(1);

  private final DockerClient docker;
  private final Settings settings;

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

  /** Creates the processes' network (overlay, attachable) unless it exists. */
  public void ensureNetwork() throws SwarmException {
    try {
      boolean exists = docker.listNetworksCmd().withNameFilter(settings.network()).exec().stream()
          .anyMatch(n -> n.getName().equals(settings.network()));
      if (!exists) {
        docker.createNetworkCmd().withName(settings.network()).withDriver("overlay").withAttachable(true)
            .withLabels(Map.of(MANAGED_LABEL, "true")).exec();
      }
    } catch (RuntimeException e) {
      throw new SwarmException("cannot make sure network " + settings.network() + " exists: " + e.getMessage(), e);
    }
  }

  @Override
  public void createService(ProcessService service) throws SwarmException {
    ServiceSpec spec = spec(service, settings.network(), settings.owner());
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
    ServiceSpec spec = spec(service, settings.network(), settings.owner());
    try {
      Optional<ServiceSpec> current = docker.listServicesCmd().withNameFilter(List.of(service.processId())).exec()
          .stream().map(s -> s.getSpec()).filter(s -> s != null && service.processId().equals(s.getName())).findFirst();
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

  /** Sorted map keys, so that equal specs give equal text and so equal {@link #SPEC_LABEL} values. */
  private static final ObjectMapper SPEC_JSON = new ObjectMapper()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  /**
   * The Swarm service spec of a process, labelled with a digest of itself ({@value #SPEC_LABEL}):
   * {@link #replaceService} compares digests to tell whether the running service is the one wanted.
   */
  static ServiceSpec spec(ProcessService service, String network, String owner) {
    ServiceSpec spec = bareSpec(service, network, owner);
    Map<String, String> labels = new java.util.TreeMap<>(spec.getLabels());
    try {
      labels.put(SPEC_LABEL, java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(SPEC_JSON.writeValueAsBytes(spec))));
    } catch (java.security.NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("every JVM has SHA-256, and a spec always serialises", e);
    }
    return spec.withLabels(labels);
  }

  private static ServiceSpec bareSpec(ProcessService service, String network, String owner) {
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
                .withTarget(network)
                .withAliases(List.of(service.processId())))))
        .withEndpointSpec(new EndpointSpec().withMode(EndpointResolutionMode.DNSRR));
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
