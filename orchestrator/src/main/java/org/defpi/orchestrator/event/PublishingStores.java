package org.defpi.orchestrator.event;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.defpi.orchestrator.connection.Connection;
import org.defpi.orchestrator.connection.ConnectionStore;
import org.defpi.orchestrator.event.Event.Action;
import org.defpi.orchestrator.event.Event.Subject;
import org.defpi.orchestrator.pendingchange.PendingChange;
import org.defpi.orchestrator.pendingchange.PendingChangeStore;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.process.ProcessState;
import org.defpi.orchestrator.process.ProcessStore;

/**
 * The stores the managers write through, each publishing an {@link Event} after every write that
 * took. Every state change passes a store, so no manager can change something and forget to say
 * so; and what was published is what was stored.
 */
public final class PublishingStores {
  private PublishingStores() {}

  /** Processes: created, state changed, removed. */
  public static ProcessStore processes(ProcessStore store, EventBus bus) {
    return new Processes(store, bus);
  }

  /**
   * Connections: created, an end's outcome recorded or the connection suspended or resumed (its
   * state may change), removed.
   */
  public static ConnectionStore connections(ConnectionStore store, ProcessStore processes, EventBus bus) {
    return new Connections(store, processes, bus);
  }

  /** Pending changes: submitted, claimed, settled, cancelled, retried. */
  public static PendingChangeStore pendingChanges(PendingChangeStore store, EventBus bus) {
    return new PendingChanges(store, bus);
  }

  private record Processes(ProcessStore store, EventBus bus) implements ProcessStore {
    Processes {
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(bus, "bus");
    }

    @Override
    public void insert(Process p) {
      store.insert(p);
      bus.publish(Subject.PROCESS, Action.CREATED, p.id(), p.userId(), p.state().name(), p.reason());
    }

    @Override
    public Optional<Process> findProcess(String id) {
      return store.findProcess(id);
    }

    @Override
    public List<Process> listProcesses() {
      return store.listProcesses();
    }

    @Override
    public boolean updateState(String id, ProcessState state, Optional<String> reason) {
      return changed(store.updateState(id, state, reason), id);
    }

    @Override
    public boolean updateDefinition(String id, String name, java.util.Map<String, String> configuration) {
      return changed(store.updateDefinition(id, name, configuration), id);
    }

    @Override
    public boolean updateDeployment(String id, String version, String image,
        java.util.List<org.defpi.wire.label.InterfaceLabel> interfaces, java.util.List<String> architectures) {
      return changed(store.updateDeployment(id, version, image, interfaces, architectures), id);
    }

    @Override
    public boolean updateTarget(String id, org.defpi.orchestrator.process.Target target) {
      return changed(store.updateTarget(id, target), id);
    }

    @Override
    public boolean updateRunsOn(String id, Optional<String> nodeId) {
      return changed(store.updateRunsOn(id, nodeId), id);
    }

    @Override
    public boolean updateTls(String id, boolean tls) {
      return changed(store.updateTls(id, tls), id);
    }

    /** After a write that took: the process as stored now, published. */
    private boolean changed(boolean took, String id) {
      if (took) {
        store.findProcess(id).ifPresent(p ->
            bus.publish(Subject.PROCESS, Action.CHANGED, id, p.userId(), p.state().name(), p.reason()));
      }
      return took;
    }

    @Override
    public boolean deleteProcess(String id) {
      Optional<Process> before = store.findProcess(id);
      boolean deleted = store.deleteProcess(id);
      if (deleted) {
        before.ifPresent(p -> bus.publish(Subject.PROCESS, Action.REMOVED, id, p.userId(), p.state().name(),
            Optional.empty()));
      }
      return deleted;
    }
  }

  private record Connections(ConnectionStore store, ProcessStore processes, EventBus bus) implements ConnectionStore {
    Connections {
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(processes, "processes");
      Objects.requireNonNull(bus, "bus");
    }

    /** A connection is its processes' user's (both ends belong to one user). */
    private Optional<String> owner(Connection c) {
      return processes.findProcess(c.endpoint1().processId()).map(Process::userId);
    }

    private void publish(Connection c, Action action) {
      owner(c).ifPresent(user -> bus.publish(Subject.CONNECTION, action, c.id(), user, c.state().name(), c.reason()));
    }

    @Override
    public void insert(Connection connection) {
      store.insert(connection);
      publish(connection, Action.CREATED);
    }

    @Override
    public Optional<Connection> findConnection(String id) {
      return store.findConnection(id);
    }

    @Override
    public List<Connection> listConnections() {
      return store.listConnections();
    }

    @Override
    public List<Connection> connectionsOf(String processId) {
      return store.connectionsOf(processId);
    }

