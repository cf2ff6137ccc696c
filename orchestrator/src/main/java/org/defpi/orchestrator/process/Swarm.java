package org.defpi.orchestrator.process;

import org.defpi.orchestrator.node.Resources;
import org.defpi.orchestrator.node.SwarmNodes;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the process manager needs from Docker Swarm (implemented by the {@code swarm} connector),
 * besides what the node manager needs of it ({@link SwarmNodes}).
 */
public interface Swarm extends SwarmNodes {
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

  /**
   * The service's output from its last {@code tail} lines on, and then as it comes, handed to
   * {@code sink} chunk by chunk. Blocks until the sink throws (its reader went away), the service
   * is removed, or the thread is interrupted.
   */
  void followLogs(String processId, int tail, LogSink sink) throws SwarmException, InterruptedException;

  /** Where followed output goes; throws when nobody reads any more. */
  @FunctionalInterface
  interface LogSink {
    void accept(byte[] chunk) throws java.io.IOException;
  }

  /** Names of the Swarm services this orchestrator manages. */
  List<String> managedServices() throws SwarmException;

  /** The node each managed service's task runs on now, by process id; services without a running task are absent. */
  Map<String, String> taskNodes() throws SwarmException;

  /**
   * The addresses, on its user's network, of a process's containers that Swarm has given up on but
   * last saw running: tasks meant to be shut down whose node did not report them stopped (a node lost
   * with its containers still running, say an engine that crashed or a cut link). Such a container
   * still answers to the process's name on the network until its node returns.
   */
  List<java.net.InetAddress> orphanAddresses(String processId, String userId) throws SwarmException;

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

}
