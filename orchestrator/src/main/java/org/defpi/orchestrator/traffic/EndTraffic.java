package org.defpi.orchestrator.traffic;

import java.time.Instant;
import java.util.Objects;

/** One end of a connection as its process last reported it, with the rates since the report before. */
public record EndTraffic(String processId, String connectionId, String state, Counters counters, Rates rates,
    Instant reportedAt) {
  public EndTraffic {
    Objects.requireNonNull(processId, "processId");
    Objects.requireNonNull(connectionId, "connectionId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(counters, "counters");
    Objects.requireNonNull(rates, "rates");
    Objects.requireNonNull(reportedAt, "reportedAt");
  }
}
