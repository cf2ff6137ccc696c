package org.defpi.orchestrator.pendingchange;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where pending changes live (implemented by the {@code store} connector), shared by every
 * orchestrator instance on the database. Each method is atomic on its own.
 *
 * <p>The lease: {@link #claim} makes a worker the change's lease owner. The methods that take a
 * {@code workerId} succeed only while that worker still owns the lease, that is while the change
 * is RUNNING and no other worker has claimed it since. A lease that has run out but that no one has
 * taken over yet still counts (the work was not lost); once another worker claims the change (or a
 * claim finds the lease of its last attempt ran out and fails it), the first one's calls return
 * false and it must drop the change. A {@code workerId} must therefore be unique to one worker of
 * one orchestrator instance.
 */
public interface PendingChangeStore {
  /** Stores a new change (normally PENDING, see {@link PendingChange#submitted}). */
  void insert(PendingChange change);

  Optional<PendingChange> find(String id);

  /** All changes, oldest first. */
  List<PendingChange> list();

  /** The processes with a PENDING or RUNNING change: what the reconciler leaves to those changes. */
  java.util.Set<String> busyProcesses();

  /** How many changes are in each state (every state, zero included). */
  java.util.Map<PendingChange.State, Long> countByState();

  /**
   * Takes the oldest claimable change: PENDING with {@code notBefore <= now}, or RUNNING with a
   * lease that ran out ({@code leaseUntil <= now}). It becomes RUNNING with one more attempt, owned
   * by {@code workerId} until {@code now + lease}. Two callers never get the same change. A RUNNING
   * change whose lease ran out on its last attempt is not claimed: {@link #failAbandoned} fails it.
   *
   * <p>In order: a change is claimable only while no older change (by {@code createdAt}, then id)
   * of the same process, nor of the same connection, is unfinished (PENDING or RUNNING). So the
   * changes of one process are carried out one at a time, in the order they were submitted, even
   * when one of them waits out a back-off; those of different processes run side by side.
   *
   * @return the claimed change as stored now; empty when nothing is claimable
   */
  Optional<PendingChange> claim(String workerId, Instant now, Duration lease);

  /** The PENDING and RUNNING changes of a process, oldest first. */
  List<PendingChange> unfinishedOf(String processId);

  /**
   * Cancels every PENDING change of a process (a RUNNING one is being carried out and goes on), as
   * when the process is terminated and the work queued on it is dropped; returns how many.
   */
  int cancelPendingOf(String processId, Instant now);

  /** The PENDING and RUNNING changes of a connection, oldest first. */
  List<PendingChange> unfinishedOfConnection(String connectionId);

  /**
   * Cancels every PENDING change of a connection (a RUNNING one goes on), as when it is deleted;
   * returns how many.
   */
  int cancelPendingOfConnection(String connectionId, Instant now);

  /**
   * Fails the RUNNING changes whose lease ran out on their last attempt (their worker died or
   * stalled) and returns them as stored now, so the caller can tell their owners; two callers never
   * get the same change.
   */
  List<PendingChange> failAbandoned(Instant now);

  /** Moves the end of the worker's lease to {@code leaseUntil}; false if it no longer holds the lease. */
  boolean renew(String id, String workerId, Instant leaseUntil);

  /** DONE; false if the worker no longer holds the lease. */
  boolean complete(String id, String workerId, Instant now);

  /**
   * Gives the change back after a failed attempt, with {@code error} as its lastError: PENDING again
   * from {@code notBefore}, or FAILED when this was its last attempt ({@code attempts >=
   * maxAttempts}). The store decides, in the same statement, so the limit cannot be raced; the
   * worker knows which it was from the change it claimed ({@code attempts() >= maxAttempts()}).
   * False if the worker no longer holds the lease.
   */
  boolean retryLater(String id, String workerId, String error, Instant notBefore, Instant now);

  /** FAILED for good with {@code error}, attempts left or not; false if the worker no longer holds the lease. */
  boolean fail(String id, String workerId, String error, Instant now);

  /** CANCELLED, only from PENDING: a RUNNING change is being carried out and cannot be called back. */
  Cancellation cancel(String id, Instant now);

  /**
   * Makes a change due at {@code now}, all in one transaction: a FAILED change is PENDING again with
   * its attempts counted from zero (its lastError kept until an attempt ends), a PENDING one gets
   * {@code notBefore = now}. Nothing changes when the change is RUNNING, DONE or CANCELLED; when what
   * it acts on is gone (its process no longer exists or is TERMINATED, its connection no longer
   * exists; a TERMINATE_PROCESS change only needs its process to exist, TERMINATED being what it
   * finishes); or when a later change of the same process or connection is PENDING or RUNNING (this
   * one would run first, out of order). The subject's row stays locked until the change is written,
   * so a terminate or delete cannot slip in between the check and the write.
   */
  Retry retry(String id, Instant now);

  /** What {@link #retry} did. */
  sealed interface Retry {
    /** The change is PENDING and due; as stored now. */
    record Retried(PendingChange change) implements Retry {}

    /** No such change. */
    record NotFound() implements Retry {}

    /** The change is RUNNING, DONE or CANCELLED (its state says which). */
    record NotRetryable(PendingChange change) implements Retry {}

    /** What the change acts on is gone; {@code why} says what, e.g. "process … is TERMINATED". */
    record SubjectGone(PendingChange change, String why) implements Retry {}

    /** {@code later}, of the same process or connection, is PENDING or RUNNING. */
    record LaterQueued(PendingChange change, PendingChange later) implements Retry {}
  }

  /** Deletes the DONE, FAILED and CANCELLED changes last updated before {@code before}; returns how many. */
  int deleteFinishedBefore(Instant before);

  enum CancelOutcome { CANCELLED, NOT_FOUND, NOT_CANCELLABLE }

  /**
   * What {@link #cancel} did.
   *
   * @param change the change as it is after the call (its state says why it was not cancellable);
   *     empty exactly when NOT_FOUND
   */
  record Cancellation(CancelOutcome outcome, Optional<PendingChange> change) {
    public Cancellation {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(change, "change");
      if (change.isEmpty() != (outcome == CancelOutcome.NOT_FOUND)) {
        throw new IllegalArgumentException("a cancellation has the change unless it was NOT_FOUND: " + outcome
            + " with " + change);
      }
    }
  }
}
