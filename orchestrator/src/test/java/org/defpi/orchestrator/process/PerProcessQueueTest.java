package org.defpi.orchestrator.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class PerProcessQueueTest {
  /** Runs submitted tasks only when told to: the test decides what is "meanwhile". */
  private static final class StepExecutor implements Executor {
    final Queue<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }
  }

  @Test
  void requestsWhileRunningMergeIntoOneFollowUp() {
    StepExecutor executor = new StepExecutor();
    List<String> runs = new ArrayList<>();
    PerProcessQueue[] queue = new PerProcessQueue[1];
    queue[0] = new PerProcessQueue(executor, id -> {
      runs.add(id);
      if (runs.size() == 1) {
        // Three triggers arrive while the first configuration runs.
        queue[0].request(id);
        queue[0].request(id);
        queue[0].request(id);
      }
    });

    queue[0].request("p1");
    assertThat(executor.tasks).hasSize(1);
    executor.tasks.poll().run();

    // The first run, then exactly one more for the three merged requests, on the same task.
    assertThat(runs).containsExactly("p1", "p1");
    assertThat(executor.tasks).isEmpty();
  }

  @Test
  void differentProcessesRunIndependentlyAndARequestAfterTheRunStartsAnew() {
    StepExecutor executor = new StepExecutor();
    List<String> runs = new ArrayList<>();
    PerProcessQueue queue = new PerProcessQueue(executor, runs::add);

    queue.request("p1");
    queue.request("p2");
    queue.request("p1"); // merged: p1 has not run yet but is queued
    assertThat(executor.tasks).hasSize(2);
    executor.tasks.poll().run();
    executor.tasks.poll().run();
    assertThat(runs).containsExactly("p1", "p1", "p2");

    queue.request("p1");
    assertThat(executor.tasks).hasSize(1);
  }
}