    @Override
    public boolean updateEndpoint(String connectionId, int side, boolean created, boolean tls,
        Optional<String> failure) {
      boolean updated = store.updateEndpoint(connectionId, side, created, tls, failure);
      if (updated) {
        store.findConnection(connectionId).ifPresent(c -> publish(c, Action.CHANGED));
      }
      return updated;
    }

    @Override
    public boolean updateSuspended(String connectionId, boolean suspended) {
      boolean updated = store.updateSuspended(connectionId, suspended);
      if (updated) {
        store.findConnection(connectionId).ifPresent(c -> publish(c, Action.CHANGED));
      }
      return updated;
    }

    @Override
    public boolean deleteConnection(String id) {
      Optional<Connection> before = store.findConnection(id);
      boolean deleted = store.deleteConnection(id);
      if (deleted) {
        before.ifPresent(c -> publish(c, Action.REMOVED));
      }
      return deleted;
    }
  }

  private record PendingChanges(PendingChangeStore store, EventBus bus) implements PendingChangeStore {
    PendingChanges {
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(bus, "bus");
    }

    private void publish(PendingChange c, Action action) {
      bus.publish(Subject.PENDING_CHANGE, action, c.id(), c.userId(), c.state().name(), c.lastError());
    }

    private boolean changed(boolean took, String id) {
      if (took) {
        store.find(id).ifPresent(c -> publish(c, Action.CHANGED));
      }
      return took;
    }

    @Override
    public void insert(PendingChange change) {
      store.insert(change);
      publish(change, Action.CREATED);
    }

    @Override
    public Optional<PendingChange> find(String id) {
      return store.find(id);
    }

    @Override
    public List<PendingChange> list() {
      return store.list();
    }

    @Override
    public java.util.Set<String> busyProcesses() {
      return store.busyProcesses();
    }

    @Override
    public java.util.Map<PendingChange.State, Long> countByState() {
      return store.countByState();
    }

    @Override
    public Optional<PendingChange> claim(String workerId, Instant now, Duration lease) {
      Optional<PendingChange> claimed = store.claim(workerId, now, lease);
      claimed.ifPresent(c -> publish(c, Action.CHANGED));
      return claimed;
    }

    @Override
    public List<PendingChange> unfinishedOf(String processId) {
      return store.unfinishedOf(processId);
    }

    @Override
    public int cancelPendingOf(String processId, Instant now) {
      List<PendingChange> pending = store.unfinishedOf(processId);
      return cancelled(pending, store.cancelPendingOf(processId, now));
    }

    @Override
    public List<PendingChange> unfinishedOfConnection(String connectionId) {
      return store.unfinishedOfConnection(connectionId);
    }

    @Override
    public int cancelPendingOfConnection(String connectionId, Instant now) {
      List<PendingChange> pending = store.unfinishedOfConnection(connectionId);
      return cancelled(pending, store.cancelPendingOfConnection(connectionId, now));
    }

    /**
     * The store says how many it cancelled, not which: of those {@code unfinishedBefore}, the ones
     * PENDING then and CANCELLED now are published.
     */
    private int cancelled(List<PendingChange> unfinishedBefore, int cancelled) {
      if (cancelled > 0) {
        for (PendingChange before : unfinishedBefore) {
          if (before.state() == PendingChange.State.PENDING) {
            store.find(before.id()).filter(c -> c.state() == PendingChange.State.CANCELLED)
                .ifPresent(c -> publish(c, Action.CHANGED));
          }
        }
      }
      return cancelled;
    }

    @Override
    public List<PendingChange> failAbandoned(Instant now) {
      List<PendingChange> failed = store.failAbandoned(now);
      failed.forEach(c -> publish(c, Action.CHANGED));
      return failed;
    }

    @Override
    public boolean renew(String id, String workerId, Instant leaseUntil) {
      return store.renew(id, workerId, leaseUntil); // the state does not change
    }

    @Override
    public boolean complete(String id, String workerId, Instant now) {
      return changed(store.complete(id, workerId, now), id);
    }

    @Override
    public boolean retryLater(String id, String workerId, String error, Instant notBefore, Instant now) {
      return changed(store.retryLater(id, workerId, error, notBefore, now), id);
    }

    @Override
    public boolean fail(String id, String workerId, String error, Instant now) {
      return changed(store.fail(id, workerId, error, now), id);
    }

    @Override
    public Cancellation cancel(String id, Instant now) {
      Cancellation c = store.cancel(id, now);
      if (c.outcome() == CancelOutcome.CANCELLED) {
        c.change().ifPresent(p -> publish(p, Action.CHANGED));
      }
      return c;
    }

    @Override
    public Retry retry(String id, Instant now) {
      Retry r = store.retry(id, now);
      if (r instanceof Retry.Retried retried) {
        publish(retried.change(), Action.CHANGED);
      }
      return r;
    }

    @Override
    public int deleteFinishedBefore(Instant before) {
      return store.deleteFinishedBefore(before); // housekeeping of finished changes: nobody watches those
    }
  }
}
