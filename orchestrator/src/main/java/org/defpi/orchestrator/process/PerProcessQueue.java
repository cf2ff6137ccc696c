package org.defpi.orchestrator.process;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action per process id, at most one at a time per id. A request that arrives while the
 * action runs for that id is merged into one follow-up run, so a burst of triggers configures a
 * process once more, not once per trigger, and never twice at the same time.
 */
final class PerProcessQueue {
  private static final Logger LOG = LoggerFactory.getLogger(PerProcessQueue.class);

  /** The work for one id; it records its own outcome (status is data), so it throws only when interrupted. */
  @FunctionalInterface
  interface Action {
    void run(String processId) throws InterruptedException;
  }

  private enum Pending { NO, YES }

  private final Executor executor;
  private final Action action;
  private final Map<String, Pending> running = new HashMap<>(); // guarded by this

  PerProcessQueue(Executor executor, Action action) {
    this.executor = Objects.requireNonNull(executor, "executor");
    this.action = Objects.requireNonNull(action, "action");
  }

  void request(String processId) {
    synchronized (this) {
      if (running.containsKey(processId)) {
        running.put(processId, Pending.YES);
        return;
      }
      running.put(processId, Pending.NO);
    }
    executor.execute(() -> drain(processId));
  }

  private void drain(String processId) {
    while (true) {
      try {
        action.run(processId);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        synchronized (this) {
          running.remove(processId);
        }
        return;
      } catch (RuntimeException e) {
        // The action records failures in the process's status; reaching here is a bug, and the
        // next trigger gets a fresh run.
        LOG.error("configuring process {} failed unexpectedly", processId, e);
      }
      synchronized (this) {
        if (running.get(processId) == Pending.YES) {
          running.put(processId, Pending.NO);
        } else {
          running.remove(processId);
          return;
        }
      }
    }
  }
}
