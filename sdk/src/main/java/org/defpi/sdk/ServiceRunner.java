package org.defpi.sdk;

import java.security.Security;
import java.util.Objects;
import org.defpi.sdk.internal.ProcessRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a service in a process: reads {@link DefPiParameters} from the environment, opens the
 * management server on port 4999, asks the orchestrator for a TLS certificate (an orchestrator
 * without TLS says 404, and the process stays plain), makes the trigger call, and serves the
 * orchestrator and the data connections until the process is terminated.
 *
 * <p>This is the only public class that reaches into {@code org.defpi.sdk.internal}; the runtime
 * there sees only the API's values and interfaces ({@link RunOptions}, {@link ServiceProcess},
 * {@link ServiceDefinition}, …), never this class.
 */
public final class ServiceRunner {
  /** The management port of WIRE.md section 4. */
  public static final int MANAGEMENT_PORT = RunOptions.DEFAULT_MANAGEMENT_PORT;

  /** Exit status of {@link #run} when the process cannot start (bad environment, port, trigger). */
  public static final int EXIT_START_FAILED = 1;

  private static final Logger log = LoggerFactory.getLogger(ServiceRunner.class);

  private ServiceRunner() {}

  /**
   * Called by the generated main class; returns when the process has been terminated by the
   * orchestrator ({@code GoToProcessStateMessage} TERMINATED), after which the caller should exit
   * with status 0. If the process cannot start (an environment variable is missing, port 4999 is
   * taken, or the trigger call fails for {@link RunOptions#triggerTimeout()}), this logs why and
   * exits the JVM with {@link #EXIT_START_FAILED}: a failed start, which Swarm restarts. The same
   * goes for a certificate request that neither succeeds nor is answered 404/405 within that time.
   */
  public static void run(ServiceDefinition<?> definition) {
    Objects.requireNonNull(definition, "definition");
    ServiceProcess process;
    try {
      DefPiParameters parameters = DefPiParameters.fromEnvironment(System.getenv());
      process = start(definition, RunOptions.defaults(parameters));
    } catch (RuntimeException e) {
      log.error("process cannot start, exiting with status {}: {}", EXIT_START_FAILED, e.getMessage());
      System.exit(EXIT_START_FAILED);
      return;
    }
    // docker stop sends SIGTERM: let the service release its resources as dEF-Pi's runtime did.
    Thread hook = new Thread(process::close, "defpi-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      process.awaitTermination();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("interrupted while serving; stopping");
      process.close();
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the JVM is exiting anyway
    }
    log.info("process terminated by the orchestrator");
  }

  /**
   * Starts a service with explicit options, for tests and for embedding: opens the management
   * server on {@link RunOptions#managementPort()} (0 picks a free port), makes the trigger call,
   * and returns once the orchestrator answered it. Unlike {@link #run} it never exits the JVM.
   *
   * @throws java.io.UncheckedIOException the management port cannot be opened
   * @throws IllegalStateException the trigger call, or the certificate request before it, did not
   *     succeed within the trigger timeout
   */
  public static ServiceProcess start(ServiceDefinition<?> definition, RunOptions options) {
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(options, "options");
    tuneDnsCache();
    return ProcessRuntime.start(definition, options);
  }

  /**
   * Peers' DNS names (their process ids) appear when their containers start, and change address
   * when they restart: do not cache a failed look-up (the JDK default is 10 s), and keep a
   * successful one only briefly unless the operator configured otherwise.
   */
  private static void tuneDnsCache() {
    Security.setProperty("networkaddress.cache.negative.ttl", "0");
    if (Security.getProperty("networkaddress.cache.ttl") == null) {
      Security.setProperty("networkaddress.cache.ttl", "1");
    }
  }
}
