package org.defpi.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * How a process runs, for {@link ServiceRunner#start}. {@link #defaults} gives the production
 * values ({@link ServiceRunner#run} uses them); the {@code with…} methods derive changed copies.
 *
 * @param parameters what the orchestrator told the process (WIRE.md section 4)
 * @param managementPort the management server's port; 0 picks a free one
 * @param triggerTimeout how long the certificate request and the trigger call (together) are
 *     retried before the start counts as failed
 * @param heartbeatInterval how often a connected data connection pings its peer
 * @param missedHeartbeats after this many ping intervals without any frame from the peer, the
 *     connection is INTERRUPTED
 * @param sendBufferLimit how many messages a connection holds while not CONNECTED
 * @param maxReconnectDelay the cap of the back-off between connection attempts to a peer
 * @param serviceCallTimeout how long the management channel waits for a service or handler
 *     method before answering with an ErrorMessage
 */
public record RunOptions(
    DefPiParameters parameters,
    int managementPort,
    Duration triggerTimeout,
    Duration heartbeatInterval,
    int missedHeartbeats,
    int sendBufferLimit,
    Duration maxReconnectDelay,
    Duration serviceCallTimeout) {
  /** The management port of WIRE.md section 4. */
  public static final int DEFAULT_MANAGEMENT_PORT = 4999;
  public static final Duration DEFAULT_TRIGGER_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
  public static final int DEFAULT_MISSED_HEARTBEATS = 2;
  public static final int DEFAULT_SEND_BUFFER_LIMIT = 1000;
  public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(2);
  public static final Duration DEFAULT_SERVICE_CALL_TIMEOUT = Duration.ofSeconds(30);

  public RunOptions {
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

  public static RunOptions defaults(DefPiParameters parameters) {
    return new RunOptions(parameters, DEFAULT_MANAGEMENT_PORT, DEFAULT_TRIGGER_TIMEOUT,
        DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_MISSED_HEARTBEATS, DEFAULT_SEND_BUFFER_LIMIT,
        DEFAULT_MAX_RECONNECT_DELAY, DEFAULT_SERVICE_CALL_TIMEOUT);
  }

  public RunOptions withManagementPort(int port) {
    return new RunOptions(parameters, port, triggerTimeout, heartbeatInterval, missedHeartbeats,
        sendBufferLimit, maxReconnectDelay, serviceCallTimeout);
  }

  public RunOptions withTriggerTimeout(Duration timeout) {
    return new RunOptions(parameters, managementPort, timeout, heartbeatInterval, missedHeartbeats,
        sendBufferLimit, maxReconnectDelay, serviceCallTimeout);
  }

  public RunOptions withHeartbeat(Duration interval, int missed) {
    return new RunOptions(parameters, managementPort, triggerTimeout, interval, missed,
        sendBufferLimit, maxReconnectDelay, serviceCallTimeout);
  }

  public RunOptions withSendBufferLimit(int limit) {
    return new RunOptions(parameters, managementPort, triggerTimeout, heartbeatInterval,
        missedHeartbeats, limit, maxReconnectDelay, serviceCallTimeout);
  }

  public RunOptions withMaxReconnectDelay(Duration delay) {
    return new RunOptions(parameters, managementPort, triggerTimeout, heartbeatInterval,
        missedHeartbeats, sendBufferLimit, delay, serviceCallTimeout);
  }

  public RunOptions withServiceCallTimeout(Duration timeout) {
    return new RunOptions(parameters, managementPort, triggerTimeout, heartbeatInterval,
        missedHeartbeats, sendBufferLimit, maxReconnectDelay, timeout);
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, is " + d);
    }
  }
}
