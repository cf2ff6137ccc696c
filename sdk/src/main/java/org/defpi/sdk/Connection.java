package org.defpi.sdk;

/**
 * One end of a data connection between two processes, handed to the connection handler that the
 * service's connection manager builds for it.
 */
public interface Connection {
  /**
   * Sends a message of one of the types this interface version sends. Messages sent before the
   * connection is CONNECTED, or while it is INTERRUPTED or SUSPENDED, are buffered up to a bound
   * and delivered in order once it is connected.
   *
   * @throws IllegalArgumentException the message is of a type this interface version does not send
   * @throws IllegalStateException the connection is TERMINATED, or the buffer is full
   */
  void send(Object message);

  ConnectionState state();

  String connectionId();

  String remoteProcessId();

  String remoteServiceId();

  String remoteInterfaceId();

  /**
   * What this connection carried since the process started: a consistent-enough snapshot (each
   * counter is read once; they are not frozen together). Connections made by this SDK's runtime
   * count; other implementations (a test's fake) may count nothing.
   */
  default ConnectionTraffic traffic() {
    return ConnectionTraffic.NONE;
  }

  /**
   * Whether this connection runs in TLS 1.3, both ends authenticated by certificates of the
   * orchestrator's authority: true when the orchestrator's last word on it (CREATE or RESUME) said
   * {@code tls}, which it does only when both processes hold a certificate. False for plain TCP, as
   * every connection is under an orchestrator without TLS. Other implementations (a test's fake) say
   * false.
   */
  default boolean encrypted() {
    return false;
  }
}
