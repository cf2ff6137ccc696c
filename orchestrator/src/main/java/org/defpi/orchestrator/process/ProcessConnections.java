package org.defpi.orchestrator.process;

import org.defpi.orchestrator.process.Processes.ManagementException;

/**
 * What the process manager asks of the connection manager at the moments of a process's life
 * that concern its connections. Implemented by {@code connection.ConnectionManager}; the
 * connection manager reads processes, so this interface keeps the dependency one-way.
 */
public interface ProcessConnections {
  /**
   * The process reached RUNNING (again): send it CREATE for each of its connections. A suspended
   * connection is left to {@link #resumeAll}; an end that cannot be reached is tried again later.
   */
  void restore(Process process) throws InterruptedException;

  /**
   * The process was just configured: connect its autoConnect interfaces to the compatible
   * autoConnect interfaces of its user's other processes. Returns how many connections it made
   * (a count, so this package does not depend on the connection package).
   */
  int autoConnect(Process process) throws InterruptedException;

  /** The process is being removed: terminate its connections on the other ends and forget them. */
  void dropAll(Process process) throws InterruptedException;

  /**
   * The process is about to move (or be upgraded) with its state: SUSPEND to both running ends of
   * each of its connections, which are recorded SUSPENDED. Best effort: it does not fail.
   */
  void suspendAll(Process process) throws InterruptedException;

  /**
   * The process runs again after {@link #suspendAll} (perhaps in a new container on another node,
   * perhaps a newer service version; same id, so same DNS name): its end of each suspended
   * connection gets a full CREATE, the other end RESUME; the connections are ACTIVE again (or
   * FAILED with the reason an end gave). Idempotent.
   *
   * @throws ManagementException when an end could not be reached: those connections stay
   *     SUSPENDED; call it again later
   */
  void resumeAll(Process process) throws ManagementException, InterruptedException;

  /**
   * Why the process could not keep its connections if it offered {@code interfaces} instead (an
   * upgrade): one reason per connection whose interface version would be gone; empty when all stay.
   */
  java.util.List<String> brokenBy(Process process, java.util.List<org.defpi.wire.label.InterfaceLabel> interfaces);
}
