package org.defpi.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
  private final SerialExecutor executor = new SerialExecutor("test");

  @Test
  void runsTasksOneAtATimeInOrder() throws Exception {
    List<Integer> order = new CopyOnWriteArrayList<>();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    for (int i = 0; i < 200; i++) {
      int n = i;
      executor.execute("task " + n, () -> {
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        order.add(n);
        running.decrementAndGet();
      });
    }

    assertThat(executor.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(order).hasSize(200).isSorted();
    assertThat(maxRunning).hasValue(1);
  }

  @Test
  void aTaskThatThrowsDoesNotStopTheNext() throws Exception {
    executor.execute("bad", () -> {
      throw new IllegalStateException("on purpose");
    });
    assertThat(executor.submit("good", () -> "ran").get(5, TimeUnit.SECONDS)).isEqualTo("ran");
  }

  @Test
  void submitReportsTheFailureToTheCaller() {
    var future = executor.submit("bad", () -> {
      throw new IllegalArgumentException("nope");
    });
    assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tasksFromManyThreadsAllRunOneAtATimeAndEachThreadsInItsOrder() throws Exception {
    int threads = 4;
    int perThread = 5_000;
    List<List<Integer>> seen = new CopyOnWriteArrayList<>();
    for (int t = 0; t < threads; t++) {
      seen.add(new java.util.ArrayList<>()); // only the executor's worker appends: one at a time
    }
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> producers = new java.util.ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int producer = t;
      producers.add(Thread.ofPlatform().start(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          int n = i;
          executor.execute("task", () -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            seen.get(producer).add(n);
            running.decrementAndGet();
          });
        }
      }));
    }
    start.countDown();
    for (Thread producer : producers) {
      producer.join(Duration.ofSeconds(10));
    }

    assertThat(executor.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(maxRunning).hasValue(1);
    for (List<Integer> one : seen) {
      assertThat(one).hasSize(perThread).isSorted();
    }
  }

  @Test
  void aSubmitRacingWithShutdownEitherRunsOrFailsButNeverHangs() throws Exception {
    // Repeated, so the submit lands before, during and after the worker's last look at the queue.
    for (int round = 0; round < 500; round++) {
      SerialExecutor racing = new SerialExecutor("race-" + round);
      racing.execute("warm", () -> {});
      CountDownLatch go = new CountDownLatch(1);
      var future = new java.util.concurrent.CompletableFuture<java.util.concurrent.CompletableFuture<Integer>>();
      Thread submitter = Thread.ofPlatform().start(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        future.complete(racing.submit("late", () -> 1));
      });
      go.countDown();
      racing.shutdown();
      submitter.join(Duration.ofSeconds(5));

      var result = future.get(5, TimeUnit.SECONDS);
      try {
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(1);
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(IllegalStateException.class).hasMessageContaining("is shut down");
      }
      assertThat(racing.awaitIdle(Duration.ofSeconds(5))).isTrue();
    }
  }

  @Test
  void theWorkerThreadEndsAfterShutdown() throws Exception {
    AtomicReference<Thread> worker = new AtomicReference<>();
    executor.submit("who", () -> worker.getAndSet(Thread.currentThread())).get(5, TimeUnit.SECONDS);
    assertThat(worker.get().isVirtual()).isTrue();
    assertThat(worker.get().getName()).isEqualTo("test");

    executor.shutdown();

    assertThat(worker.get().join(Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void afterShutdownQueuedTasksStillRunButNewOnesAreDropped() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    List<String> ran = new CopyOnWriteArrayList<>();
    executor.execute("first", () -> {
      gate.await();
      ran.add("first");
    });
    executor.execute("queued", () -> ran.add("queued"));
    executor.shutdown();
    executor.execute("late", () -> ran.add("late"));
    gate.countDown();

    assertThat(executor.awaitIdle(Duration.ofSeconds(5))).isTrue();
    assertThat(ran).containsExactly("first", "queued");
    assertThat(executor.submit("late", () -> 1)).isCompletedExceptionally();
  }
}
