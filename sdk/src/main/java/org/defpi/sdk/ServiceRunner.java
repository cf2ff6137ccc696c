package org.defpi.sdk;

/**
 * Runs a service in a process: reads {@link DefPiParameters} from the environment, opens the
 * management server on port 4999, makes the trigger call, and serves the orchestrator and the
 * data connections until the process is terminated.
 */
public final class ServiceRunner {
  /** The management port of WIRE.md section 4. */
  public static final int MANAGEMENT_PORT = 4999;

  private ServiceRunner() {}

  /** Called by the generated main class; returns when the process has been terminated. */
  public static void run(ServiceDefinition<?> definition) {
    throw new UnsupportedOperationException("to be implemented");
  }
}
