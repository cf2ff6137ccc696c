package org.defpi.orchestrator.process;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What the process manager needs from Docker Swarm (implemented by the {@code swarm} connector). */
public interface Swarm {
  /**
   * Creates the Swarm service of a process: named and reachable (network alias) by the process id,
   * with the given image and env. Idempotent: an existing service of that name is left alone.
   */
  void createService(ProcessService service) throws SwarmException;

  /**
   * Makes the process's Swarm service exactly {@code service}: created if absent, removed and created
   * anew when it differs in anything (image, env, placement: an upgrade or a move), left alone when
   * it is the same, so that running it again after a crash does no harm.
   */
  void replaceService(ProcessService service) throws SwarmException, InterruptedException;

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

  /** The Swarm service of one process. */
  record ProcessService(String processId, String image, Map<String, String> env) {
    public ProcessService {
      Objects.requireNonNull(processId, "processId");
      Objects.requireNonNull(image, "image");
      env = Map.copyOf(env);
    }

    @Override
    public String toString() {
      return "ProcessService[processId=" + processId + ", image=" + image + ", env=" + env.keySet() + "]";
    }
  }

  /** Docker refused or could not be reached. */
  final class SwarmException extends Exception {
    public SwarmException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
