package org.defpi.orchestrator.pendingchange;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.defpi.orchestrator.pendingchange.PendingChange.Kind;
import org.defpi.orchestrator.pendingchange.PendingChange.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers that carry out pending changes: each claims a change from the {@link
 * PendingChangeStore}, runs the {@link ChangeHandler} registered for its kind, and settles it (DONE,
 * given back to be tried again after the {@link RetryPolicy}'s back-off, or FAILED). Every
 * orchestrator instance on the database runs its own; the store's leases keep two workers (of any
 * instances) from running one change at once, and its claim order runs the changes of one process
 * one at a time, in the order they were submitted.
 *
 * <p>A worker with nothing to do asks the store again after {@link Settings#idlePoll}, or at once
 * when {@link #wake woken} (as after a submit). While a handler runs, its worker renews the lease
 * every third of it; a worker that finds its lease taken over (it stalled longer than the lease)
 * lets the handler finish but leaves the change to the worker that took it.
 *
 * <p>Life: {@link #register} the handlers, {@link #start}, {@link #close}. Each worker is a virtual
 * thread named {@code defpi-worker-N}, its worker id (the lease owner) {@code instanceId-N}.
 */
public final class Workers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Workers.class);

  /** How long {@link #close} waits for running handlers before it interrupts them. */
  static final Duration CLOSE_GRACE = Duration.ofSeconds(10);
  /** How long {@link #close} waits for an interrupted handler to give up and its change to be settled. */
  private static final Duration AFTER_INTERRUPT = Duration.ofSeconds(2);
  /** How often {@link #await} reads the store while no worker of this instance has settled the change. */
  private static final Duration AWAIT_POLL = Duration.ofMillis(200);

  /**
   * How an instance's workers run.
   *
   * @param instanceId this orchestrator instance, unique among those on the database: the workers'
   *     lease owner ids are made from it
   * @param workers how many changes this instance carries out at once
   * @param lease how long a claim holds a change without renewal; a change whose worker died is
   *     taken over once it runs out
   * @param idlePoll how long an idle worker waits before it asks the store again (unless woken)
   */
  public record Settings(String instanceId, int workers, Duration lease, Duration idlePoll) {
    public Settings {
      Objects.requireNonNull(instanceId, "instanceId");
      Objects.requireNonNull(lease, "lease");
      Objects.requireNonNull(idlePoll, "idlePoll");
      if (instanceId.isBlank()) {
        throw new IllegalArgumentException("the instance id must not be blank");
      }
      if (workers < 1) {
        throw new IllegalArgumentException("need at least 1 worker, not " + workers);
      }
      if (lease.compareTo(Duration.ofMillis(3)) < 0) {
        throw new IllegalArgumentException("the lease must be at least 3 ms (it is renewed every third): " + lease);
      }
      if (idlePoll.isNegative() || idlePoll.isZero()) {
        throw new IllegalArgumentException("the idle poll must be positive: " + idlePoll);
      }
    }

    /**
     * 4 workers, a 10 s lease (renewed every 3.3 s while a handler runs: what a dead instance held is
     * taken over 10 s later at most), asking every second when idle.
     */
    public static Settings defaults(String instanceId) {
      return new Settings(instanceId, 4, Duration.ofSeconds(10), Duration.ofSeconds(1));
    }
  }

  private enum Phase { NEW, STARTED, CLOSED }

  private final PendingChangeStore store;
  private final Clock clock;
  private final RetryPolicy retry;
  private final Settings settings;
  private final io.micrometer.core.instrument.MeterRegistry meters;
  private final Map<Kind, ChangeHandler> handlers = new EnumMap<>(Kind.class); // written before start only
  private final List<Thread> threads = new ArrayList<>();
  private volatile Phase phase = Phase.NEW;

  // wake(): a counter the idle workers wait on to change, so a wake between a claim and the wait is not lost
  private final ReentrantLock wakeLock = new ReentrantLock();
  private final Condition woken = wakeLock.newCondition();
  private long wakeups; // guarded by wakeLock

  /** The {@link #await}ers of each change, told when a worker here has settled it. */
  private final ConcurrentHashMap<String, Waiters> waiters = new ConcurrentHashMap<>();

  public Workers(PendingChangeStore store, Clock clock, RetryPolicy retry, Settings settings) {
    this(store, clock, retry, settings, new io.micrometer.core.instrument.composite.CompositeMeterRegistry());
  }

  /**
   * @param meters where each attempt is timed: {@code defpi_pending_change_attempts_seconds{kind,
   *     outcome}}, outcome {@code done}, {@code failed}, {@code retry} or {@code lost} (its lease was
   *     taken over)
   */
  public Workers(PendingChangeStore store, Clock clock, RetryPolicy retry, Settings settings,
      io.micrometer.core.instrument.MeterRegistry meters) {
    this.meters = Objects.requireNonNull(meters, "meters");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.retry = Objects.requireNonNull(retry, "retry");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Has {@code handler} carry out the changes of {@code kind}; before {@link #start}, once per kind.
   * A change of a kind without a handler fails for good.
   */
  public synchronized Workers register(Kind kind, ChangeHandler handler) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(handler, "handler");
    if (phase != Phase.NEW) {
      throw new IllegalStateException("register the handler for " + kind + " before the workers start");
    }
    if (handlers.containsKey(kind)) {
      throw new IllegalStateException("a handler for " + kind + " is already registered");
    }
    handlers.put(kind, handler);
    return this;
  }

  /** Starts the workers; once. */
  public synchronized Workers start() {
    if (phase != Phase.NEW) {
      throw new IllegalStateException("the workers are " + (phase == Phase.STARTED ? "already started" : "closed"));
    }
    phase = Phase.STARTED;
    for (int n = 1; n <= settings.workers(); n++) {
      String workerId = settings.instanceId() + "-" + n;
      threads.add(Thread.ofVirtual().name("defpi-worker-" + n).start(() -> work(workerId)));
    }
    LOG.info("{} pending-change workers started (instance {}, lease {}, handlers for {})", settings.workers(),
        settings.instanceId(), settings.lease(), handlers.keySet());
    return this;
  }

  /** Has the idle workers look for a claimable change now rather than after the idle poll. Cheap, from any thread. */
  public void wake() {
    wakeLock.lock();
    try {
      wakeups++;
      woken.signalAll();
    } finally {
      wakeLock.unlock();
    }
  }

  /**
   * Waits for the change to finish: returns it as stored once it is DONE, FAILED or CANCELLED, or as
   * it is when {@code timeout} has passed. Told at once when a worker of this instance settles it;
   * reads the store every 200 ms meanwhile, for a change settled by another instance or cancelled.
   *
   * @throws NoSuchElementException when there is no such change
   */
  public PendingChange await(String id, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(timeout, "timeout");
    long deadline = System.nanoTime() + saturatedNanos(timeout);
    // registered before the first read: a settle after that read completes the future
    Waiters mine = waiters.compute(id, (k, w) -> (w == null ? new Waiters() : w).join());
    try {
      while (true) {
        PendingChange change = store.find(id)
            .orElseThrow(() -> new NoSuchElementException("there is no pending change " + id));
        long left = deadline - System.nanoTime();
        if (change.state().finished() || left <= 0) {
          return change;
        }
        long wait = Math.min(left, AWAIT_POLL.toNanos());
        if (mine.settled.isDone()) {
          TimeUnit.NANOSECONDS.sleep(wait); // settled here, yet the store says otherwise: do not spin
        } else {
          try {
            mine.settled.get(wait, TimeUnit.NANOSECONDS);
          } catch (TimeoutException e) {
            // read the store again
          } catch (ExecutionException e) {
            throw new IllegalStateException("the settled signal never fails", e);
          }
        }
      }
    } finally {
      waiters.computeIfPresent(id, (k, w) -> w.leave());
    }
  }

  /**
   * Stops claiming, waits up to 10 s for the running handlers to finish (and their changes to be
   * settled), then interrupts the workers still running one. Safe to call twice.
   */
  @Override
  public void close() {
    close(CLOSE_GRACE);
  }

  /** {@link #close()} with another grace period (for tests). */
  void close(Duration grace) {
    synchronized (this) {
      if (phase == Phase.CLOSED) {
        return;
      }
      boolean started = phase == Phase.STARTED;
      phase = Phase.CLOSED;
      if (!started) {
        return;
      }
    }
    wake();
    try {
      if (!joinAll(grace)) {
        for (Thread t : threads) {
          if (t.isAlive()) {
            LOG.warn("a pending-change worker ({}) is still running after {}: interrupting it", t.getName(), grace);
            t.interrupt();
          }
        }
        if (!joinAll(AFTER_INTERRUPT)) {
          LOG.warn("pending-change workers still running after being interrupted; their leases will run out");
        }
      }
    } catch (InterruptedException e) {
      threads.forEach(Thread::interrupt);
      Thread.currentThread().interrupt();
    }
    LOG.info("pending-change workers of instance {} stopped", settings.instanceId());
  }

  private boolean joinAll(Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + saturatedNanos(within);
    for (Thread t : threads) {
      long left = deadline - System.nanoTime();
      if (left > 0) {
        t.join(Duration.ofNanos(left));
      }
    }
    return threads.stream().noneMatch(Thread::isAlive);
  }

  // ---- a worker

  private void work(String workerId) {
    while (phase == Phase.STARTED) {
      long seen = wakeups();
      Optional<PendingChange> claimed;
      try {
        settleAbandoned();
        claimed = store.claim(workerId, now(), settings.lease());
      } catch (RuntimeException e) {
        LOG.warn("worker {} cannot claim a pending change: {}", workerId, e.getMessage());
        claimed = Optional.empty();
      }
      if (claimed.isPresent()) {
        try {
          carryOut(claimed.get(), workerId);
        } catch (RuntimeException e) {
          // a bug of ours, not the handler's (that is caught): the lease runs out and the change is tried again
          LOG.error("worker {} failed on pending change {}", workerId, claimed.get().id(), e);
        }
      } else {
        idle(seen);
      }
    }
  }

  /** Changes whose worker died on their last attempt: FAILED, and their owners told. */
  private void settleAbandoned() {
    for (PendingChange change : store.failAbandoned(now())) {
      LOG.info("pending change {} {} failed: {}", change.kind(), change.id(), change.lastError().orElse(""));
      ChangeHandler handler = handlers.get(change.kind());
      if (handler != null) {
        try {
          handler.failedForGood(change, change.lastError().orElse("its worker died on the last attempt"));
        } catch (RuntimeException e) {
          LOG.warn("failedForGood of pending change {} failed: {}", change.id(), e.toString());
        }
      }
    }
  }

  private long wakeups() {
    wakeLock.lock();
    try {
      return wakeups;
    } finally {
      wakeLock.unlock();
    }
  }

  /** Waits out the idle poll, unless woken (since {@code seen}) or closed. */
  private void idle(long seen) {
    wakeLock.lock();
    try {
      long nanos = saturatedNanos(settings.idlePoll());
      while (wakeups == seen && phase == Phase.STARTED && nanos > 0) {
        nanos = woken.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // only close() interrupts: the loop ends
    } finally {
      wakeLock.unlock();
    }
  }

  /**
   * Every line logged while a change is carried out names it ({@code pendingChangeId} in the MDC):
   * the work a request queued is found in the log by the change's id the request answered with.
   */
  private void carryOut(PendingChange change, String workerId) {
    try (var id = org.slf4j.MDC.putCloseable("pendingChangeId", change.id());
        var kind = org.slf4j.MDC.putCloseable("pendingChangeKind", change.kind().name())) {
      long started = System.nanoTime();
      String outcome = attempt(change, workerId);
      io.micrometer.core.instrument.Timer.builder("defpi.pending.change.attempts")
          .description("Attempts of the workers at pending changes, by kind and outcome")
          .tag("kind", change.kind().name()).tag("outcome", outcome)
          .register(meters).record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  /** Runs the change's handler once and settles the change; how it ended, as a metric's tag. */
  private String attempt(PendingChange change, String workerId) {
    ChangeHandler handler = handlers.get(change.kind());
    long started = System.nanoTime();
    if (handler == null) {
      fail(change, workerId, null, "no handler for " + change.kind() + " changes is registered in this orchestrator",
          started);
      return "failed";
    }
    Lease lease = new Lease(change, workerId);
    Throwable thrown = null;
    try {
      handler.run(change);
    } catch (Throwable t) { // an Error too (a StackOverflowError, say): a failed attempt, and the worker goes on
      thrown = t;
    }
    // settle without the interrupt of a close() (JDBC may refuse to work with it), and keep it for the loop
    boolean interrupted = Thread.interrupted();
    boolean held = lease.stop();
    interrupted |= Thread.interrupted();
    try {
      if (!held) {
        LOG.warn("{} {} attempt {}: the lease of {} was taken over while it ran; left to the worker that took it",
            change.kind(), change.id(), change.attempts(), workerId);
        return "lost";
      }
      if (thrown == null) {
        complete(change, workerId, started);
        return "done";
      } else if (thrown instanceof ChangeFailed failed) {
        fail(change, workerId, handler, failed.reason(), started);
        return "failed";
      } else {
        retryLater(change, workerId, handler, thrown, started);
        return change.attempts() >= change.maxAttempts() ? "failed" : "retry";
      }
    } catch (RuntimeException e) {
      LOG.warn("{} {} attempt {}: cannot settle it (it is tried again once the lease runs out): {}", change.kind(),
          change.id(), change.attempts(), e.getMessage());
      return "unsettled";
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void complete(PendingChange change, String workerId, long started) {
    if (!store.complete(change.id(), workerId, now())) {
      lostLease(change, workerId);
      return;
    }
    LOG.info("{} {} attempt {} of {}: DONE in {} ms", change.kind(), change.id(), change.attempts(),
        change.maxAttempts(), millisSince(started));
    settled(change.id());
  }

  private void fail(PendingChange change, String workerId, ChangeHandler handler, String reason, long started) {
    if (!store.fail(change.id(), workerId, reason, now())) {
      lostLease(change, workerId);
      return;
    }
    LOG.info("{} {} attempt {} of {}: FAILED in {} ms: {}", change.kind(), change.id(), change.attempts(),
        change.maxAttempts(), millisSince(started), reason);
    failedForGood(handler, change, reason); // first: an awaiter woken here then reads what the owner recorded
    settled(change.id());
  }

  private void retryLater(PendingChange change, String workerId, ChangeHandler handler, Throwable thrown,
      long started) {
    String error = Optional.ofNullable(thrown.getMessage()).filter(m -> !m.isBlank())
        .orElse(thrown.getClass().getName());
    Instant now = now();
    Duration delay = retry.delayAfter(change.attempts());
    if (!store.retryLater(change.id(), workerId, error, now.plus(delay), now)) {
      lostLease(change, workerId);
      return;
    }
    // the store failed it if that was its last attempt; the claimed change says whether it was
    if (change.attempts() >= change.maxAttempts()) {
      LOG.info("{} {} attempt {} of {}: FAILED in {} ms, no attempt left: {}", change.kind(), change.id(),
          change.attempts(), change.maxAttempts(), millisSince(started), error);
      failedForGood(handler, change, error);
      settled(change.id());
    } else {
      LOG.info("{} {} attempt {} of {}: RETRY in {} (took {} ms): {}", change.kind(), change.id(), change.attempts(),
          change.maxAttempts(), delay, millisSince(started), error);
      if (delay.compareTo(settings.idlePoll()) < 0) {
        wakeAfter(delay); // sooner than an idle worker would look
      }
    }
  }

  private void lostLease(PendingChange change, String workerId) {
    LOG.warn("{} {} attempt {}: {} no longer holds its lease; left to the worker that took it over", change.kind(),
        change.id(), change.attempts(), workerId);
  }

  /** Tells this instance's awaiters, and the idle workers (a change of the same process may be claimable now). */
  private void settled(String id) {
    Waiters w = waiters.get(id);
    if (w != null) {
      w.settled.complete(null);
    }
    wake();
  }

  private void failedForGood(ChangeHandler handler, PendingChange claimed, String reason) {
    if (handler == null) {
      return;
    }
    PendingChange failed;
    try {
      failed = store.find(claimed.id()).orElse(claimed);
    } catch (RuntimeException e) {
      failed = claimed;
    }
    try {
      handler.failedForGood(failed, reason);
    } catch (RuntimeException e) {
      LOG.warn("{} {}: the handler failed on being told it failed for good", claimed.kind(), claimed.id(), e);
    }
  }

  private void wakeAfter(Duration delay) {
    Thread.ofVirtual().name("defpi-worker-wake").start(() -> {
      try {
        Thread.sleep(delay);
        wake();
      } catch (InterruptedException e) {
        // nobody interrupts it
      }
    });
  }

  /** Keeps a claimed change's lease while its handler runs: renews it every third of the lease. */
  private final class Lease {
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread renewer;
    private volatile boolean lost;

    Lease(PendingChange change, String workerId) {
      long every = Math.max(1, settings.lease().toMillis() / 3);
      renewer = Thread.ofVirtual().name("defpi-lease-" + workerId).start(() -> {
        try {
          while (!stopped.await(every, TimeUnit.MILLISECONDS)) {
            try {
              if (!store.renew(change.id(), workerId, now().plus(settings.lease()))) {
                lost = true;
                return;
              }
            } catch (RuntimeException e) {
              LOG.warn("{} {}: cannot renew the lease of {}: {}", change.kind(), change.id(), workerId,
                  e.getMessage());
            }
          }
        } catch (InterruptedException e) {
          // nobody interrupts it
        }
      });
    }

    /** Stops renewing (waiting for a renewal under way); false if the lease was lost meanwhile. */
    boolean stop() {
      stopped.countDown();
      boolean interrupted = false;
      while (true) {
        try {
          renewer.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return !lost;
    }
  }

  /** The awaiters of one change: how many, and the signal they wait on. Changed only inside the map's compute. */
  private static final class Waiters {
    final CompletableFuture<Void> settled = new CompletableFuture<>();
    private int count;

    Waiters join() {
      count++;
      return this;
    }

    /** One fewer; null (removed from the map) when none is left. */
    Waiters leave() {
      return --count == 0 ? null : this;
    }
  }

  // the stores keep microseconds at best: millis, as PendingChanges
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static long millisSince(long startedNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }

  /** The duration in nanoseconds, capped so that {@code System.nanoTime() +} it still compares right. */
  private static long saturatedNanos(Duration d) {
    long cap = Long.MAX_VALUE / 2;
    return d.compareTo(Duration.ofNanos(cap)) > 0 ? cap : d.isNegative() ? 0 : d.toNanos();
  }
}
