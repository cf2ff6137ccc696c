package org.defpi.sdk;

/**
 * Receives what happens on one connection. The generated handler interface of an interface
 * version extends this with one {@code handle<Type>(Type message)} method per received message
 * type. Callbacks for one connection are called one at a time, in order, never on a protocol
 * thread.
 */
public interface ConnectionHandler {
  /** The connection is being suspended (the other process moves or upgrades). */
  default void onSuspend() {}

  default void resumeAfterSuspend() {}

  /** The peer stopped answering; the runtime reconnects. */
  default void onInterrupt() {}

  default void resumeAfterInterrupt() {}

  /** The connection is closed for good. */
  default void terminated() {}
}
