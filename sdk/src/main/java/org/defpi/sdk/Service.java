package org.defpi.sdk;

/**
 * What a service implements: its life as the orchestrator drives it (WIRE.md section 6). The
 * build tools generate a stub implementing this once; the developer fills it in.
 *
 * <p>Methods are called one at a time, never concurrently with each other, and never on a
 * protocol thread: a slow method delays only this service's next lifecycle step.
 *
 * @param <C> the service's typed configuration, generated from its parameters
 */
public interface Service<C> {
  /** First configuration (SetConfigMessage isUpdate=false). Throw to report a failed start. */
  void init(C config, DefPiParameters parameters) throws Exception;

  /** A changed configuration (SetConfigMessage isUpdate=true). */
  default void modify(C config) throws Exception {}

  /**
   * Suspend before a move or upgrade; the returned bytes come back in {@link #resumeFrom},
   * possibly in a new container running a newer build. {@link ServiceState} writes them in a
   * versioned format that a later build can read or clearly refuse.
   */
  default byte[] suspend() throws Exception {
    return new byte[0];
  }

  /**
   * Continue from state saved by {@link #suspend()}, possibly in another container. Throw an
   * {@link InvalidStateException} (e.g. from {@link ServiceState#parse}) to refuse a state this
   * build cannot use: the orchestrator gets its message as the reason the resume failed.
   */
  default void resumeFrom(byte[] state) throws Exception {}

  /** The process is being terminated: release resources. */
  default void terminate() throws Exception {}
}
