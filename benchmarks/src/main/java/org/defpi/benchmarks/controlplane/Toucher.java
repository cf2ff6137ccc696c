package org.defpi.benchmarks.controlplane;

import java.time.Instant;
import java.util.Optional;
import org.defpi.benchmarks.controlplane.Seeder.Seeded;
import org.defpi.orchestrator.Ids;
import org.defpi.orchestrator.connection.Connection;
import org.defpi.orchestrator.node.Node;
import org.defpi.orchestrator.pendingchange.PendingChange;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.store.RealStore;

/**
 * One write to each table a read works over, between two timed reads, as a live orchestrator
 * writes between them: H2 answers a query from the result it kept while none of its tables changed,
 * and a bench that only reads would time that cache. The values written are those already there,
 * so the records stay as seeded (the queue table gets one finished change in, one out).
 */
final class Toucher {
  private static final Instant LONG_AGO = Instant.parse("2000-01-01T00:00:00Z");
  private final RealStore store;
  private final Seeded seeded;
  private final Ids ids = Ids.secure(java.time.Clock.systemUTC());
  private int next;

  Toucher(RealStore store, Seeded seeded) {
    this.store = store;
    this.seeded = seeded;
  }

  void touch() {
    int i = next++;
    Process p = seeded.processes().get(i % seeded.processes().size());
    store.updateRunsOn(p.id(), p.runsOn());
    if (!seeded.connections().isEmpty()) {
      Connection c = seeded.connections().get(i % seeded.connections().size());
      store.updateSuspended(c.id(), false);
    }
    Node n = seeded.nodes().get(i % seeded.nodes().size());
    store.updateAssignment(n);
    // a finished change from long ago in, the one before it out (deleteFinishedBefore keeps the recent ones)
    store.pendingChanges().deleteFinishedBefore(LONG_AGO.plusSeconds(1));
    store.pendingChanges().insert(new PendingChange(ids.newId(), PendingChange.Kind.CONFIGURE_PROCESS,
        Optional.of(p.id()), Optional.empty(), p.userId(), PendingChange.State.DONE, 1, 10, Optional.empty(), LONG_AGO,
        LONG_AGO, LONG_AGO, Optional.empty(), Optional.empty(), "{}"));
  }
}
