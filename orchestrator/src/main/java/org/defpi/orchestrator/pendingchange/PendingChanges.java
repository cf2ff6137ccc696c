package org.defpi.orchestrator.pendingchange;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.defpi.orchestrator.Ids;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.pendingchange.PendingChange.Kind;
import org.defpi.orchestrator.pendingchange.PendingChangeStore.Cancellation;
import org.defpi.orchestrator.user.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue of pending changes: submitting, reading and cancelling them, and the retry rule the
 * workers follow. The {@link Workers} claim and settle changes through the {@link
 * PendingChangeStore}; {@link #onSubmit} lets them hear at once of a change that is due now (a new
 * one, or one retried).
 */
public final class PendingChanges {
  private static final Logger LOG = LoggerFactory.getLogger(PendingChanges.class);

  private final PendingChangeStore store;
  private final Ids ids;
  private final Clock clock;
  private final RetryPolicy retry;
  private final List<Runnable> submitListeners = new CopyOnWriteArrayList<>();
  private final Object submitting = new Object();
  private Instant lastCreatedAt; // guarded by submitting

  public PendingChanges(PendingChangeStore store, Ids ids, Clock clock, RetryPolicy retry) {
    this.store = Objects.requireNonNull(store, "store");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.retry = Objects.requireNonNull(retry, "retry");
  }

  /**
   * Stores a new PENDING change, claimable at once, and returns it as stored. The changes of a
   * process are carried out in the order of their {@code createdAt} (then id, which is random within
   * a second): so that two submitted in the same millisecond keep their order, each change this
   * manager submits is created at least a millisecond after the one before.
   */
  public PendingChange submit(Kind kind, Optional<String> processId, Optional<String> connectionId, String userId,
      String payload) {
    PendingChange change = PendingChange.submitted(ids.newId(), kind, processId, connectionId, userId,
        retry.maxAttempts(), payload, nextCreatedAt());
    store.insert(change);
    due(change);
    return change;
  }

