package org.defpi.sdk;

import java.util.Objects;
import java.util.function.Function;

/**
 * What the generated code tells the runtime about one version of one interface. The runtime picks
 * it for a new connection by the pair (receiveHash, sendHash) the orchestrator sends in
 * {@code ConnectionMessage}.
 *
 * @param receivesHash the hash of what this end receives (the {@code receiveHash} of a CREATE)
 * @param sendsHash the hash of what this end sends (the {@code sendHash} of a CREATE)
 * @param handlerFactory builds the handler for a new connection, usually the generated connection
 *     manager's {@code build<Version>} method
 */
public record InterfaceVersion(
    String interfaceId,
    String versionName,
    String receivesHash,
    String sendsHash,
    MessageCodec codec,
    Function<Connection, ? extends ConnectionHandler> handlerFactory,
    MessageDispatcher dispatcher) {
  public InterfaceVersion {
    Objects.requireNonNull(interfaceId, "interfaceId");
    Objects.requireNonNull(versionName, "versionName");
    Objects.requireNonNull(receivesHash, "receivesHash");
    Objects.requireNonNull(sendsHash, "sendsHash");
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(handlerFactory, "handlerFactory");
    Objects.requireNonNull(dispatcher, "dispatcher");
  }
}
