package org.defpi.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.defpi.orchestrator.pendingchange.PendingChange;
import org.defpi.orchestrator.pendingchange.PendingChange.Kind;
import org.defpi.orchestrator.pendingchange.PendingChange.State;
import org.defpi.orchestrator.pendingchange.PendingChangeStore.CancelOutcome;
import org.defpi.orchestrator.pendingchange.PendingChangeStore.Cancellation;
import org.defpi.orchestrator.pendingchange.PendingChangeStore.Retry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pending-change table's contract, run against each database the store supports:
 * {@link PendingChangeTableH2Test} and {@link PendingChangeTablePostgresTest}. Each test gets an
 * empty database of its own from {@link #database()}, migrated and opened on first use.
 */
abstract class PendingChangeTableContract {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final String P1 = "65a1b2c30000000000000001";
  private static final String C1 = "c00000000000000000000001";

  /** The same empty database for the whole of one test. */
  abstract RealStore.Settings database();

  private HikariDataSource pool;
  private PendingChangeTable table;

  // Opened on first use, not in a @BeforeEach: a subclass's @BeforeEach (PostgreSQL's schema) runs after ours.
  private PendingChangeTable table() {
    if (table == null) {
      RealStore.migrate(database());
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(database().url());
      config.setUsername(database().user());
      config.setPassword(database().password());
      config.setMaximumPoolSize(4);
      pool = new HikariDataSource(config);
      table = new PendingChangeTable(pool);
    }
    return table;
  }

  @AfterEach
  void closePool() {
    if (pool != null) {
      pool.close();
      pool = null;
      table = null;
    }
  }

  private static String id(int n) {
    return String.format("65a1b2c3%016x", n);
  }

  /** A process of its own for each change, so that the order of one process's changes holds none of them back. */
  private static PendingChange pending(String id, Instant createdAt, int maxAttempts) {
    return PendingChange.submitted(id, Kind.CONFIGURE_PROCESS, Optional.of("9a0b0c0d" + id.substring(8)),
        Optional.empty(), "alice", maxAttempts, "{\"configuration\":{\"count\":\"10\"}}", createdAt);
  }

  private static PendingChange ofProcess(String id, Kind kind, String processId, Instant createdAt) {
    return PendingChange.submitted(id, kind, Optional.of(processId), Optional.empty(), "alice", 3, "{}", createdAt);
  }

  private static PendingChange ofConnection(String id, Kind kind, Optional<String> processId, String connectionId,
      Instant createdAt) {
    return PendingChange.submitted(id, kind, processId, Optional.of(connectionId), "alice", 3, "{}", createdAt);
  }

  private Optional<String> claimId(String worker, Instant now) {
    return table().claim(worker, now, LEASE).map(PendingChange::id);
  }

  private static PendingChange pending(String id, Instant createdAt) {
    return pending(id, createdAt, 3);
  }

  private PendingChange stored(String id) {
    return table().find(id).orElseThrow();
  }

  @Test
  void aChangeIsStoredWithEveryFieldAndListedOldestFirst() {
    PendingChange running = new PendingChange(id(1), Kind.CREATE_CONNECTION, Optional.of(P1), Optional.of(C1), "alice",
        State.RUNNING, 2, 5, Optional.of("process " + P1 + " refused: busy"), T0.plusMillis(123),
        T0.plusSeconds(7).plusMillis(1), T0.plusSeconds(5), Optional.of("host-a/worker-1"),
        Optional.of(T0.plusSeconds(37)), "{\"ends\":[1,2],\"text\":\"é ✓\"}");
    PendingChange older = PendingChange.submitted(id(2), Kind.DELETE_CONNECTION, Optional.empty(), Optional.of(C1),
        "bob", 1, "{}", T0);
    table().insert(running);
    table().insert(older);

    assertThat(table().find(id(1))).contains(running);
    assertThat(table().find(id(2))).contains(older);
    assertThat(table().find(id(3))).isEmpty();
    assertThat(table().list()).containsExactly(older, running);
  }

  @Test
  void claimTakesTheOldestDueChangeAndLeasesItToTheWorker() {
    PendingChange notYet = new PendingChange(id(1), Kind.TERMINATE_PROCESS, Optional.of(P1), Optional.empty(), "alice",
        State.PENDING, 0, 3, Optional.empty(), T0, T0, T0.plusSeconds(10), Optional.empty(), Optional.empty(), "{}");
    PendingChange due = pending(id(2), T0.plusSeconds(1));
    PendingChange later = pending(id(3), T0.plusSeconds(2));
    table().insert(later);
    table().insert(notYet);
    table().insert(due);

    Instant now = T0.plusSeconds(5);
    PendingChange claimed = table().claim("w1", now, LEASE).orElseThrow();
    assertThat(claimed.id()).isEqualTo(id(2));
    assertThat(claimed.state()).isEqualTo(State.RUNNING);
    assertThat(claimed.attempts()).isEqualTo(1);
    assertThat(claimed.leaseOwner()).contains("w1");
    assertThat(claimed.leaseUntil()).contains(now.plus(LEASE));
    assertThat(claimed.updatedAt()).isEqualTo(now);
    assertThat(claimed.payload()).isEqualTo(due.payload());
    assertThat(stored(id(2))).isEqualTo(claimed);

    assertThat(table().claim("w1", now, LEASE).map(PendingChange::id)).contains(id(3));
    // the oldest, but not before its notBefore
    assertThat(table().claim("w1", now, LEASE)).isEmpty();
    assertThat(table().claim("w1", T0.plusSeconds(10), LEASE).map(PendingChange::id)).contains(id(1));
    assertThat(table().claim("w1", T0.plusSeconds(10), LEASE)).isEmpty();
  }

  @Test
  void twoWorkersRacingToClaimGetEachChangeExactlyOnce() throws Exception {
    int changes = 20;
    for (int i = 1; i <= changes; i++) {
      table().insert(pending(id(i), T0.plusMillis(i)));
    }
    Instant now = T0.plusSeconds(1);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<List<PendingChange>>> workers = new ArrayList<>();
      for (String worker : List.of("w1", "w2")) {
        Callable<List<PendingChange>> claimAll = () -> {
          start.await();
          List<PendingChange> mine = new ArrayList<>();
          for (Optional<PendingChange> c = table().claim(worker, now, LEASE); c.isPresent();
              c = table().claim(worker, now, LEASE)) {
            mine.add(c.get());
          }
          return mine;
        };
        workers.add(threads.submit(claimAll));
      }
      start.countDown();
      List<PendingChange> all = new ArrayList<>();
      for (Future<List<PendingChange>> w : workers) {
        all.addAll(w.get(60, TimeUnit.SECONDS));
      }

      Set<String> ids = new HashSet<>();
      for (PendingChange c : all) {
        assertThat(ids.add(c.id())).as("claimed twice: %s", c.id()).isTrue();
        // what the worker got is what is stored: nobody overwrote its claim
        assertThat(stored(c.id())).isEqualTo(c);
        assertThat(c.attempts()).isEqualTo(1);
      }
      assertThat(ids).hasSize(changes);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aLeaseThatRanOutIsClaimedByAnotherWorkerAndTheFirstLosesTheChange() {
    table().insert(pending(id(1), T0));
    table().claim("w1", T0, LEASE).orElseThrow();

    assertThat(table().claim("w2", T0.plus(LEASE).minusMillis(1), LEASE)).isEmpty();
    Instant later = T0.plus(LEASE);
    PendingChange reclaimed = table().claim("w2", later, LEASE).orElseThrow();
    assertThat(reclaimed.id()).isEqualTo(id(1));
    assertThat(reclaimed.attempts()).isEqualTo(2);
    assertThat(reclaimed.leaseOwner()).contains("w2");
    assertThat(reclaimed.leaseUntil()).contains(later.plus(LEASE));

    assertThat(table().renew(id(1), "w1", later.plus(LEASE))).isFalse();
    assertThat(table().complete(id(1), "w1", later)).isFalse();
    assertThat(table().retryLater(id(1), "w1", "late", later, later)).isFalse();
    assertThat(table().fail(id(1), "w1", "late", later)).isFalse();
    assertThat(stored(id(1))).isEqualTo(reclaimed);

    assertThat(table().complete(id(1), "w2", later.plusSeconds(1))).isTrue();
    PendingChange done = stored(id(1));
    assertThat(done.state()).isEqualTo(State.DONE);
    assertThat(done.leaseOwner()).isEmpty();
    assertThat(done.leaseUntil()).isEmpty();
    assertThat(done.updatedAt()).isEqualTo(later.plusSeconds(1));
    assertThat(table().complete(id(1), "w2", later.plusSeconds(2))).isFalse();
  }

  @Test
  void aLeaseThatRanOutButWasNotTakenOverStillLetsItsWorkerFinish() {
    table().insert(pending(id(1), T0));
    table().claim("w1", T0, LEASE).orElseThrow();
    assertThat(table().complete(id(1), "w1", T0.plus(LEASE).plusSeconds(5))).isTrue();
    assertThat(stored(id(1)).state()).isEqualTo(State.DONE);
  }

  @Test
  void onlyTheLeaseHolderCanRenewOrSettleAChange() {
    table().insert(pending(id(1), T0));
    table().insert(pending(id(2), T0.plusSeconds(1)));
    PendingChange claimed = table().claim("w1", T0, LEASE).orElseThrow();

    assertThat(table().renew(id(1), "w2", T0.plusSeconds(60))).isFalse();
    assertThat(table().complete(id(1), "w2", T0)).isFalse();
    assertThat(table().retryLater(id(1), "w2", "no", T0, T0)).isFalse();
    assertThat(table().fail(id(1), "w2", "no", T0)).isFalse();
    assertThat(stored(id(1))).isEqualTo(claimed);
    // nobody holds a PENDING change, nor one that does not exist
    assertThat(table().complete(id(2), "w1", T0)).isFalse();
    assertThat(table().fail(id(2), "w1", "no", T0)).isFalse();
    assertThat(table().renew(id(3), "w1", T0)).isFalse();

    assertThat(table().renew(id(1), "w1", T0.plusSeconds(60))).isTrue();
    assertThat(stored(id(1)).leaseUntil()).contains(T0.plusSeconds(60));
    // renewed: not claimable when the first lease would have run out
    assertThat(table().claim("w2", T0.plus(LEASE), LEASE).map(PendingChange::id)).contains(id(2));
  }

  @Test
  void retryLaterGivesTheChangeBackUntilItsLastAttemptThenFailsIt() {
    table().insert(pending(id(1), T0, 2));
    table().claim("w1", T0, LEASE).orElseThrow();

    assertThat(table().retryLater(id(1), "w1", "swarm unreachable", T0.plusSeconds(5), T0.plusSeconds(1))).isTrue();
    PendingChange waiting = stored(id(1));
    assertThat(waiting.state()).isEqualTo(State.PENDING);
    assertThat(waiting.lastError()).contains("swarm unreachable");
    assertThat(waiting.notBefore()).isEqualTo(T0.plusSeconds(5));
    assertThat(waiting.leaseOwner()).isEmpty();
    assertThat(waiting.leaseUntil()).isEmpty();
    assertThat(waiting.updatedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(table().claim("w2", T0.plusSeconds(4), LEASE)).isEmpty();

    PendingChange second = table().claim("w2", T0.plusSeconds(5), LEASE).orElseThrow();
    assertThat(second.attempts()).isEqualTo(2);
    assertThat(second.lastError()).contains("swarm unreachable");
    assertThat(table().retryLater(id(1), "w2", "still unreachable", T0.plusSeconds(10), T0.plusSeconds(6))).isTrue();
    PendingChange failed = stored(id(1));
    assertThat(failed.state()).isEqualTo(State.FAILED);
    assertThat(failed.lastError()).contains("still unreachable");
    assertThat(failed.leaseOwner()).isEmpty();
    assertThat(table().claim("w2", T0.plusSeconds(60), LEASE)).isEmpty();
  }

  @Test
  void failEndsAChangeForGoodWithItsReason() {
    table().insert(pending(id(1), T0, 5));
    table().claim("w1", T0, LEASE).orElseThrow();
    assertThat(table().fail(id(1), "w1", "service foo has no version 9", T0.plusSeconds(1))).isTrue();
    PendingChange failed = stored(id(1));
    assertThat(failed.state()).isEqualTo(State.FAILED);
    assertThat(failed.lastError()).contains("service foo has no version 9");
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(failed.leaseOwner()).isEmpty();
    assertThat(table().claim("w1", T0.plusSeconds(60), LEASE)).isEmpty();
  }

  @Test
  void aWorkerThatDiesOnTheLastAttemptLeavesTheChangeFailedNotClaimedAgain() {
    table().insert(pending(id(1), T0, 1));
    table().claim("w1", T0, LEASE).orElseThrow();

    assertThat(table().claim("w2", T0.plus(LEASE), LEASE)).isEmpty();
    assertThat(stored(id(1)).state()).isEqualTo(State.RUNNING); // claim leaves it to failAbandoned
    assertThat(table().failAbandoned(T0.plus(LEASE))).extracting(PendingChange::id).containsExactly(id(1));
    assertThat(table().failAbandoned(T0.plus(LEASE))).isEmpty(); // once
    PendingChange failed = stored(id(1));
    assertThat(failed.state()).isEqualTo(State.FAILED);
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(failed.lastError()).contains("attempt 1 of 1: the lease of w1 ran out before it finished");
    assertThat(failed.leaseOwner()).isEmpty();
    assertThat(failed.leaseUntil()).isEmpty();
    assertThat(failed.updatedAt()).isEqualTo(T0.plus(LEASE));
    assertThat(table().complete(id(1), "w1", T0.plus(LEASE))).isFalse();
  }

  @Test
  void onlyAPendingChangeCanBeCancelled() {
    table().insert(pending(id(1), T0));
    table().insert(pending(id(2), T0.plusSeconds(1)));
    table().insert(pending(id(3), T0.plusSeconds(2)));
    assertThat(table().claim("w1", T0, LEASE).map(PendingChange::id)).contains(id(1));

    Cancellation cancelled = table().cancel(id(2), T0.plusSeconds(3));
    assertThat(cancelled.outcome()).isEqualTo(CancelOutcome.CANCELLED);
    assertThat(cancelled.change().orElseThrow().state()).isEqualTo(State.CANCELLED);
    assertThat(cancelled.change().orElseThrow().updatedAt()).isEqualTo(T0.plusSeconds(3));
    assertThat(stored(id(2))).isEqualTo(cancelled.change().orElseThrow());

    Cancellation again = table().cancel(id(2), T0.plusSeconds(4));
    assertThat(again.outcome()).isEqualTo(CancelOutcome.NOT_CANCELLABLE);
    assertThat(again.change().orElseThrow().state()).isEqualTo(State.CANCELLED);
    assertThat(again.change().orElseThrow().updatedAt()).isEqualTo(T0.plusSeconds(3));

    Cancellation running = table().cancel(id(1), T0.plusSeconds(4));
    assertThat(running.outcome()).isEqualTo(CancelOutcome.NOT_CANCELLABLE);
    assertThat(running.change().orElseThrow().state()).isEqualTo(State.RUNNING);

    assertThat(table().cancel(id(9), T0)).isEqualTo(new Cancellation(CancelOutcome.NOT_FOUND, Optional.empty()));
    // a cancelled change is skipped by claim
    assertThat(table().claim("w1", T0.plusSeconds(5), LEASE).map(PendingChange::id)).contains(id(3));
  }

  @Test
  void theChangesOfOneProcessAreClaimedOneAtATimeInOrderEvenThroughABackOff() {
    table().insert(ofProcess(id(1), Kind.CREATE_PROCESS, P1, T0));
    table().insert(ofProcess(id(2), Kind.CONFIGURE_PROCESS, P1, T0.plusMillis(1)));
    table().insert(ofProcess(id(3), Kind.TERMINATE_PROCESS, P1, T0.plusMillis(2)));
    Instant now = T0.plusSeconds(1);

    assertThat(claimId("w1", now)).contains(id(1));
    assertThat(claimId("w2", now)).as("CONFIGURE waits while CREATE runs").isEmpty();
    assertThat(table().retryLater(id(1), "w1", "swarm unreachable", T0.plusSeconds(10), now)).isTrue();
    assertThat(claimId("w2", T0.plusSeconds(5))).as("CONFIGURE is due, but CREATE is waiting out its back-off")
        .isEmpty();

    assertThat(claimId("w2", T0.plusSeconds(10))).contains(id(1));
    assertThat(claimId("w1", T0.plusSeconds(10))).isEmpty();
    assertThat(table().complete(id(1), "w2", T0.plusSeconds(11))).isTrue();

    assertThat(claimId("w1", T0.plusSeconds(11))).contains(id(2));
    assertThat(claimId("w2", T0.plusSeconds(11))).as("TERMINATE waits while CONFIGURE runs").isEmpty();
    // a FAILED change holds nothing back
    assertThat(table().fail(id(2), "w1", "bad configuration", T0.plusSeconds(12))).isTrue();
    assertThat(claimId("w2", T0.plusSeconds(12))).contains(id(3));
    assertThat(stored(id(3)).attempts()).isEqualTo(1);
  }

  @Test
  void aRunningChangeWhoseLeaseRanOutIsTakenOverBeforeTheNextChangeOfItsProcess() {
    table().insert(ofProcess(id(1), Kind.CREATE_PROCESS, P1, T0));
    table().insert(ofProcess(id(2), Kind.CONFIGURE_PROCESS, P1, T0.plusMillis(1)));
    assertThat(claimId("w1", T0)).contains(id(1));

    assertThat(claimId("w2", T0.plus(LEASE))).contains(id(1));
    assertThat(claimId("w3", T0.plus(LEASE))).isEmpty();
  }

  @Test
  void aCancelledChangeHoldsNothingBack() {
    table().insert(ofProcess(id(1), Kind.CONFIGURE_PROCESS, P1, T0));
    table().insert(ofProcess(id(2), Kind.TERMINATE_PROCESS, P1, T0.plusMillis(1)));
    assertThat(table().cancel(id(1), T0).outcome()).isEqualTo(CancelOutcome.CANCELLED);
    assertThat(claimId("w1", T0.plusSeconds(1))).contains(id(2));
  }

  @Test
  void theChangesOfDifferentProcessesAndConnectionsRunSideBySide() {
    String p2 = "65a1b2c30000000000000002";
    String c2 = "c00000000000000000000002";
    table().insert(ofProcess(id(1), Kind.CREATE_PROCESS, P1, T0));
    table().insert(ofProcess(id(2), Kind.CONFIGURE_PROCESS, P1, T0.plusMillis(1)));
    table().insert(ofProcess(id(3), Kind.CREATE_PROCESS, p2, T0.plusMillis(2)));
    table().insert(ofConnection(id(4), Kind.CREATE_CONNECTION, Optional.empty(), C1, T0.plusMillis(3)));
    table().insert(ofConnection(id(5), Kind.DELETE_CONNECTION, Optional.empty(), C1, T0.plusMillis(4)));
    // a change naming both waits for the older changes of each
    table().insert(ofConnection(id(6), Kind.CREATE_CONNECTION, Optional.of(p2), c2, T0.plusMillis(5)));
    Instant now = T0.plusSeconds(1);

    assertThat(claimId("w1", now)).contains(id(1));
    assertThat(claimId("w2", now)).contains(id(3));
    assertThat(claimId("w3", now)).contains(id(4));
    assertThat(claimId("w4", now)).as("2 waits for 1, 5 for 4, 6 for 3").isEmpty();

    assertThat(table().complete(id(3), "w2", now)).isTrue();
    assertThat(claimId("w2", now)).contains(id(6));
    assertThat(table().complete(id(4), "w3", now)).isTrue();
    assertThat(claimId("w3", now)).contains(id(5));
    assertThat(table().complete(id(1), "w1", now)).isTrue();
    assertThat(claimId("w1", now)).contains(id(2));
    assertThat(claimId("w4", now)).isEmpty();
  }

  @Test
  void workersRacingOverTheChangesOfAFewProcessesRunEachProcessInOrder() throws Exception {
    List<String> processes = List.of(P1, "65a1b2c30000000000000002", "65a1b2c30000000000000003");
    int each = 6;
    for (int i = 0; i < each; i++) {
      for (int p = 0; p < processes.size(); p++) {
        int n = i * processes.size() + p + 1;
        table().insert(ofProcess(id(n), Kind.CONFIGURE_PROCESS, processes.get(p), T0.plusMillis(n)));
      }
    }
    Instant now = T0.plusSeconds(1);
    List<String> settled = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 1; w <= 4; w++) {
        String worker = "w" + w;
        workers.add(threads.submit(() -> {
          start.await();
          int idle = 0;
          while (idle < 50 && settled.size() < each * processes.size()) {
            Optional<PendingChange> c = table().claim(worker, now, LEASE);
            if (c.isEmpty()) {
              idle++;
              Thread.sleep(2);
              continue;
            }
            // while it runs, no other change of its process is RUNNING
            assertThat(table().list()).filteredOn(o -> o.processId().equals(c.get().processId())
                && o.state() == State.RUNNING).extracting(PendingChange::id).containsExactly(c.get().id());
            settled.add(c.get().id());
            assertThat(table().complete(c.get().id(), worker, now)).isTrue();
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> w : workers) {
        w.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(settled).hasSize(each * processes.size()).doesNotHaveDuplicates();
    for (String process : processes) {
      List<String> ofProcess = table().list().stream().filter(c -> c.processId().orElseThrow().equals(process))
          .map(PendingChange::id).toList();
      assertThat(settled.stream().filter(ofProcess::contains).toList()).as("the order of %s", process)
          .isEqualTo(ofProcess);
    }
  }

  @Test
  void unfinishedOfListsAProcesssPendingAndRunningChangesOldestFirst() {
    String p2 = "65a1b2c30000000000000002";
    table().insert(ofProcess(id(1), Kind.CREATE_PROCESS, P1, T0));
    table().insert(ofProcess(id(2), Kind.CONFIGURE_PROCESS, P1, T0.plusMillis(1)));
    table().insert(ofProcess(id(3), Kind.CONFIGURE_PROCESS, P1, T0.plusMillis(2)));
    table().insert(ofProcess(id(4), Kind.TERMINATE_PROCESS, P1, T0.plusMillis(3)));
    table().insert(ofProcess(id(5), Kind.CREATE_PROCESS, p2, T0.plusMillis(4)));
    table().insert(ofConnection(id(6), Kind.CREATE_CONNECTION, Optional.empty(), C1, T0.plusMillis(5)));
    assertThat(claimId("w1", T0.plusSeconds(1))).contains(id(1));
    table().complete(id(1), "w1", T0.plusSeconds(1));
    assertThat(claimId("w1", T0.plusSeconds(1))).contains(id(2));
    table().cancel(id(3), T0.plusSeconds(1));

    assertThat(table().unfinishedOf(P1)).containsExactly(stored(id(2)), stored(id(4)));
    assertThat(table().unfinishedOf(p2)).containsExactly(stored(id(5)));
    assertThat(table().unfinishedOf("65a1b2c30000000000000009")).isEmpty();
    // What the reconciler and GET /status ask, without reading every change.
    assertThat(table().busyProcesses()).containsExactlyInAnyOrder(P1, p2);
    assertThat(table().countByState()).containsEntry(PendingChange.State.PENDING, 3L)
        .containsEntry(PendingChange.State.RUNNING, 1L).containsEntry(PendingChange.State.DONE, 1L)
        .containsEntry(PendingChange.State.CANCELLED, 1L).containsEntry(PendingChange.State.FAILED, 0L);
  }

  @Test
  void cancelPendingOfCancelsEveryPendingChangeOfTheProcessButNotARunningOne() {
    String p2 = "65a1b2c30000000000000002";
    table().insert(ofProcess(id(1), Kind.CREATE_PROCESS, P1, T0));
    table().insert(ofProcess(id(2), Kind.CONFIGURE_PROCESS, P1, T0.plusMillis(1)));
    table().insert(ofProcess(id(3), Kind.CONFIGURE_PROCESS, P1, T0.plusMillis(2)));
    table().insert(ofProcess(id(4), Kind.CREATE_PROCESS, p2, T0.plusMillis(3)));
    table().insert(ofProcess(id(5), Kind.CONFIGURE_PROCESS, p2, T0.plusMillis(4)));
    assertThat(claimId("w1", T0.plusSeconds(1))).contains(id(1));
    assertThat(claimId("w1", T0.plusSeconds(1))).contains(id(4));
    // in a back-off, yet PENDING
    assertThat(table().retryLater(id(4), "w1", "busy", T0.plusSeconds(30), T0.plusSeconds(1))).isTrue();

    Instant now = T0.plusSeconds(2);
    assertThat(table().cancelPendingOf(P1, now)).isEqualTo(2);
    assertThat(stored(id(1)).state()).isEqualTo(State.RUNNING);
    for (String cancelled : List.of(id(2), id(3))) {
      assertThat(stored(cancelled).state()).isEqualTo(State.CANCELLED);
      assertThat(stored(cancelled).updatedAt()).isEqualTo(now);
    }
    assertThat(table().unfinishedOf(P1)).extracting(PendingChange::id).containsExactly(id(1));
    assertThat(table().cancelPendingOf(P1, now)).isZero();

    assertThat(table().cancelPendingOf(p2, now)).isEqualTo(2);
    assertThat(table().unfinishedOf(p2)).isEmpty();
    assertThat(table().cancelPendingOf("65a1b2c30000000000000009", now)).isZero();
    // the running one finishes as usual
    assertThat(table().complete(id(1), "w1", now)).isTrue();
  }

  @Test
  void theUnfinishedChangesOfAConnectionAreListedAndItsPendingOnesCancelled() {
    String c2 = "65a1b2c300000000000000c2";
    table().insert(ofConnection(id(1), Kind.CREATE_CONNECTION, Optional.empty(), C1, T0));
    table().insert(ofConnection(id(2), Kind.CREATE_CONNECTION, Optional.empty(), C1, T0.plusMillis(1)));
    table().insert(ofConnection(id(3), Kind.DELETE_CONNECTION, Optional.empty(), C1, T0.plusMillis(2)));
    table().insert(ofConnection(id(4), Kind.CREATE_CONNECTION, Optional.empty(), c2, T0.plusMillis(3)));
    table().insert(ofProcess(id(5), Kind.CONFIGURE_PROCESS, P1, T0.plusMillis(4)));
    assertThat(claimId("w1", T0.plusSeconds(1))).contains(id(1));

    assertThat(table().unfinishedOfConnection(C1)).containsExactly(stored(id(1)), stored(id(2)), stored(id(3)));
    Instant now = T0.plusSeconds(2);
    assertThat(table().cancelPendingOfConnection(C1, now)).isEqualTo(2);
    assertThat(stored(id(1)).state()).isEqualTo(State.RUNNING);
    assertThat(stored(id(2)).state()).isEqualTo(State.CANCELLED);
    assertThat(stored(id(3)).updatedAt()).isEqualTo(now);
    assertThat(table().unfinishedOfConnection(C1)).extracting(PendingChange::id).containsExactly(id(1));
    assertThat(table().unfinishedOfConnection(c2)).extracting(PendingChange::id).containsExactly(id(4));
    assertThat(table().unfinishedOf(P1)).extracting(PendingChange::id).containsExactly(id(5));
    assertThat(table().cancelPendingOfConnection("65a1b2c300000000000000c9", now)).isZero();
  }

  @Test
  void housekeepingDeletesOnlyChangesFinishedBeforeTheCutoff() {
    for (int i = 1; i <= 6; i++) {
      table().insert(pending(id(i), T0.plusMillis(i)));
    }
    Instant due = T0.plusMillis(10);
    table().claim("w", due, LEASE).orElseThrow(); // 1
    table().complete(id(1), "w", T0.plusSeconds(1));
    table().claim("w", due, LEASE).orElseThrow(); // 2
    table().fail(id(2), "w", "no", T0.plusSeconds(2));
    table().cancel(id(3), T0.plusSeconds(3));
    table().claim("w", due, LEASE).orElseThrow(); // 4 stays RUNNING
    table().claim("w", due, LEASE).orElseThrow(); // 5
    table().complete(id(5), "w", T0.plusSeconds(9)); // finished, but after the cutoff
    // 6 stays PENDING

    assertThat(table().deleteFinishedBefore(T0.plusSeconds(3).plusMillis(1))).isEqualTo(3);
    assertThat(table().list()).extracting(PendingChange::id).containsExactly(id(4), id(5), id(6));
    assertThat(table().deleteFinishedBefore(T0.plusSeconds(3).plusMillis(1))).isZero();
  }

  // ---- metrics

  @Test
  void theCountAndOldestOfEachStateComeFromOneGroupedQuery() {
    Instant t0 = Instant.parse("2026-11-26T06:00:00Z");
    assertThat(table().ageByState()).isEmpty();
    table().insert(in(State.PENDING, id(1), Kind.CONFIGURE_PROCESS, "9a0b0c0d0000000000000001", t0.plusSeconds(5)));
    table().insert(in(State.PENDING, id(2), Kind.CONFIGURE_PROCESS, "9a0b0c0d0000000000000002", t0));
    table().insert(in(State.RUNNING, id(3), Kind.CONFIGURE_PROCESS, "9a0b0c0d0000000000000003", t0.plusSeconds(9)));
    table().insert(in(State.FAILED, id(4), Kind.CREATE_PROCESS, "9a0b0c0d0000000000000004", t0.minusSeconds(60)));

    assertThat(table().ageByState()).containsOnly(
        java.util.Map.entry(State.PENDING, new org.defpi.orchestrator.metrics.StoreCounts.StateAge(2, Optional.of(t0))),
        java.util.Map.entry(State.RUNNING,
            new org.defpi.orchestrator.metrics.StoreCounts.StateAge(1, Optional.of(t0.plusSeconds(9)))),
        java.util.Map.entry(State.FAILED,
            new org.defpi.orchestrator.metrics.StoreCounts.StateAge(1, Optional.of(t0.minusSeconds(60)))));
  }

  // ---- retry

  /** A change as it may be stored in any state (FAILED with its error, RUNNING with a lease). */
  private static PendingChange in(State state, String id, Kind kind, Optional<String> processId,
      Optional<String> connectionId, Instant createdAt) {
    boolean leased = state == State.RUNNING;
    return new PendingChange(id, kind, processId, connectionId, "alice", state, state == State.PENDING ? 1 : 3, 3,
        state == State.FAILED || state == State.PENDING ? Optional.of("swarm said no") : Optional.empty(), createdAt,
        createdAt.plusSeconds(1), createdAt.plusSeconds(60), leased ? Optional.of("w1") : Optional.empty(),
        leased ? Optional.of(createdAt.plusSeconds(30)) : Optional.empty(), "{}");
  }

  private static PendingChange in(State state, String id, Kind kind, String processId, Instant createdAt) {
    return in(state, id, kind, Optional.of(processId), Optional.empty(), createdAt);
  }

  @Test
  void aRetriedChangeIsDueNowAFailedOneFromItsFirstAttemptWithItsLastErrorKept() {
    try (RealStore store = RealStore.open(database())) {
      store.insert(org.defpi.orchestrator.TestData.process(P1, org.defpi.orchestrator.process.ProcessState.FAILED));
      table().insert(in(State.FAILED, id(1), Kind.CREATE_PROCESS, P1, T0));
      Instant now = T0.plusSeconds(5);

      PendingChange retried = retried(table().retry(id(1), now));
      assertThat(retried.state()).isEqualTo(State.PENDING);
      assertThat(retried.attempts()).isZero();
      assertThat(retried.notBefore()).isEqualTo(now);
      assertThat(retried.updatedAt()).isEqualTo(now);
      assertThat(retried.lastError()).contains("swarm said no");
      assertThat(retried.leaseOwner()).isEmpty();
      assertThat(stored(id(1))).isEqualTo(retried);
      assertThat(claimId("w1", now)).contains(id(1));

      // a PENDING change in its back-off: due now, its attempts as they were
      table().insert(in(State.PENDING, id(2), Kind.CONFIGURE_PROCESS, P1, T0.plusMillis(1)));
      Instant later = T0.plusSeconds(6);
      PendingChange due = retried(table().retry(id(2), later));
      assertThat(due.state()).isEqualTo(State.PENDING);
      assertThat(due.attempts()).isEqualTo(1);
      assertThat(due.notBefore()).isEqualTo(later);
      assertThat(due.lastError()).contains("swarm said no");
    }
  }

  @Test
  void aChangeThatIsRunningDoneOrCancelledIsNotRetriedNorIsAnUnknownOne() {
    try (RealStore store = RealStore.open(database())) {
      store.insert(org.defpi.orchestrator.TestData.process(P1, org.defpi.orchestrator.process.ProcessState.RUNNING));
      int n = 0;
      for (State state : List.of(State.RUNNING, State.DONE, State.CANCELLED)) {
        PendingChange c = in(state, id(++n), Kind.CONFIGURE_PROCESS, P1, T0.plusMillis(n));
        table().insert(c);
        assertThat(table().retry(c.id(), T0.plusSeconds(5)))
            .isEqualTo(new Retry.NotRetryable(c));
        assertThat(stored(c.id())).isEqualTo(c);
      }
      assertThat(table().retry(id(9), T0)).isInstanceOf(
          Retry.NotFound.class);
    }
  }

  @Test
  void aChangeWhoseProcessOrConnectionIsGoneIsNotRetried() {
    String terminated = "65a1b2c30000000000000002";
    String gone = "65a1b2c30000000000000003";
    try (RealStore store = RealStore.open(database())) {
      store.insert(org.defpi.orchestrator.TestData.process(terminated,
          org.defpi.orchestrator.process.ProcessState.TERMINATED));
      table().insert(in(State.FAILED, id(1), Kind.CONFIGURE_PROCESS, terminated, T0));
      table().insert(in(State.FAILED, id(2), Kind.CONFIGURE_PROCESS, gone, T0.plusMillis(1)));
      table().insert(in(State.FAILED, id(3), Kind.CREATE_CONNECTION, Optional.empty(), Optional.of(C1), T0.plusMillis(2)));
      assertThat(gone(table().retry(id(1), T0))).isEqualTo("process " + terminated + " is TERMINATED");
      assertThat(gone(table().retry(id(2), T0))).isEqualTo("process " + gone + " no longer exists");
      assertThat(gone(table().retry(id(3), T0))).isEqualTo("connection " + C1 + " no longer exists");
      for (int i = 1; i <= 3; i++) {
        assertThat(stored(id(i)).state()).isEqualTo(State.FAILED);
      }

      // what a TERMINATE_PROCESS finishes is a TERMINATED process: it may run again while the record is there
      table().insert(in(State.FAILED, id(4), Kind.TERMINATE_PROCESS, terminated, T0.plusMillis(3)));
      assertThat(retried(table().retry(id(4), T0.plusSeconds(1))).state()).isEqualTo(State.PENDING);
      table().insert(in(State.FAILED, id(5), Kind.TERMINATE_PROCESS, gone, T0.plusMillis(4)));
      assertThat(gone(table().retry(id(5), T0))).isEqualTo("process " + gone + " no longer exists");

      // a connection that exists
      store.insert(new org.defpi.orchestrator.connection.Connection(C1,
          new org.defpi.orchestrator.connection.Endpoint(terminated, "a/b", "v1", "aa", "bb", false, Optional.empty()),
          new org.defpi.orchestrator.connection.Endpoint(P1, "c/d", "v1", "bb", "aa", false, Optional.empty()),
          5000, T0));
      assertThat(retried(table().retry(id(3), T0.plusSeconds(1))).state()).isEqualTo(State.PENDING);
    }
  }

  @Test
  void aChangeWithALaterOneQueuedForItsProcessOrConnectionIsNotRetried() {
    try (RealStore store = RealStore.open(database())) {
      store.insert(org.defpi.orchestrator.TestData.process(P1, org.defpi.orchestrator.process.ProcessState.RUNNING));
      store.insert(new org.defpi.orchestrator.connection.Connection(C1,
          new org.defpi.orchestrator.connection.Endpoint(P1, "a/b", "v1", "aa", "bb", false, Optional.empty()),
          new org.defpi.orchestrator.connection.Endpoint("65a1b2c30000000000000002", "c/d", "v1", "bb", "aa", false,
              Optional.empty()), 5000, T0));
      table().insert(in(State.PENDING, id(1), Kind.CONFIGURE_PROCESS, P1, T0));
      table().insert(in(State.FAILED, id(2), Kind.CONFIGURE_PROCESS, P1, T0.plusMillis(1)));
      table().insert(in(State.DONE, id(3), Kind.CONFIGURE_PROCESS, P1, T0.plusMillis(2)));
      // an earlier unfinished change and a later finished one do not count
      assertThat(retried(table().retry(id(2), T0.plusSeconds(1))).attempts()).isZero();

      table().insert(in(State.RUNNING, id(4), Kind.UPGRADE_PROCESS, P1, T0.plusMillis(3)));
      table().insert(in(State.FAILED, id(5), Kind.CREATE_CONNECTION, Optional.empty(), Optional.of(C1), T0.plusMillis(4)));
      table().insert(in(State.PENDING, id(6), Kind.DELETE_CONNECTION, Optional.empty(), Optional.of(C1), T0.plusMillis(5)));
      // the oldest of the later ones is named
      assertThat(later(table().retry(id(1), T0.plusSeconds(2)))).isEqualTo(id(2));
      assertThat(later(table().retry(id(2), T0.plusSeconds(2)))).isEqualTo(id(4));
      assertThat(later(table().retry(id(5), T0.plusSeconds(2)))).as("by connection").isEqualTo(id(6));
      assertThat(stored(id(5)).state()).isEqualTo(State.FAILED);
    }
  }

  private static PendingChange retried(Retry r) {
    assertThat(r).isInstanceOf(Retry.Retried.class);
    return ((Retry.Retried) r).change();
  }

  private static String later(Retry r) {
    assertThat(r).isInstanceOf(Retry.LaterQueued.class);
    return ((Retry.LaterQueued) r).later().id();
  }

  private static String gone(Retry r) {
    assertThat(r).isInstanceOf(Retry.SubjectGone.class);
    return ((Retry.SubjectGone) r).why();
  }
}
