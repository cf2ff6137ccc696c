package org.defpi.sdk.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a virtual thread that exists only while there
 * is work. This is where user code runs: one executor for the service's lifecycle and one per data
 * connection, so a slow handler delays only its own connection's callbacks, never a protocol
 * thread.
 *
 * <p>A task that throws is logged with what it was; the executor runs on. After {@link
 * #shutdown()} new tasks are dropped (with a debug line) and queued ones still run.
 */
final class SerialExecutor {
  private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

  private final String name;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  private final ArrayDeque<Task> queue = new ArrayDeque<>();
  private boolean running;
  private boolean shutdown;

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
    lock.lock();
    try {
      if (shutdown) {
        log.debug("{}: dropped '{}' after shutdown", name, what);
        return;
      }
      queue.add(new Task(what, code));
      if (!running) {
        running = true;
        Thread.ofVirtual().name(name).start(this::drain);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues {@code call}; the future completes with its result or its exception. The failure is
   * the caller's to report, so it is not logged here. After shutdown the future fails.
   */
  <T> CompletableFuture<T> submit(String what, Callable<T> call) {
    CompletableFuture<T> future = new CompletableFuture<>();
    lock.lock();
    try {
      if (shutdown) {
        future.completeExceptionally(new IllegalStateException(name + " is shut down; cannot run " + what));
        return future;
      }
    } finally {
      lock.unlock();
    }
    execute(what, () -> {
      try {
        future.complete(call.call());
      } catch (Throwable t) {
        future.completeExceptionally(t);
      }
    });
    return future;
  }

  /** Accepts no new tasks; those already queued still run. */
  void shutdown() {
    lock.lock();
    try {
      shutdown = true;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the queue is empty and no task runs; returns whether that happened in time. */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      while (running) {
        if (nanos <= 0) {
          return false;
        }
        nanos = idle.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void drain() {
    while (true) {
      Task task;
      lock.lock();
      try {
        task = queue.poll();
        if (task == null) {
          running = false;
          idle.signalAll();
          return;
        }
      } finally {
        lock.unlock();
      }
      try {
        task.code().run();
      } catch (InterruptedException e) {
        log.warn("{}: '{}' was interrupted", name, task.what());
        Thread.interrupted(); // the next task must not inherit the flag
      } catch (Throwable t) {
        log.error("{}: '{}' threw; carrying on with the next task", name, task.what(), t);
      }
    }
  }

  @Override
  public String toString() {
    return "SerialExecutor[" + name + "]";
  }
}
