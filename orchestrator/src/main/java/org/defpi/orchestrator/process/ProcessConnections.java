package org.defpi.orchestrator.process;

/**
 * What the process manager asks of the connection manager at the two moments of a process's life
 * that concern its connections. Implemented by {@code connection.ConnectionManager}; the
 * connection manager reads processes, so this interface keeps the dependency one-way.
 */
public interface ProcessConnections {
  /** The process reached RUNNING (again): send it CREATE for each of its connections. */
  void restore(Process process) throws InterruptedException;

  /**
   * The process was just configured: connect its autoConnect interfaces to the compatible
   * autoConnect interfaces of its user's other processes. Returns how many connections it made
   * (a count, so this package does not depend on the connection package).
   */
  int autoConnect(Process process) throws InterruptedException;

  /** The process is being removed: terminate its connections on the other ends and forget them. */
  void dropAll(Process process) throws InterruptedException;

  /** The process is about to be suspended for an upgrade or a move: suspend its connections on both ends. */
  void suspendAll(Process process) throws InterruptedException;

  /**
   * The process runs again after an upgrade or a move (a new container, same id and DNS name):
   * CREATE its connections on it and RESUME them on the other ends.
   */
  void resumeAll(Process process) throws InterruptedException;

  /**
   * Why the process could not keep its connections if it offered {@code interfaces} instead (an
   * upgrade): one reason per connection whose interface version would be gone; empty when all stay.
   */
  java.util.List<String> brokenBy(Process process, java.util.List<org.defpi.wire.label.InterfaceLabel> interfaces);
}
