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
