package org.defpi.benchmarks.controlplane;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.defpi.orchestrator.Ids;
import org.defpi.orchestrator.connection.ConnectionManager;
import org.defpi.orchestrator.connection.ConnectionStore;
import org.defpi.orchestrator.event.EventBus;
import org.defpi.orchestrator.event.PublishingStores;
import org.defpi.orchestrator.node.NodeManager;
import org.defpi.orchestrator.node.NodeStore;
import org.defpi.orchestrator.pendingchange.PendingChangeStore;
import org.defpi.orchestrator.pendingchange.PendingChanges;
import org.defpi.orchestrator.pendingchange.RetryPolicy;
import org.defpi.orchestrator.pendingchange.Workers;
import org.defpi.orchestrator.process.ProcessManager;
import org.defpi.orchestrator.process.ProcessStore;
import org.defpi.orchestrator.process.SavedStateStore;
import org.defpi.orchestrator.processes.Backoff;
import org.defpi.orchestrator.processes.RealProcesses;
import org.defpi.orchestrator.service.Registry;
import org.defpi.orchestrator.service.ServiceManager;
import org.defpi.orchestrator.user.User;

/**
 * The orchestrator's managers built as {@code Wiring} builds them (stores wrapped so that writes
 * become events, the same settings), over a simulated Swarm instead of Docker, with the
 * pending-change workers not started: what the reconciler and the node sync do, without the
 * deploying that would follow.
 */
record Managers(ProcessManager processes, ConnectionManager connections, NodeManager nodes, EventBus events,
    RealProcesses managementClient, Workers workers) implements AutoCloseable {

  static Managers over(ProcessStore processStore, ConnectionStore connectionStore, NodeStore nodeStore,
      PendingChangeStore changeStore, SavedStateStore savedStates, SimulatedSwarm swarm,
      Function<String, Optional<User>> users, Registry registry, Clock clock) {
    Ids ids = Ids.secure(clock);
    EventBus events = new EventBus(clock, 10_000);
    ProcessStore publishedProcesses = PublishingStores.processes(processStore, events);
    ConnectionStore publishedConnections = PublishingStores.connections(connectionStore, processStore, events);
    PendingChangeStore publishedChanges = PublishingStores.pendingChanges(changeStore, events);
    PendingChanges changes = new PendingChanges(publishedChanges, ids, clock, RetryPolicy.DEFAULT);
    Workers workers = new Workers(publishedChanges, clock, RetryPolicy.DEFAULT, Workers.Settings.defaults("bench"));
    RealProcesses management = new RealProcesses(RealProcesses.Settings.byHostName(Duration.ofSeconds(2),
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2)), java.util.Optional.empty()));
    ConnectionManager connections = new ConnectionManager(publishedProcesses, publishedConnections, management, changes,
        workers, ids, clock, new SecureRandom(), new ConnectionManager.Settings(Duration.ofSeconds(10)));
    NodeManager nodes = new NodeManager(swarm, nodeStore, ids, clock, false);
    ProcessManager processes = new ProcessManager(new ServiceManager(registry), nodes, publishedProcesses, savedStates,
        swarm, management, connections, ids, clock, changes, workers, users,
        new ProcessManager.Settings("defpi-orchestrator", 8484, Duration.ofSeconds(60), Duration.ofSeconds(5)));
    return new Managers(processes, connections, nodes, events, management, workers);
  }

  /** One pass of the scheduled reconciliation, as {@code Wiring} runs it every {@code DEFPI_RECONCILE} s. */
  void reconcileOnce() throws Exception {
    processes.reconcile();
    connections.reconcile();
  }

  @Override
  public void close() {
    workers.close();
    managementClient.close();
  }
}
