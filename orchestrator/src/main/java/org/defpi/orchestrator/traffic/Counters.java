package org.defpi.orchestrator.traffic;

/**
 * One connection end's cumulative counts, as its process reported them (since the process started).
 * Field meanings are the SDK's ({@code org.defpi.sdk.ConnectionTraffic}).
 */
public record Counters(long messagesIn, long messagesOut, long bytesIn, long bytesOut, long dropped, long errors,
    long stateChanges) {
  public static final Counters ZERO = new Counters(0, 0, 0, 0, 0, 0, 0);

  public Counters {
    if (messagesIn < 0 || messagesOut < 0 || bytesIn < 0 || bytesOut < 0 || dropped < 0 || errors < 0
        || stateChanges < 0) {
      throw new IllegalArgumentException("counters cannot be negative");
    }
  }

  /** Whether any count is below {@code earlier}'s: the process restarted and counts afresh. */
  boolean restartedSince(Counters earlier) {
    return messagesIn < earlier.messagesIn || messagesOut < earlier.messagesOut || bytesIn < earlier.bytesIn
        || bytesOut < earlier.bytesOut || dropped < earlier.dropped || errors < earlier.errors
        || stateChanges < earlier.stateChanges;
  }
}
