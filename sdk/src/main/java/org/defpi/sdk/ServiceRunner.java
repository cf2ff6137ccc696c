package org.defpi.sdk;

import java.security.Security;
import java.time.Duration;
import java.util.Objects;
import org.defpi.sdk.internal.ProcessRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a service in a process: reads {@link DefPiParameters} from the environment, opens the
 * management server on port 4999, makes the trigger call, and serves the orchestrator and the
 * data connections until the process is terminated.
 */
public final class ServiceRunner {
  /** The management port of WIRE.md section 4. */
  public static final int MANAGEMENT_PORT = 4999;

  /** Exit status of {@link #run} when the process cannot start (bad environment, port, trigger). */
  public static final int EXIT_START_FAILED = 1;

  private static final Logger log = LoggerFactory.getLogger(ServiceRunner.class);

  private ServiceRunner() {}

  /**
   * Called by the generated main class; returns when the process has been terminated by the
   * orchestrator ({@code GoToProcessStateMessage} TERMINATED), after which the caller should exit
   * with status 0. If the process cannot start (an environment variable is missing, port 4999 is
   * taken, or the trigger call fails for {@link Options#triggerTimeout()}), this logs why and
   * exits the JVM with {@link #EXIT_START_FAILED}: a failed start, which Swarm restarts.
   */
  public static void run(ServiceDefinition<?> definition) {
    Objects.requireNonNull(definition, "definition");
    tuneDnsCache();
    Handle handle;
    try {
      DefPiParameters parameters = DefPiParameters.fromEnvironment(System.getenv());
      handle = start(definition, Options.defaults(parameters));
    } catch (RuntimeException e) {
      log.error("process cannot start, exiting with status {}: {}", EXIT_START_FAILED, e.getMessage());
      System.exit(EXIT_START_FAILED);
      return;
    }
    // docker stop sends SIGTERM: let the service release its resources as dEF-Pi's runtime did.
    Thread hook = new Thread(handle::close, "defpi-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      handle.awaitTermination();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("interrupted while serving; stopping");
      handle.close();
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
   * server on {@link Options#managementPort()} (0 picks a free port), makes the trigger call, and
   * returns once the orchestrator answered it. Unlike {@link #run} it never exits the JVM.
   *
   * @throws java.io.UncheckedIOException the management port cannot be opened
   * @throws IllegalStateException the trigger call did not succeed within the trigger timeout
   */
  public static Handle start(ServiceDefinition<?> definition, Options options) {
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

  /** A started service. Closing it stops it abruptly, as if the process were killed. */
  public interface Handle extends AutoCloseable {
    /** The port the management server listens on (useful when started on port 0). */
    int managementPort();

    /** Waits until the orchestrator terminated the process or the handle was closed. */
    void awaitTermination() throws InterruptedException;

    /** @return whether the process ended within the timeout */
    boolean awaitTermination(Duration timeout) throws InterruptedException;

    boolean isTerminated();

    /**
     * Stops serving: closes the management server and every data connection's socket, without
     * the TERMINATED protocol. If the service was initialised and not yet terminated, its
     * {@link Service#terminate()} is called (bounded by the service call timeout). Safe to call
     * more than once.
     */
    @Override
    void close();
  }

  /**
   * How a process runs. {@link #defaults} gives the production values; the {@code with…} methods
   * derive changed copies.
   *
   * @param parameters what the orchestrator told the process (WIRE.md section 4)
   * @param managementPort the management server's port; 0 picks a free one
   * @param triggerTimeout how long the trigger call is retried before the start counts as failed
   * @param heartbeatInterval how often a connected data connection pings its peer
   * @param missedHeartbeats after this many ping intervals without any frame from the peer, the
   *     connection is INTERRUPTED
   * @param sendBufferLimit how many messages a connection holds while not CONNECTED
   * @param maxReconnectDelay the cap of the back-off between connection attempts to a peer
   * @param serviceCallTimeout how long the management channel waits for a service or handler
   *     method before answering with an ErrorMessage
   */
  public record Options(
      DefPiParameters parameters,
      int managementPort,
      Duration triggerTimeout,
      Duration heartbeatInterval,
      int missedHeartbeats,
      int sendBufferLimit,
      Duration maxReconnectDelay,
      Duration serviceCallTimeout) {
    public static final Duration DEFAULT_TRIGGER_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_MISSED_HEARTBEATS = 2;
    public static final int DEFAULT_SEND_BUFFER_LIMIT = 1000;
    public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(2);
    public static final Duration DEFAULT_SERVICE_CALL_TIMEOUT = Duration.ofSeconds(30);

    public Options {
      Objects.requireNonNull(parameters, "parameters");
      if (managementPort < 0 || managementPort > 65535) {
        throw new IllegalArgumentException("managementPort must be 0..65535, is " + managementPort);
      }
      requirePositive(triggerTimeout, "triggerTimeout");
      requirePositive(heartbeatInterval, "heartbeatInterval");
      if (missedHeartbeats < 1) {
        throw new IllegalArgumentException("missedHeartbeats must be at least 1, is " + missedHeartbeats);
      }
      if (sendBufferLimit < 1) {
        throw new IllegalArgumentException("sendBufferLimit must be at least 1, is " + sendBufferLimit);
      }
      requirePositive(maxReconnectDelay, "maxReconnectDelay");
      requirePositive(serviceCallTimeout, "serviceCallTimeout");
    }

    public static Options defaults(DefPiParameters parameters) {
      return new Options(parameters, MANAGEMENT_PORT, DEFAULT_TRIGGER_TIMEOUT,
          DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_MISSED_HEARTBEATS, DEFAULT_SEND_BUFFER_LIMIT,
          DEFAULT_MAX_RECONNECT_DELAY, DEFAULT_SERVICE_CALL_TIMEOUT);
    }

    public Options withManagementPort(int port) {
      return new Options(parameters, port, triggerTimeout, heartbeatInterval, missedHeartbeats,
          sendBufferLimit, maxReconnectDelay, serviceCallTimeout);
    }

    public Options withTriggerTimeout(Duration timeout) {
      return new Options(parameters, managementPort, timeout, heartbeatInterval, missedHeartbeats,
          sendBufferLimit, maxReconnectDelay, serviceCallTimeout);
    }

    public Options withHeartbeat(Duration interval, int missed) {
      return new Options(parameters, managementPort, triggerTimeout, interval, missed,
          sendBufferLimit, maxReconnectDelay, serviceCallTimeout);
    }

    public Options withSendBufferLimit(int limit) {
      return new Options(parameters, managementPort, triggerTimeout, heartbeatInterval,
          missedHeartbeats, limit, maxReconnectDelay, serviceCallTimeout);
    }

    public Options withMaxReconnectDelay(Duration delay) {
      return new Options(parameters, managementPort, triggerTimeout, heartbeatInterval,
          missedHeartbeats, sendBufferLimit, delay, serviceCallTimeout);
    }

    public Options withServiceCallTimeout(Duration timeout) {
      return new Options(parameters, managementPort, triggerTimeout, heartbeatInterval,
          missedHeartbeats, sendBufferLimit, maxReconnectDelay, timeout);
    }

    private static void requirePositive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, is " + d);
      }
    }
  }
}
