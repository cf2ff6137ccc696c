package org.defpi.sdk;

/** Calls the typed {@code handle<Type>} method of a generated handler for a decoded message. */
@FunctionalInterface
public interface MessageDispatcher {
  /**
   * @throws IllegalArgumentException the message is not of a type this interface version receives
   */
  void dispatch(ConnectionHandler handler, Object message) throws Exception;
}
