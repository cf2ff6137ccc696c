package org.defpi.orchestrator.pendingchange;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.defpi.orchestrator.Ids;

/**
 * One action the orchestrator takes on a process or connection, kept durably until it is done.
 * A worker takes it by {@link PendingChangeStore#claim claiming} it under a lease; a change whose
 * worker died is claimed again once the lease has run out.
 *
 * <p>Invariants: a RUNNING change has a lease (owner and end), every other state none; a PENDING
 * change has attempts left ({@code attempts < maxAttempts}); a FAILED change says why. A process
 * change names its process, a connection change its connection (their ids are made when the change
 * is submitted, before the thing exists).
 *
 * @param userId the user the change was made for: only they (or an admin) may see or cancel it
 * @param attempts how many times a worker has claimed it
 * @param lastError why the latest failed attempt failed; kept through later attempts
 * @param notBefore when it may be claimed next (back-off after a failed attempt)
 * @param payload JSON text the worker reads; the store keeps it as it is
 */
public record PendingChange(
    String id,
    Kind kind,
    Optional<String> processId,
    Optional<String> connectionId,
    String userId,
    State state,
    int attempts,
    int maxAttempts,
    Optional<String> lastError,
    Instant createdAt,
    Instant updatedAt,
    Instant notBefore,
    Optional<String> leaseOwner,
    Optional<Instant> leaseUntil,
    String payload) {

  public enum Kind {
    CREATE_PROCESS, CONFIGURE_PROCESS, TERMINATE_PROCESS, UPGRADE_PROCESS, MOVE_PROCESS, CREATE_CONNECTION,
    DELETE_CONNECTION;

    /** True for the kinds that act on a process, false for those that act on a connection. */
    public boolean onProcess() {
      return switch (this) {
        case CREATE_PROCESS, CONFIGURE_PROCESS, TERMINATE_PROCESS, UPGRADE_PROCESS, MOVE_PROCESS -> true;
        case CREATE_CONNECTION, DELETE_CONNECTION -> false;
      };
    }
  }

  public enum State {
    PENDING, RUNNING, DONE, FAILED, CANCELLED;

    /** DONE, FAILED and CANCELLED: nothing will happen to the change any more. */
    public boolean finished() {
      return this == DONE || this == FAILED || this == CANCELLED;
    }
  }

  public PendingChange {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(processId, "processId");
    Objects.requireNonNull(connectionId, "connectionId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(lastError, "lastError");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(leaseOwner, "leaseOwner");
    Objects.requireNonNull(leaseUntil, "leaseUntil");
    Objects.requireNonNull(payload, "payload");
    if (!Ids.isId(id)) {
      throw new IllegalArgumentException("a pending change id is 24 lower-case hex digits, not '" + id + "'");
    }
    processId.filter(p -> !Ids.isId(p)).ifPresent(p -> {
      throw new IllegalArgumentException("pending change " + id + ": the process id '" + p + "' is not an id");
    });
    connectionId.filter(c -> !Ids.isId(c)).ifPresent(c -> {
      throw new IllegalArgumentException("pending change " + id + ": the connection id '" + c + "' is not an id");
    });
    if (kind.onProcess() && processId.isEmpty()) {
      throw new IllegalArgumentException("pending change " + id + " is " + kind + " but names no process");
    }
    if (!kind.onProcess() && connectionId.isEmpty()) {
      throw new IllegalArgumentException("pending change " + id + " is " + kind + " but names no connection");
    }
    if (userId.isBlank()) {
      throw new IllegalArgumentException("pending change " + id + " has a blank user id");
    }
    if (maxAttempts < 1 || attempts < 0 || attempts > maxAttempts) {
      throw new IllegalArgumentException("pending change " + id + " has " + attempts + " attempts of at most "
          + maxAttempts + ": need 0 <= attempts <= maxAttempts and maxAttempts >= 1");
    }
    if (state == State.PENDING && attempts == maxAttempts) {
      throw new IllegalArgumentException("pending change " + id + " is PENDING with all " + maxAttempts
          + " attempts used: it should be FAILED");
    }
    if (state == State.RUNNING && attempts == 0) {
      throw new IllegalArgumentException("pending change " + id + " is RUNNING but was never claimed (0 attempts)");
    }
    boolean leased = leaseOwner.isPresent() && leaseUntil.isPresent();
    if (state == State.RUNNING ? !leased : leaseOwner.isPresent() || leaseUntil.isPresent()) {
      throw new IllegalArgumentException("pending change " + id + " is " + state + " with lease owner " + leaseOwner
          + " until " + leaseUntil + ": a RUNNING change has both, any other neither");
    }
    if (leaseOwner.filter(String::isBlank).isPresent()) {
      throw new IllegalArgumentException("pending change " + id + " has a blank lease owner");
    }
    if (state == State.FAILED && lastError.isEmpty()) {
      throw new IllegalArgumentException("pending change " + id + " is FAILED without a reason");
    }
  }

  /** A change just submitted: PENDING, never attempted, claimable from {@code now}. */
  public static PendingChange submitted(String id, Kind kind, Optional<String> processId, Optional<String> connectionId,
      String userId, int maxAttempts, String payload, Instant now) {
    return new PendingChange(id, kind, processId, connectionId, userId, State.PENDING, 0, maxAttempts,
        Optional.empty(), now, now, now, Optional.empty(), Optional.empty(), payload);
  }
}
