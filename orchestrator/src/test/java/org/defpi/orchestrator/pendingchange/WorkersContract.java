package org.defpi.orchestrator.pendingchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.defpi.orchestrator.Ids;
import org.defpi.orchestrator.pendingchange.PendingChange.Kind;
import org.defpi.orchestrator.pendingchange.PendingChange.State;
import org.defpi.orchestrator.store.RealStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The workers over the real store, on each database: {@link WorkersTest} (H2) and {@link
 * WorkersPostgresTest}. Real time, short delays: a retry policy of 3 attempts 10 ms to 40 ms, an
 * idle poll of 50 ms; every wait is bounded by a generous timeout, never a tight timing.
 */
abstract class WorkersContract {
  private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(40));
  private static final Duration LONG = Duration.ofSeconds(10);
  private static final Clock CLOCK = Clock.systemUTC();

  /** The same empty database for the whole of one test; {@link RealStore#open} may open it more than once. */
  abstract RealStore.Settings database();

  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    Collections.reverse(opened);
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T opened(T c) {
    opened.add(c);
    return c;
  }

  // ---- fixtures

  private PendingChangeStore store;
  private PendingChanges changes;

  private PendingChangeStore store() {
    if (store == null) {
      store = opened(RealStore.open(database())).pendingChanges();
      changes = new PendingChanges(store, Ids.secure(CLOCK), CLOCK, RETRY);
    }
    return store;
  }

  private PendingChanges changes() {
    store();
    return changes;
  }

  private static Workers.Settings settings(String instance, int workers) {
    return new Workers.Settings(instance, workers, Duration.ofSeconds(5), Duration.ofMillis(50));
  }

  private Workers workers(Workers.Settings settings) {
    return opened(new Workers(store(), CLOCK, RETRY, settings));
  }

  private Workers workers() {
    return workers(settings("test", 4));
  }

  private static String process(int n) {
    return String.format("65a1b2c3%016x", n);
  }

  private PendingChange submit(Kind kind, int process) {
    return changes().submit(kind, Optional.of(process(process)), Optional.empty(), "alice", "{}");
  }

  private PendingChange submit(Kind kind, int process, String payload) {
    return changes().submit(kind, Optional.of(process(process)), Optional.empty(), "alice", payload);
  }

  private static PendingChange await(Workers w, PendingChange c) throws InterruptedException {
    return w.await(c.id(), LONG);
  }

  /** Retries {@code assertion} until it holds or 10 s have passed. */
  private static void eventually(Runnable assertion) throws InterruptedException {
    long deadline = System.nanoTime() + LONG.toNanos();
    while (true) {
      try {
        assertion.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(10);
      }
    }
  }

  private record Failure(PendingChange change, String reason) {}

  /** A handler recording its failures for good. */
  private static final class Recording implements ChangeHandler {
    final List<PendingChange> runs = new CopyOnWriteArrayList<>();
    final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final ChangeHandler body;

    Recording(ChangeHandler body) {
      this.body = body;
    }

    @Override
    public void run(PendingChange change) throws Exception {
      runs.add(change);
      body.run(change);
    }

    @Override
    public void failedForGood(PendingChange change, String reason) {
      failures.add(new Failure(change, reason));
    }
  }

  // ---- the tests

  @Test
  void aSubmittedChangeIsRunAndDone() throws Exception {
    Recording handler = new Recording(c -> {});
    Workers w = workers().register(Kind.CONFIGURE_PROCESS, handler).start();
    PendingChange c = submit(Kind.CONFIGURE_PROCESS, 1, "{\"configuration\":{\"count\":\"10\"}}");

    PendingChange done = await(w, c);
    assertThat(done.state()).isEqualTo(State.DONE);
    assertThat(done.attempts()).isEqualTo(1);
    assertThat(done.leaseOwner()).isEmpty();
    assertThat(handler.runs).singleElement().satisfies(run -> {
      assertThat(run.id()).isEqualTo(c.id());
      assertThat(run.state()).isEqualTo(State.RUNNING);
      assertThat(run.attempts()).isEqualTo(1);
      assertThat(run.leaseOwner().orElseThrow()).startsWith("test-");
      assertThat(run.payload()).isEqualTo(c.payload());
    });
    assertThat(handler.failures).isEmpty();
  }

  @Test
  void aHandlerThatThrowsIsTriedAgainThenFailedWithTheLastError() throws Exception {
    AtomicInteger attempt = new AtomicInteger();
    Recording handler = new Recording(c -> {
      throw new IllegalStateException("swarm unreachable, attempt " + attempt.incrementAndGet());
    });
    Workers w = workers().register(Kind.CREATE_PROCESS, handler).start();
    PendingChange c = submit(Kind.CREATE_PROCESS, 1);

    PendingChange failed = await(w, c);
    assertThat(failed.state()).isEqualTo(State.FAILED);
    assertThat(failed.attempts()).isEqualTo(3);
    assertThat(failed.lastError()).contains("swarm unreachable, attempt 3");
    assertThat(handler.runs).extracting(PendingChange::attempts).containsExactly(1, 2, 3);
    // the second attempt saw why the first failed
    assertThat(handler.runs.get(1).lastError()).contains("swarm unreachable, attempt 1");
    eventually(() -> assertThat(handler.failures).hasSize(1));
    Thread.sleep(100);
    assertThat(handler.failures).singleElement().satisfies(f -> {
      assertThat(f.reason()).isEqualTo("swarm unreachable, attempt 3");
      assertThat(f.change().id()).isEqualTo(c.id());
      assertThat(f.change().state()).isEqualTo(State.FAILED);
    });
  }

  @Test
  void aRetryWaitsOutTheBackOff() throws Exception {
    AtomicInteger attempt = new AtomicInteger();
    Recording handler = new Recording(c -> {
      if (attempt.incrementAndGet() == 1) {
        throw new RuntimeException(); // no message: the exception's class is the error
      }
    });
    Workers w = workers().register(Kind.CREATE_PROCESS, handler).start();
    PendingChange c = submit(Kind.CREATE_PROCESS, 1);

    PendingChange done = await(w, c);
    assertThat(done.state()).isEqualTo(State.DONE);
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(done.lastError()).contains("java.lang.RuntimeException");
    PendingChange first = handler.runs.get(0);
    PendingChange second = handler.runs.get(1);
    // claimed no sooner than the policy's first delay after the first attempt started
    assertThat(second.updatedAt()).isAfterOrEqualTo(first.updatedAt().plus(RETRY.delayAfter(1)));
    assertThat(handler.failures).isEmpty();
  }

  @Test
  void changeFailedFailsTheChangeAtOnce() throws Exception {
    Recording handler = new Recording(c -> {
      throw new ChangeFailed("service foo has no version 9");
    });
    Workers w = workers().register(Kind.CREATE_PROCESS, handler).start();
    PendingChange c = submit(Kind.CREATE_PROCESS, 1);

    PendingChange failed = await(w, c);
    assertThat(failed.state()).isEqualTo(State.FAILED);
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(failed.lastError()).contains("service foo has no version 9");
    assertThat(handler.runs).hasSize(1);
    eventually(() -> assertThat(handler.failures).extracting(Failure::reason)
        .containsExactly("service foo has no version 9"));
  }

  @Test
  void aChangeOfAKindWithoutAHandlerFailsNamingTheKind() throws Exception {
    Workers w = workers().register(Kind.CREATE_PROCESS, c -> {}).start();
    PendingChange c = submit(Kind.TERMINATE_PROCESS, 1);

    PendingChange failed = await(w, c);
    assertThat(failed.state()).isEqualTo(State.FAILED);
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(failed.lastError().orElseThrow()).contains("TERMINATE_PROCESS").contains("no handler");
  }

  @Test
  void awaitReturnsPromptlyWhenTheChangeIsDoneAndTheSubmitWakesTheWorkers() throws Exception {
    // an idle poll far longer than the test: only wake() gets the change claimed in time
    Workers w = workers(new Workers.Settings("test", 4, Duration.ofSeconds(5), Duration.ofMinutes(5)))
        .register(Kind.CONFIGURE_PROCESS, c -> {}).start();
    changes().onSubmit(w::wake);
    Thread.sleep(100); // the workers have found nothing and wait

    long start = System.nanoTime();
    PendingChange c = submit(Kind.CONFIGURE_PROCESS, 1);
    PendingChange done = w.await(c.id(), Duration.ofSeconds(30));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(done.state()).isEqualTo(State.DONE);
    assertThat(took).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void awaitReturnsTheChangeAsItIsWhenTheTimeoutPasses() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    Workers w = workers().register(Kind.CONFIGURE_PROCESS, c -> {
      running.countDown();
      release.await();
    }).start();
    PendingChange c = submit(Kind.CONFIGURE_PROCESS, 1);
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

    long start = System.nanoTime();
    PendingChange meanwhile = w.await(c.id(), Duration.ofMillis(300));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(meanwhile.state()).isEqualTo(State.RUNNING);
    assertThat(w.await(c.id(), Duration.ZERO).state()).isEqualTo(State.RUNNING);

    release.countDown();
    assertThat(await(w, c).state()).isEqualTo(State.DONE);
    assertThatThrownBy(() -> w.await("65a1b2c3ffffffffffffffff", LONG)).isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("65a1b2c3ffffffffffffffff");
  }

  @Test
  void awaitSeesAChangeSettledElsewhereOrCancelled() throws Exception {
    // these workers never start: whatever settles the change, it is not them
    Workers bystander = workers();
    PendingChange c = submit(Kind.CONFIGURE_PROCESS, 1);
    PendingChange d = submit(Kind.CONFIGURE_PROCESS, 2);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    assertThat(store().claim("elsewhere-1", now, Duration.ofSeconds(30)).map(PendingChange::id)).contains(c.id());

    Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(100);
        store().complete(c.id(), "elsewhere-1", Instant.now());
        changes().cancel(d.id());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertThat(await(bystander, c).state()).isEqualTo(State.DONE);
    assertThat(await(bystander, d).state()).isEqualTo(State.CANCELLED);
  }

  @Test
  void theChangesOfEachProcessRunOneAtATimeInTheOrderSubmitted() throws Exception {
    int processes = 3;
    int each = 5;
    Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    AtomicBoolean overlapped = new AtomicBoolean();
    ChangeHandler handler = c -> {
      String p = c.processId().orElseThrow();
      if (running.computeIfAbsent(p, k -> new AtomicInteger()).incrementAndGet() > 1) {
        overlapped.set(true);
      }
      try {
        seen.computeIfAbsent(p, k -> new CopyOnWriteArrayList<>())
            .add(Integer.parseInt(c.payload().replaceAll("\\D", "")));
        Thread.sleep(ThreadLocalRandom.current().nextInt(10));
      } finally {
        running.get(p).decrementAndGet();
      }
    };
    Workers w = workers().register(Kind.CREATE_PROCESS, handler).register(Kind.CONFIGURE_PROCESS, handler)
        .register(Kind.TERMINATE_PROCESS, handler).start();
    changes().onSubmit(w::wake);

    List<PendingChange> submitted = new ArrayList<>();
    for (int i = 0; i < each; i++) {
      Kind kind = i == 0 ? Kind.CREATE_PROCESS : i == each - 1 ? Kind.TERMINATE_PROCESS : Kind.CONFIGURE_PROCESS;
      for (int p = 1; p <= processes; p++) {
        submitted.add(submit(kind, p, "{\"step\":" + i + "}"));
      }
    }
    for (PendingChange c : submitted) {
      assertThat(await(w, c).state()).isEqualTo(State.DONE);
    }
    assertThat(overlapped).as("two changes of one process ran at once").isFalse();
    assertThat(seen).hasSize(processes);
    for (int p = 1; p <= processes; p++) {
      assertThat(seen.get(process(p))).as("the order process %d's changes ran in", p)
          .containsExactly(0, 1, 2, 3, 4);
    }
  }

  @Test
  void theChangesOfDifferentProcessesRunAtTheSameTime() throws Exception {
    CyclicBarrier both = new CyclicBarrier(2);
    Workers w = workers().register(Kind.CREATE_PROCESS, c -> both.await(10, TimeUnit.SECONDS)).start();
    PendingChange a = submit(Kind.CREATE_PROCESS, 1);
    PendingChange b = submit(Kind.CREATE_PROCESS, 2);
    // each handler waits for the other: they finish only if they ran side by side
    assertThat(await(w, a).state()).isEqualTo(State.DONE);
    assertThat(await(w, b).state()).isEqualTo(State.DONE);
    assertThat(await(w, a).attempts()).isEqualTo(1);
  }

  @Test
  void aChangeWhoseWorkerDiedIsTakenOverOnceItsLeaseRunsOut() throws Exception {
    PendingChange c = submit(Kind.CONFIGURE_PROCESS, 1);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    // the worker that claimed it never settles it
    assertThat(store().claim("crashed-1", now, Duration.ofMillis(200)).map(PendingChange::id)).contains(c.id());

    Recording handler = new Recording(x -> {});
    Workers w = workers().register(Kind.CONFIGURE_PROCESS, handler).start();
    PendingChange done = await(w, c);
    assertThat(done.state()).isEqualTo(State.DONE);
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(handler.runs).singleElement().satisfies(run -> {
      assertThat(run.attempts()).isEqualTo(2);
      assertThat(run.leaseOwner().orElseThrow()).startsWith("test-");
    });
  }

  @Test
  void aChangeWhoseWorkerDiedOnItsLastAttemptFailsAndItsOwnerIsTold() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    PendingChange c = PendingChange.submitted(org.defpi.orchestrator.Ids.secure(CLOCK).newId(),
        Kind.CREATE_PROCESS, Optional.of(process(1)), Optional.empty(), "alice", 1, "{}", now);
    store().insert(c);
    // the worker that claimed its one attempt never settles it
    assertThat(store().claim("crashed-1", now, Duration.ofMillis(200)).map(PendingChange::id)).contains(c.id());

    Recording handler = new Recording(x -> {});
    Workers w = workers().register(Kind.CREATE_PROCESS, handler).start();
    PendingChange failed = await(w, c);
    assertThat(failed.state()).isEqualTo(State.FAILED);
    assertThat(failed.lastError()).hasValueSatisfying(e -> assertThat(e).contains("the lease of crashed-1 ran out"));
    assertThat(handler.runs).isEmpty();
    // the owner is told right after the change is stored FAILED, which await may see first
    long deadline = System.nanoTime() + LONG.toNanos();
    while (handler.failures.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(handler.failures).singleElement().satisfies(f -> assertThat(f.toString()).contains(c.id()));
  }

  @Test
  void aLongHandlerKeepsItsLeaseByRenewingIt() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    // a lease of 150 ms, a handler of 600 ms: without renewal the other workers would take it over
    Workers w = workers(new Workers.Settings("test", 4, Duration.ofMillis(150), Duration.ofMillis(20)))
        .register(Kind.CONFIGURE_PROCESS, c -> {
          runs.incrementAndGet();
          Thread.sleep(600);
        }).start();
    PendingChange c = submit(Kind.CONFIGURE_PROCESS, 1);
    PendingChange done = await(w, c);
    assertThat(done.state()).isEqualTo(State.DONE);
    assertThat(done.attempts()).isEqualTo(1);
    assertThat(runs).hasValue(1);
  }

  @Test
  void aWorkerThatLostItsLeaseLetsTheHandlerFinishButDoesNotSettleTheChange() throws Exception {
    // every renewal answers "no longer yours" (as when a stalled worker's change was taken over); the
    // rest is the real store's, passed on by a proxy rather than a class spelling out every method
    PendingChangeStore real = store();
    PendingChangeStore losing = (PendingChangeStore) java.lang.reflect.Proxy.newProxyInstance(
        PendingChangeStore.class.getClassLoader(), new Class<?>[] {PendingChangeStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("renew")) {
            return false;
          }
          try {
            return method.invoke(real, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    AtomicInteger runs = new AtomicInteger();
    AtomicBoolean interrupted = new AtomicBoolean();
    List<State> storedAfterFirst = new CopyOnWriteArrayList<>();
    Workers w = opened(new Workers(losing, CLOCK, RETRY,
        new Workers.Settings("test", 1, Duration.ofMillis(60), Duration.ofMillis(20))))
        .register(Kind.CONFIGURE_PROCESS, c -> {
          if (runs.incrementAndGet() == 1) {
            try {
              Thread.sleep(300); // a renewal fails meanwhile
            } catch (InterruptedException e) {
              interrupted.set(true);
            }
          } else {
            storedAfterFirst.add(store().find(c.id()).orElseThrow().state());
          }
        }).start();
    PendingChange c = submit(Kind.CONFIGURE_PROCESS, 1);

    // the first run was not settled: its lease ran out, and the (only) worker claimed it again
    PendingChange done = await(w, c);
    assertThat(done.state()).isEqualTo(State.DONE);
    assertThat(done.attempts()).isEqualTo(2);
    assertThat(runs).hasValue(2);
    assertThat(interrupted).isFalse();
    assertThat(storedAfterFirst).containsExactly(State.RUNNING);
  }

  @Test
  void closeWaitsForARunningHandler() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    Workers w = workers().register(Kind.CONFIGURE_PROCESS, c -> {
      running.countDown();
      Thread.sleep(500);
      finished.set(true);
    }).start();
    PendingChange c = submit(Kind.CONFIGURE_PROCESS, 1);
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

    w.close();
    assertThat(finished).isTrue();
    assertThat(store().find(c.id()).orElseThrow().state()).isEqualTo(State.DONE);

    // closed: nothing more is claimed
    PendingChange later = submit(Kind.CONFIGURE_PROCESS, 2);
    w.wake();
    Thread.sleep(200);
    assertThat(store().find(later.id()).orElseThrow().state()).isEqualTo(State.PENDING);
    w.close(); // again: nothing to do
  }

  @Test
  void closeInterruptsAHandlerThatOutlastsTheGrace() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    Workers w = workers().register(Kind.CONFIGURE_PROCESS, c -> {
      running.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.set(true);
        throw e;
      }
    }).start();
    PendingChange c = submit(Kind.CONFIGURE_PROCESS, 1);
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

    long start = System.nanoTime();
    w.close(Duration.ofMillis(200));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(interrupted).isTrue();
    // the interrupted attempt failed like any other: given back to be tried again
    PendingChange after = store().find(c.id()).orElseThrow();
    assertThat(after.state()).isEqualTo(State.PENDING);
    assertThat(after.lastError()).isPresent();
  }

  @Test
  void handlersAreRegisteredBeforeTheStartOncePerKind() {
    Workers w = workers().register(Kind.CREATE_PROCESS, c -> {});
    assertThatThrownBy(() -> w.register(Kind.CREATE_PROCESS, c -> {})).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CREATE_PROCESS");
    w.start();
    assertThatThrownBy(() -> w.register(Kind.TERMINATE_PROCESS, c -> {})).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(w::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void settingsAreChecked() {
    Workers.Settings defaults = Workers.Settings.defaults("host-a");
    assertThat(defaults).isEqualTo(new Workers.Settings("host-a", 4, Duration.ofSeconds(10), Duration.ofSeconds(1)));
    assertThatThrownBy(() -> new Workers.Settings(" ", 4, Duration.ofSeconds(30), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Workers.Settings("a", 0, Duration.ofSeconds(30), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Workers.Settings("a", 1, Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Workers.Settings("a", 1, Duration.ofSeconds(1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void twoInstancesOnOneDatabaseNeverRunAChangeTwice() throws Exception {
    PendingChangeStore other = opened(RealStore.open(database())).pendingChanges();
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    Map<String, String> by = new ConcurrentHashMap<>();
    ChangeHandler counting = c -> {
      runs.computeIfAbsent(c.id(), k -> new AtomicInteger()).incrementAndGet();
      by.put(c.id(), c.leaseOwner().orElseThrow());
      Thread.sleep(ThreadLocalRandom.current().nextInt(5));
    };
    Workers a = workers(settings("a", 4)).register(Kind.CONFIGURE_PROCESS, counting).start();
    Workers b = opened(new Workers(other, CLOCK, RETRY, settings("b", 4)))
        .register(Kind.CONFIGURE_PROCESS, counting).start();
    changes().onSubmit(a::wake);
    changes().onSubmit(b::wake);

    List<PendingChange> submitted = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      submitted.add(submit(Kind.CONFIGURE_PROCESS, 1 + i % 10));
    }
    for (PendingChange c : submitted) {
      assertThat(a.await(c.id(), Duration.ofSeconds(30)).state()).isEqualTo(State.DONE);
    }
    assertThat(runs).hasSize(40);
    assertThat(runs.values()).allSatisfy(n -> assertThat(n).hasValue(1));
    assertThat(store().list()).allSatisfy(c -> {
      assertThat(c.state()).isEqualTo(State.DONE);
      assertThat(c.attempts()).isEqualTo(1);
    });
    assertThat(by.values()).allMatch(owner -> owner.startsWith("a-") || owner.startsWith("b-"));
  }
}
