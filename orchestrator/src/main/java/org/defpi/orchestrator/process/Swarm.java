package org.defpi.orchestrator.process;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** What the process manager needs from Docker Swarm (implemented by the {@code swarm} connector). */
public interface Swarm {
  /**
   * Creates the Swarm service of a process: named and reachable (network alias) by the process id,
   * with the given image and env, on its user's network only; that network is made first if absent
   * (and the orchestrator joins it). Idempotent: an existing service of that name is left alone.
   */
  void createService(ProcessService service) throws SwarmException;

  /**
   * Makes the process's Swarm service exactly {@code service}: created if absent, removed and created
   * anew when it differs in anything (image, env, placement: an upgrade or a move), left alone when
   * it is the same, so that running it again after a crash does no harm.
   */
  void replaceService(ProcessService service) throws SwarmException, InterruptedException;

  /** The ids of the users that have a network of this orchestrator's. */
  Set<String> userNetworks() throws SwarmException;

  /**
   * Removes a user's network, the orchestrator leaving it first; waits (bounded) for endpoints of
   * just-removed containers to go. No-op if absent.
   */
  void removeUserNetwork(String userId) throws SwarmException, InterruptedException;

  /** Joins the orchestrator to every user network of its own that it is not on. Idempotent. */
  void joinUserNetworks() throws SwarmException;

  /** Removes the service and waits (bounded) until its containers on this node are gone. No-op if absent. */
  void removeService(String processId) throws SwarmException, InterruptedException;

  /** The last {@code tail} lines of the service's output (stdout and stderr, in order). */
  String logs(String processId, int tail) throws SwarmException, InterruptedException;

  /** Names of the Swarm services this orchestrator manages. */
  List<String> managedServices() throws SwarmException;

  /** Every node of the Swarm, as the engine reports it (used by the node manager's sync). */
  List<SwarmNode> nodes() throws SwarmException;

  /**
   * Sets this orchestrator's placement labels on a node, by short name ({@link #KIND_LABEL},
   * {@link #POOL_LABEL}, {@link #USER_LABEL}): those named are set, the others of ours removed;
   * anyone else's labels are kept. The connector decides the label keys, so that two orchestrators
   * (or a test next to a deployed one) on one Swarm never overwrite each other's.
   */
  void labelNode(String nodeId, Map<String, String> labels) throws SwarmException;

  /** The node each managed service's task runs on now, by process id; services without a running task are absent. */
  Map<String, String> taskNodes() throws SwarmException;

  /** A node's kind as an admin made it: {@code public} or {@code private} (absent on an unidentified node). */
  String KIND_LABEL = "kind";
  /** The pool of a public node. */
  String POOL_LABEL = "pool";
  /** The user of a private node. */
  String USER_LABEL = "user";

  /**
   * One Swarm node in the engine's own words.
   *
   * @param architecture the platform's architecture as reported ({@code x86_64}, {@code aarch64}, ...)
   * @param state the node's state ({@code ready}, {@code down}, {@code unknown}, {@code disconnected})
   * @param capacity the node's memory and CPUs
   * @param labels this orchestrator's placement labels on it, by short name (see {@link #labelNode})
   */
  record SwarmNode(String id, String hostname, String architecture, String state, Resources capacity,
      Map<String, String> labels) {
    public SwarmNode {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(hostname, "hostname");
      Objects.requireNonNull(architecture, "architecture");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(capacity, "capacity");
      labels = Map.copyOf(labels);
    }
  }

  /**
   * Where Swarm may run a process's task; a service's constraints must all hold. Swarm keeps a task
   * it cannot place pending rather than run it elsewhere, and moves a running one off a node that no
   * longer satisfies them (a node relabelled by an admin).
   */
  sealed interface Constraint {
    /** {@code node.id==nodeId}. */
    record NodeIs(String nodeId) implements Constraint {}

    /** {@code node.labels.<this orchestrator's key for name>==value}. */
    record LabelIs(String name, String value) implements Constraint {}

    /** {@code node.platform.arch==word} (or {@code !=} when not {@code is}), in Swarm's words ({@code x86_64}). */
    record ArchIs(String word, boolean is) implements Constraint {}
  }

  /**
   * The Swarm service of one process, of user {@code userId} (whose network it joins).
   *
   * @param resources reserved and also the limit; {@link Resources#NONE} for neither
   * @param mounts as Docker is to make them (volumes by their Docker name, {@link Mount#forUser})
   */
  record ProcessService(String processId, String userId, String image, Map<String, String> env,
      List<Constraint> constraints, Resources resources, List<Mount> mounts, List<PublishedPort> ports) {
    public ProcessService {
      Objects.requireNonNull(processId, "processId");
      Objects.requireNonNull(userId, "userId");
      Objects.requireNonNull(image, "image");
      env = Map.copyOf(env);
      constraints = List.copyOf(constraints);
      Objects.requireNonNull(resources, "resources");
      mounts = List.copyOf(mounts);
      ports = List.copyOf(ports);
    }

    /** Anywhere, with nothing reserved, mounted or published. */
    public ProcessService(String processId, String userId, String image, Map<String, String> env) {
      this(processId, userId, image, env, List.of(), Resources.NONE, List.of(), List.of());
    }

    @Override
    public String toString() {
      return "ProcessService[processId=" + processId + ", userId=" + userId + ", image=" + image + ", env="
          + env.keySet() + ", constraints=" + constraints + ", resources=" + resources + ", mounts=" + mounts
          + ", ports=" + ports + "]";
    }
  }

  /** Docker refused or could not be reached. */
  final class SwarmException extends Exception {
    public SwarmException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
