package org.defpi.orchestrator.pendingchange;

/**
 * Carries out the pending changes of one {@link PendingChange.Kind} for the {@link Workers}.
 *
 * <p>{@link #run} must be idempotent: a change may be run again after an attempt that did part of
 * the work (it threw, or its worker died and another took the change over once the lease ran out).
 * It is never run twice at the same time, and the changes of one process (or one connection) come
 * one at a time, in the order they were submitted.
 */
@FunctionalInterface
public interface ChangeHandler {
  /**
   * Carries out {@code change}. Returning means done (the change becomes DONE); throwing {@link
   * ChangeFailed} means it can never succeed (FAILED at once, with the reason); any other exception
   * means try again later, after the retry policy's back-off, with the exception's message as the
   * change's lastError (FAILED once its attempts are used up). The worker is interrupted only when
   * the orchestrator shuts down and the handler has not finished in time.
   */
  void run(PendingChange change) throws Exception;

  /**
   * Called once when {@code change} has ended FAILED (by {@link ChangeFailed} or with its attempts
   * used up), with the reason stored as its lastError, so the owner can mark its process or
   * connection FAILED. Called on the worker's thread; an exception is logged and otherwise ignored.
   */
  default void failedForGood(PendingChange change, String reason) {}
}
