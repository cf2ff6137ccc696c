package org.defpi.orchestrator.process;

import com.google.protobuf.Message;
import java.time.Duration;

/**
 * The management channel to running processes (WIRE.md section 6), implemented by the
 * {@code processes} connector: strict request/reply, one outstanding request per process.
 */
public interface Processes {
  /**
   * How a process's management port is reached: plain TCP as WIRE.md says, or TLS 1.3 with both
   * sides authenticated by the orchestrator's authority (docs/wire-additions.md, "TLS", 3).
   */
  enum Transport {
    PLAIN,
    TLS;

    /** As the process's last trigger call said ({@link Process#tls()}). */
    public static Transport of(Process process) {
      return process.tls() ? TLS : PLAIN;
    }
  }

  /**
   * Sends {@code request} to the process and returns its reply ({@code ProcessStateUpdateMessage},
   * {@code ConnectionHandshake}, {@code ErrorMessage}, …). Requests to one process are serialised.
   * While the process is starting, connecting is retried with back-off. A channel open in another
   * transport than {@code transport} is replaced.
   *
   * @param budget the most this call may take, waiting for the channel, connecting and the reply
   */
  Message call(String processId, Transport transport, Message request, Duration budget)
      throws ManagementException, InterruptedException;

  /** Closes the channel to the process and makes a call that is waiting for it give up. */
  void forget(String processId);

  /**
   * From now on the process is reached at this address, not by its name: the container that called
   * the trigger from there is the process (a lost node's container may still answer to the name). A
   * channel open to another address is closed.
   */
  void pin(String processId, java.net.InetAddress address);

  /**
   * Tells the instance of the process at this address to terminate ({@code GoToProcessStateMessage}
   * TERMINATED) over a connection of its own: how an old container, left running on a node Swarm
   * lost, is fenced off once a new one took over.
   */
  void terminateAt(String processId, Transport transport, java.net.InetAddress address, Duration budget)
      throws ManagementException, InterruptedException;

  /** The process could not be reached, did not answer in time, or broke the protocol. */
  final class ManagementException extends Exception {
    public ManagementException(String message) {
      super(message);
    }

    public ManagementException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
