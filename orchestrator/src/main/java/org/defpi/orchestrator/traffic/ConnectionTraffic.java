package org.defpi.orchestrator.traffic;

import java.util.List;
import java.util.Objects;

/** A connection with the ends that reported on it (one or two), and the user of its processes. */
public record ConnectionTraffic(String connectionId, String userId, List<EndTraffic> ends) {
  public ConnectionTraffic {
    Objects.requireNonNull(connectionId, "connectionId");
    Objects.requireNonNull(userId, "userId");
    ends = List.copyOf(ends);
  }
}
