package org.defpi.orchestrator.process;

/**
 * The orchestrator's view of a process.
 *
 * <pre>
 *   POST /process -> STARTING --trigger, SetConfig answered RUNNING--> RUNNING
 *                       |  \--answered an error / unreachable / Swarm refused--> FAILED (reason)
 *   a new trigger (the container restarted) from RUNNING or FAILED -> STARTING again
 *   DELETE /process/{id} -> TERMINATED while it is being torn down, then the record is gone
 *   an upgrade or move of a RUNNING process -> SUSPENDED (its state saved) -> its new Swarm service
 *       -> STARTING -> trigger, SetConfig, ResumeProcessMessage with the saved state -> RUNNING
 * </pre>
 */
public enum ProcessState {
  STARTING, RUNNING, SUSPENDED, FAILED, TERMINATED
}
