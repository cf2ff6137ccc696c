package org.defpi.orchestrator.event;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Something changed: a process, a connection or a pending change was created, changed state or was
 * removed. Events are numbered in the order they happened on this orchestrator, so a client that
 * lost its stream asks for what came after the last number it saw.
 *
 * @param seq 1, 2, 3, … per orchestrator run
 * @param subject what changed
 * @param id the process, connection or pending change
 * @param userId whose it is: only they and admins see the event
 * @param state its state after the change; for {@link Action#REMOVED} its last state
 */
public record Event(long seq, Instant at, Subject subject, Action action, String id, String userId, String state,
    Optional<String> reason) {
  public enum Subject {
    PROCESS, CONNECTION, PENDING_CHANGE;

    /** The event name on the stream: {@code process}, {@code connection}, {@code pendingchange}. */
    public String streamName() {
      return switch (this) {
        case PROCESS -> "process";
        case CONNECTION -> "connection";
        case PENDING_CHANGE -> "pendingchange";
      };
    }
  }

  public enum Action { CREATED, CHANGED, REMOVED }

  public Event {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reason, "reason");
  }
}
