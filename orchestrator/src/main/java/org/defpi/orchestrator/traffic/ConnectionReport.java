package org.defpi.orchestrator.traffic;

import java.util.Objects;
import java.util.Set;

/**
 * One line of a process's traffic report: a connection of it, the state its end is in, and its
 * cumulative counts.
 *
 * @param state the SDK's connection state: STARTING, CONNECTED, INTERRUPTED, SUSPENDED, TERMINATED
 */
public record ConnectionReport(String connectionId, String state, Counters counters) {
  public static final Set<String> STATES = Set.of("STARTING", "CONNECTED", "INTERRUPTED", "SUSPENDED", "TERMINATED");

  public ConnectionReport {
    Objects.requireNonNull(connectionId, "connectionId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(counters, "counters");
    if (!STATES.contains(state)) {
      throw new IllegalArgumentException("state must be one of " + STATES + ", not '" + state + "'");
    }
  }
}
