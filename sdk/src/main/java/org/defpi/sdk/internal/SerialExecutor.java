package org.defpi.sdk.internal;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on one virtual worker thread. This is where user
 * code runs: one executor for the service's lifecycle and one per data connection, so a slow
 * handler delays only its own connection's callbacks, never a protocol thread.
 *
 * <p>A task that throws is logged with what it was; the executor runs on. After {@link
 * #shutdown()} new tasks are dropped (with a debug line; a {@link #submit}ted one fails) and queued
 * ones still run, then the worker ends.
 *
 * <p>This sits on the data path (every received message is one task), so handing over costs no
 * lock and no new thread: the queue is lock-free, the worker is started on the first task and
 * parks while idle, and {@code busy} makes exactly one {@link #execute} per idle period wake it.
 * Invariants: {@code busy} is true from a waking execute until the worker finds the queue empty;
 * the worker re-checks the queue after clearing {@code busy}, so no task is left behind.
 */
final class SerialExecutor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  private final String name;
  private final ConcurrentLinkedQueue<Task> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean busy = new AtomicBoolean();
  private final AtomicInteger idleWaiters = new AtomicInteger();
  private final ReentrantLock idleLock = new ReentrantLock(); // only for awaitIdle
  private final Condition idle = idleLock.newCondition();
  private volatile Thread worker; // started by the first waking execute
  private volatile boolean shutdown;

  /** A unit of user code that may throw. */
  @FunctionalInterface
  interface UserCode {
    void run() throws Exception;
  }

  private record Task(String what, UserCode code) {}

  SerialExecutor(String name) {
    this.name = name;
  }

  /** Queues {@code code}; {@code what} names it in the log line if it throws. */
  void execute(String what, UserCode code) {
    if (!offer(new Task(what, code))) {
      log.debug("{}: dropped '{}' after shutdown", name, what);
    }
  }

  /**
   * Queues {@code call}; the future completes with its result or its exception. The failure is
   * the caller's to report, so it is not logged here. After shutdown the future fails.
   */
  <T> CompletableFuture<T> submit(String what, Callable<T> call) {
    CompletableFuture<T> future = new CompletableFuture<>();
    boolean queued = offer(new Task(what, () -> {
      try {
        future.complete(call.call());
      } catch (Throwable t) {
        future.completeExceptionally(t);
      }
    }));
    if (!queued) {
      future.completeExceptionally(new IllegalStateException(name + " is shut down; cannot run " + what));
    }
    return future;
  }

  /** @return false if the executor is shut down and the task will not run */
  private boolean offer(Task task) {
    if (shutdown) {
      return false;
    }
    queue.add(task);
    // shutdown() may have come in between, and the worker may have ended since: take the task
    // back if it is still there. If it is not, the worker took it and runs it: then leave busy
    // alone, for the worker may be gone by now and nothing would clear it again.
    if (shutdown) {
      return !queue.remove(task);
    }
    if (busy.compareAndSet(false, true)) {
      wakeWorker();
    }
    return true;
  }

  private void wakeWorker() {
    Thread thread = worker;
    if (thread == null) {
      // Only one execute wins the busy flag while no worker exists, and busy stays set until
      // the worker it starts clears it: at most one worker is ever started.
      thread = Thread.ofVirtual().name(name).unstarted(this::work);
      worker = thread;
      thread.start();
    } else {
      LockSupport.unpark(thread);
    }
  }

  /** Accepts no new tasks; those already queued still run, then the worker ends. */
  void shutdown() {
    shutdown = true;
    Thread thread = worker;
    if (thread != null) {
      LockSupport.unpark(thread); // a parked worker wakes, finds the queue empty and ends
    }
  }

  /** Waits until the queue is empty and no task runs; returns whether that happened in time. */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    idleLock.lock();
    idleWaiters.incrementAndGet(); // before reading busy; the worker clears busy before reading this
    try {
      while (busy.get() || !queue.isEmpty()) {
        if (nanos <= 0) {
          return false;
        }
        nanos = idle.awaitNanos(nanos);
      }
      return true;
    } finally {
      idleWaiters.decrementAndGet();
      idleLock.unlock();
    }
  }

  private void work() {
    while (true) {
      Task task = queue.poll();
      if (task != null) {
        run(task);
        continue;
      }
      busy.set(false);
      if (idleWaiters.get() > 0) {
        signalIdle();
      }
      if (!queue.isEmpty() && busy.compareAndSet(false, true)) {
        continue; // queued after our poll by an execute that saw busy still set
      }
      if (shutdown) {
        // Read after shutdown was set: an execute queuing from now on sees shutdown and takes
        // its task back, so an empty queue here stays empty.
        if (queue.isEmpty()) {
          return;
        }
        busy.set(true);
        continue;
      }
      LockSupport.park(this);
      Thread.interrupted(); // an interrupt must not turn park into a busy loop
    }
  }

  private void run(Task task) {
    try {
      task.code().run();
    } catch (InterruptedException e) {
      log.warn("{}: '{}' was interrupted", name, task.what());
      Thread.interrupted(); // the next task must not inherit the flag
    } catch (Throwable t) {
      log.error("{}: '{}' threw; carrying on with the next task", name, task.what(), t);
    }
  }

  private void signalIdle() {
    idleLock.lock();
    try {
      idle.signalAll();
    } finally {
      idleLock.unlock();
    }
  }

  @Override
  public String toString() {
    return "SerialExecutor[" + name + "]";
  }
}
