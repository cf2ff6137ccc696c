package org.defpi.orchestrator.metrics;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.defpi.orchestrator.connection.ConnectionState;
import org.defpi.orchestrator.pendingchange.PendingChange;
import org.defpi.orchestrator.process.ProcessState;

/**
 * What {@link StoreGauges} reads at each scrape: one grouped query per table, so a scrape costs
 * the same with ten processes or ten thousand. A state with no rows may be left out of a map.
 */
public interface StoreCounts {
  Map<ProcessState, Long> processesByState();

  Map<ConnectionState, Long> connectionsByState();

  Map<PendingChange.State, StateAge> pendingChangesByState();

  /** How many rows are in a state, and when the oldest of them was created. */
  record StateAge(long count, Optional<Instant> oldest) {
    public StateAge {
      Objects.requireNonNull(oldest, "oldest");
      if (count < 0) {
        throw new IllegalArgumentException("a count is never negative: " + count);
      }
    }
  }
}
