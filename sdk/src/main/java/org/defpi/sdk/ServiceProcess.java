package org.defpi.sdk;

import java.time.Duration;

/**
 * A service started by {@link ServiceRunner#start}: its management server listens and the trigger
 * call has been answered. Closing it stops it abruptly, as if the process were killed.
 */
public interface ServiceProcess extends AutoCloseable {
  /** The port the management server listens on (useful when started on port 0). */
  int managementPort();

  /** Waits until the orchestrator terminated the process or it was closed. */
  void awaitTermination() throws InterruptedException;

  /** @return whether the process ended within the timeout */
  boolean awaitTermination(Duration timeout) throws InterruptedException;

  boolean isTerminated();

  /**
   * Stops serving: closes the management server and every data connection's socket, without
   * the TERMINATED protocol. If the service was initialised and not yet terminated, its
   * {@link Service#terminate()} is called (bounded by {@link RunOptions#serviceCallTimeout()}).
   * Safe to call more than once.
   */
  @Override
  void close();
}
