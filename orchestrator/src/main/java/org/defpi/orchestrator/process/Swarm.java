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
   * One Swarm node in the engine's own words.
   *
   * @param architecture the platform's architecture as reported ({@code x86_64}, {@code aarch64}, ...)
   * @param state the node's state ({@code ready}, {@code down}, {@code unknown}, {@code disconnected})
   */
  record SwarmNode(String id, String hostname, String architecture, String state) {
    public SwarmNode {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(hostname, "hostname");
      Objects.requireNonNull(architecture, "architecture");
      Objects.requireNonNull(state, "state");
    }
  }

  /** The Swarm service of one process, of user {@code userId} (whose network it joins). */
  record ProcessService(String processId, String userId, String image, Map<String, String> env) {
    public ProcessService {
      Objects.requireNonNull(processId, "processId");
      Objects.requireNonNull(userId, "userId");
      Objects.requireNonNull(image, "image");
      env = Map.copyOf(env);
    }

    @Override
    public String toString() {
      return "ProcessService[processId=" + processId + ", userId=" + userId + ", image=" + image + ", env=" + env.keySet() + "]";
    }
  }

  /** Docker refused or could not be reached. */
  final class SwarmException extends Exception {
    public SwarmException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
