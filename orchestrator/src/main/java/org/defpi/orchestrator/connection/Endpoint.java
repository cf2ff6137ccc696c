package org.defpi.orchestrator.connection;

import java.util.Objects;
import java.util.Optional;

/**
 * One end of a connection: a process's interface, the interface version chosen for it, and whether
 * the process has acknowledged its CREATE.
 *
 * @param receivesHash hash of what this end receives (its ConnectionMessage's receiveHash)
 * @param sendsHash hash of what this end sends (its ConnectionMessage's sendHash)
 * @param created the process answered CREATE with a handshake since it last (re)started
 * @param failure why the last CREATE to this end failed
 * @param tls the last CREATE or RESUME this end answered said {@code tls = true}: it runs the
 *     connection in TLS (docs/wire-additions.md, "TLS"); false while it is not told
 */
public record Endpoint(
    String processId,
    String interfaceId,
    String versionName,
    String receivesHash,
    String sendsHash,
    boolean created,
    Optional<String> failure,
    boolean tls) {
  public Endpoint {
    Objects.requireNonNull(processId, "processId");
    Objects.requireNonNull(interfaceId, "interfaceId");
    Objects.requireNonNull(versionName, "versionName");
    Objects.requireNonNull(receivesHash, "receivesHash");
    Objects.requireNonNull(sendsHash, "sendsHash");
    Objects.requireNonNull(failure, "failure");
  }

  /** An end not told of TLS (every new one). */
  public Endpoint(String processId, String interfaceId, String versionName, String receivesHash, String sendsHash,
      boolean created, Optional<String> failure) {
    this(processId, interfaceId, versionName, receivesHash, sendsHash, created, failure, false);
  }

  public Endpoint withOutcome(boolean newCreated, boolean newTls, Optional<String> newFailure) {
    return new Endpoint(processId, interfaceId, versionName, receivesHash, sendsHash, newCreated, newFailure, newTls);
  }

  boolean is(String otherProcessId, String otherInterfaceId) {
    return processId.equals(otherProcessId) && interfaceId.equals(otherInterfaceId);
  }
}