  /** Tells the listeners that {@code change} is stored and due now. */
  private void due(PendingChange change) {
    for (Runnable listener : submitListeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        // the change is stored: a listener that fails must not make the submit look failed
        LOG.warn("a submit listener failed after pending change {} was stored: {}", change.id(), e.toString());
      }
    }
  }

  /**
   * Runs {@code listener} after each {@link #submit} and {@link #retry}, once the change is stored
   * and due, on the calling thread: it must be quick (the workers' {@link Workers#wake}).
   */
  public void onSubmit(Runnable listener) {
    submitListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** The PENDING and RUNNING changes of a process, oldest first. */
  public List<PendingChange> unfinishedOf(String processId) {
    return store.unfinishedOf(processId);
  }

  /**
   * Cancels every PENDING change of a process, as when it is terminated; a RUNNING one goes on.
   * Returns how many were cancelled.
   */
  public int cancelPendingOf(String processId) {
    return store.cancelPendingOf(processId, now());
  }

  /** The PENDING and RUNNING changes of a connection, oldest first. */
  public List<PendingChange> unfinishedOfConnection(String connectionId) {
    return store.unfinishedOfConnection(connectionId);
  }

  /** Cancels every PENDING change of a connection, as when it is deleted; returns how many. */
  public int cancelPendingOfConnection(String connectionId) {
    return store.cancelPendingOfConnection(connectionId, now());
  }

  /** Now, but after the last change submitted (concurrent submits have no order of their own to keep). */
  private Instant nextCreatedAt() {
    synchronized (submitting) {
      Instant at = now();
      if (lastCreatedAt != null && !at.isAfter(lastCreatedAt)) {
        at = lastCreatedAt.plusMillis(1);
      }
      lastCreatedAt = at;
      return at;
    }
  }

  public PendingChange get(String id) throws Refusal.NotFound {
    return store.find(id).orElseThrow(() -> notFound(id));
  }

  /** A change the caller may see; another user's is "not found". */
  public PendingChange get(String id, User caller) throws Refusal.NotFound {
    return store.find(id).filter(c -> caller.canSee(c.userId())).orElseThrow(() -> notFound(id));
  }

  /** All changes, oldest first. */
  public List<PendingChange> list() {
    return store.list();
  }

  /** The processes with a PENDING or RUNNING change. */
  public java.util.Set<String> busyProcesses() {
    return store.busyProcesses();
  }

  /** How many changes are in each state. */
  public java.util.Map<PendingChange.State, Long> countByState() {
    return store.countByState();
  }

  /** The caller's changes (all for an admin), oldest first. */
  public List<PendingChange> list(User caller) {
    return store.list().stream().filter(c -> caller.canSee(c.userId())).toList();
  }

  /** Cancels one of the caller's PENDING changes; refuses with its state when it is past that. */
  public PendingChange cancel(String id, User caller) throws Refusal.NotFound, Refusal.Conflict {
    get(id, caller);
    Cancellation c = store.cancel(id, now());
    return switch (c.outcome()) {
      case CANCELLED -> c.change().orElseThrow();
      case NOT_FOUND -> throw notFound(id);
      case NOT_CANCELLABLE -> throw new Refusal.Conflict("pending change " + id + " is "
          + c.change().map(p -> p.state().name()).orElse("gone") + "; only a PENDING change can be cancelled");
    };
  }

  /**
   * Runs one of the caller's changes again: a FAILED one from its first attempt, a PENDING one now
   * rather than after its back-off. Refused with the reason when it is past that (RUNNING, DONE,
   * CANCELLED) or when what it acts on has moved on (gone, or a later change of it is queued); see
   * {@link PendingChangeStore#retry}. Returns the change, PENDING and due.
   */
  public PendingChange retry(String id, User caller) throws Refusal.NotFound, Refusal.Conflict {
    get(id, caller);
    return switch (store.retry(id, now())) {
      case PendingChangeStore.Retry.Retried r -> {
        LOG.info("{} retried pending change {} {}: due now, {} of {} attempts used", caller.name(), r.change().kind(),
            id, r.change().attempts(), r.change().maxAttempts());
        due(r.change());
        yield r.change();
      }
      case PendingChangeStore.Retry.NotFound n -> throw notFound(id);
      case PendingChangeStore.Retry.NotRetryable n -> throw new Refusal.Conflict("pending change " + id + " is "
          + n.change().state() + switch (n.change().state()) {
            case RUNNING -> ": a worker is carrying it out now; wait for it to finish";
            case DONE -> ": it is done already";
            default -> ": it was cancelled";
          } + "; only a FAILED or PENDING change can be retried");
      case PendingChangeStore.Retry.SubjectGone g -> throw new Refusal.Conflict("pending change " + id
          + " cannot run again: " + g.why());
      case PendingChangeStore.Retry.LaterQueued l -> throw new Refusal.Conflict("pending change " + id
          + " cannot run again: a later change of its " + shared(l.change(), l.later()) + ", " + l.later().kind() + " "
          + l.later().id() + ", is " + l.later().state() + " and this one would run before it; let that one finish"
          + (l.later().state() == PendingChange.State.PENDING ? " or cancel it" : "") + " first");
    };
  }

  /** What two changes both act on: their process, else their connection. */
  private static String shared(PendingChange a, PendingChange b) {
    return a.processId().isPresent() && a.processId().equals(b.processId()) ? "process " + a.processId().get()
        : "connection " + a.connectionId().orElse("?");
  }

  private static Refusal.NotFound notFound(String id) {
    return new Refusal.NotFound("there is no pending change " + id);
  }

  /** Cancels a PENDING change; the outcome says when it was not there or already past PENDING. */
  public Cancellation cancel(String id) {
    return store.cancel(id, now());
  }

  /** Forgets DONE, FAILED and CANCELLED changes last updated before {@code before}; returns how many. */
  public int deleteFinishedBefore(Instant before) {
    return store.deleteFinishedBefore(before);
  }

  /**
   * For the worker holding {@code claimed}: gives it back to be tried again after the policy's
   * delay, or FAILED when that was its last attempt. False if the worker lost the lease.
   */
  public boolean retryLater(PendingChange claimed, String workerId, String error) {
    Instant now = now();
    return store.retryLater(claimed.id(), workerId, error, now.plus(retry.delayAfter(claimed.attempts())), now);
  }

  // the stores keep microseconds at best: millis make a stored time compare equal to the one returned
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
