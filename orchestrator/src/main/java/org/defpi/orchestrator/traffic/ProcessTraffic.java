package org.defpi.orchestrator.traffic;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A process's connections as it last reported them. A process that never reported (built with the
 * original SDK, or not started yet) has no {@code reportedAt} and no connections.
 */
public record ProcessTraffic(String processId, Optional<Instant> reportedAt, List<EndTraffic> connections) {
  public ProcessTraffic {
    Objects.requireNonNull(processId, "processId");
    Objects.requireNonNull(reportedAt, "reportedAt");
    connections = List.copyOf(connections);
  }
}
