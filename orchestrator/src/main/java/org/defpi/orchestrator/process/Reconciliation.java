package org.defpi.orchestrator.process;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.defpi.orchestrator.pendingchange.PendingChange.Kind;

/**
 * What to do so that the Swarm matches the store: a pure function of what each says, tested by
 * table. The reconciler runs it at start and then periodically; every action is a pending change,
 * so it is durable and runs in order with whatever else the process has queued.
 *
 * <ul>
 *   <li>A STARTING, RUNNING or SUSPENDED process without a Swarm service gets one again
 *       (CREATE_PROCESS): its service was lost, say with an orchestrator that died between storing
 *       the process and creating the service, or removed by hand. (A SUSPENDED one resumes from its
 *       saved state when its new container has called.) A FAILED process is left alone: re-creating what
 *       failed for good would only fail again; its user decides.
 *   <li>A process STARTING for longer than {@link #STALLED} with its service, its task on a node
 *       (as last observed, {@link Process#runsOn}) but nothing queued is configured
 *       (CONFIGURE_PROCESS): its container's trigger was answered but the configuration it queued was
 *       lost (say, by a crash), and the container will not call again. One whose task has no node
 *       has no container to configure: it waits for Swarm to place it.
 *   <li>A TERMINATED process is finished off (TERMINATE_PROCESS): its teardown was lost.
 *   <li>A Swarm service with no process is removed (TERMINATE_PROCESS, which is idempotent).
 * </ul>
 * A process with unfinished changes is skipped: those changes are what is happening to it.
 */
public final class Reconciliation {
  /** The owner of changes made for a Swarm service nobody owns: admins see them. */
  static final String ORCHESTRATOR = "orchestrator";
  /** How long a process may be STARTING with its service before it counts as stalled. */
  static final java.time.Duration STALLED = java.time.Duration.ofMinutes(2);

  public record Action(Kind kind, String processId, String userId, String why) {
    public Action {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(processId, "processId");
      Objects.requireNonNull(userId, "userId");
      Objects.requireNonNull(why, "why");
    }
  }

  private Reconciliation() {}

  /**
   * @param processes every process record
   * @param services the names of the Swarm services this orchestrator manages (process ids)
   * @param busy the processes with PENDING or RUNNING changes
   * @param now to tell a stalled start from a slow one ({@link #STALLED})
   */
  static List<Action> plan(List<Process> processes, Set<String> services, Set<String> busy, java.time.Instant now) {
    List<Action> actions = new ArrayList<>();
    Set<String> known = new java.util.HashSet<>();
    for (Process p : processes) {
      known.add(p.id());
      if (busy.contains(p.id())) {
        continue;
      }
      switch (p.state()) {
        case STARTING, RUNNING, SUSPENDED -> {
          if (!services.contains(p.id())) {
            actions.add(new Action(Kind.CREATE_PROCESS, p.id(), p.userId(), "it is " + p.state()
                + " but has no Swarm service"));
          } else if (p.state() == ProcessState.STARTING && p.runsOn().isPresent()
              && p.createdAt().plus(STALLED).isBefore(now)) {
            actions.add(new Action(Kind.CONFIGURE_PROCESS, p.id(), p.userId(), "it has been STARTING since "
                + p.createdAt() + " with nothing queued"));
          }
        }
        case TERMINATED -> actions.add(new Action(Kind.TERMINATE_PROCESS, p.id(), p.userId(),
            "it is TERMINATED but its teardown is not queued"));
        case FAILED -> { }
      }
    }
    for (String service : services) {
      if (!known.contains(service) && !busy.contains(service)) {
        actions.add(new Action(Kind.TERMINATE_PROCESS, service, ORCHESTRATOR, "its Swarm service has no process"));
      }
    }
    return actions;
  }
}
