package org.defpi.orchestrator.pendingchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Random;
import org.defpi.orchestrator.Ids;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.pendingchange.PendingChange.Kind;
import org.defpi.orchestrator.pendingchange.PendingChange.State;
import org.defpi.orchestrator.pendingchange.PendingChangeStore.CancelOutcome;
import org.defpi.orchestrator.store.PendingChangeTable;
import org.defpi.orchestrator.store.RealStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manager over the real table on H2. */
class PendingChangesTest {
  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00.123456789Z");
  private static final String P1 = "65a1b2c30000000000000001";
  private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(60));

  @TempDir Path dir;
  private com.zaxxer.hikari.HikariDataSource pool;
  private PendingChangeTable table;
  private PendingChanges changes;

  @BeforeEach
  void open() {
    RealStore.Settings settings = RealStore.Settings.h2(dir);
    RealStore.migrate(settings);
    pool = new com.zaxxer.hikari.HikariDataSource();
    pool.setJdbcUrl(settings.url());
    pool.setUsername(settings.user());
    pool.setPassword(settings.password());
    table = new PendingChangeTable(pool);
    changes = new PendingChanges(table, new Ids(Clock.fixed(NOW, ZoneOffset.UTC), new Random(1)),
        Clock.fixed(NOW, ZoneOffset.UTC), RETRY);
  }

  @AfterEach
  void close() {
    pool.close();
  }

  @Test
  void aSubmittedChangeIsStoredPendingWithThePolicysAttemptLimit() throws Refusal {
    PendingChange c = changes.submit(Kind.CONFIGURE_PROCESS, Optional.of(P1), Optional.empty(), "alice", "{\"a\":1}");
    assertThat(Ids.isId(c.id())).isTrue();
    assertThat(c.state()).isEqualTo(State.PENDING);
    assertThat(c.maxAttempts()).isEqualTo(3);
    assertThat(c.createdAt()).isEqualTo(Instant.parse("2026-11-25T10:00:00.123Z"));
    assertThat(changes.get(c.id())).isEqualTo(c);
    assertThat(changes.list()).containsExactly(c);
  }

  @Test
  void anUnknownChangeIsNotFound() {
    assertThatThrownBy(() -> changes.get("65a1b2c30000000000000009")).isInstanceOf(Refusal.NotFound.class)
        .hasMessage("there is no pending change 65a1b2c30000000000000009");
    assertThat(changes.cancel("65a1b2c30000000000000009").outcome()).isEqualTo(CancelOutcome.NOT_FOUND);
  }

  @Test
  void cancelTakesBackAPendingChange() throws Refusal {
    PendingChange c = changes.submit(Kind.TERMINATE_PROCESS, Optional.of(P1), Optional.empty(), "alice", "{}");
    assertThat(changes.cancel(c.id()).outcome()).isEqualTo(CancelOutcome.CANCELLED);
    assertThat(changes.get(c.id()).state()).isEqualTo(State.CANCELLED);
  }

  @Test
  void retryLaterWaitsThePolicysDelayForTheAttemptMade() throws Refusal {
    PendingChange submitted = changes.submit(Kind.CONFIGURE_PROCESS, Optional.of(P1), Optional.empty(), "alice", "{}");
    Instant now = submitted.createdAt();
    PendingChange first = table.claim("w1", now, Duration.ofSeconds(30)).orElseThrow();
    assertThat(changes.retryLater(first, "w1", "busy")).isTrue();
    assertThat(changes.get(first.id()).notBefore()).isEqualTo(now.plusSeconds(1));

    PendingChange second = table.claim("w1", now.plusSeconds(1), Duration.ofSeconds(30)).orElseThrow();
    assertThat(changes.retryLater(second, "w1", "busy")).isTrue();
    assertThat(changes.get(first.id()).notBefore()).isEqualTo(now.plusSeconds(2));
    assertThat(changes.retryLater(second, "w1", "busy")).as("the lease went with the retry").isFalse();
  }

  @Test
  void changesSubmittedInOneMillisecondKeepTheirOrder() {
    // the clock stands still: each change is still created after the one before
    PendingChange first = changes.submit(Kind.CREATE_PROCESS, Optional.of(P1), Optional.empty(), "alice", "{}");
    PendingChange second = changes.submit(Kind.CONFIGURE_PROCESS, Optional.of(P1), Optional.empty(), "alice", "{}");
    PendingChange third = changes.submit(Kind.TERMINATE_PROCESS, Optional.of(P1), Optional.empty(), "alice", "{}");
    assertThat(second.createdAt()).isEqualTo(first.createdAt().plusMillis(1));
    assertThat(third.createdAt()).isEqualTo(first.createdAt().plusMillis(2));
    assertThat(changes.list()).containsExactly(first, second, third);
    Instant now = third.createdAt();
    assertThat(table.claim("w1", now, Duration.ofSeconds(30)).map(PendingChange::id)).contains(first.id());
  }

  @Test
  void theSubmitListenersRunAfterEachSubmitAndCannotFailIt() {
    java.util.List<Optional<PendingChange>> seen = new java.util.ArrayList<>();
    java.util.List<String> submitted = new java.util.ArrayList<>();
    changes.onSubmit(() -> seen.add(changes.list().stream().reduce((a, b) -> b)));
    changes.onSubmit(() -> {
      throw new IllegalStateException("a broken listener");
    });
    for (int i = 0; i < 2; i++) {
      submitted.add(changes.submit(Kind.CONFIGURE_PROCESS, Optional.of(P1), Optional.empty(), "alice", "{}").id());
    }
    // each listener call found the change just submitted stored
    assertThat(seen).extracting(c -> c.orElseThrow().id()).containsExactlyElementsOf(submitted);
  }

  @Test
  void cancelPendingOfDropsTheQueuedWorkOfAProcessAndPublishesEachCancellation() throws Refusal {
    org.defpi.orchestrator.event.EventBus bus = new org.defpi.orchestrator.event.EventBus(Clock.systemUTC(), 100);
    PendingChanges published = new PendingChanges(
        org.defpi.orchestrator.event.PublishingStores.pendingChanges(table, bus),
        new Ids(Clock.fixed(NOW, ZoneOffset.UTC), new Random(2)), Clock.fixed(NOW, ZoneOffset.UTC), RETRY);
    String p2 = "65a1b2c30000000000000002";
    PendingChange create = published.submit(Kind.CREATE_PROCESS, Optional.of(P1), Optional.empty(), "alice", "{}");
    PendingChange configure = published.submit(Kind.CONFIGURE_PROCESS, Optional.of(P1), Optional.empty(), "alice",
        "{}");
    PendingChange terminate = published.submit(Kind.TERMINATE_PROCESS, Optional.of(P1), Optional.empty(), "alice",
        "{}");
    PendingChange other = published.submit(Kind.CREATE_PROCESS, Optional.of(p2), Optional.empty(), "bob", "{}");
    assertThat(table.claim("w1", NOW.plusSeconds(1), Duration.ofSeconds(30)).map(PendingChange::id))
        .contains(create.id());
    long before = bus.lastSeq();

    assertThat(published.unfinishedOf(P1)).extracting(PendingChange::id)
        .containsExactly(create.id(), configure.id(), terminate.id());
    assertThat(published.cancelPendingOf(P1)).isEqualTo(2);
    assertThat(published.unfinishedOf(P1)).extracting(PendingChange::id).containsExactly(create.id());
    assertThat(published.get(configure.id()).state()).isEqualTo(State.CANCELLED);
    assertThat(published.get(other.id()).state()).isEqualTo(State.PENDING);
    assertThat(bus.recentAfter(before)).extracting(e -> e.action() + " " + e.id() + " " + e.state())
        .containsExactly("CHANGED " + configure.id() + " CANCELLED", "CHANGED " + terminate.id() + " CANCELLED");
    assertThat(published.cancelPendingOf(P1)).isZero();
    assertThat(bus.recentAfter(before)).hasSize(2);
  }

  @Test
  void cancelPendingOfConnectionDropsTheQueuedWorkOfAConnectionAndPublishesEachCancellation() throws Refusal {
    org.defpi.orchestrator.event.EventBus bus = new org.defpi.orchestrator.event.EventBus(Clock.systemUTC(), 100);
    PendingChanges published = new PendingChanges(
        org.defpi.orchestrator.event.PublishingStores.pendingChanges(table, bus),
        new Ids(Clock.fixed(NOW, ZoneOffset.UTC), new Random(3)), Clock.fixed(NOW, ZoneOffset.UTC), RETRY);
    String c1 = "65a1b2c300000000000000c1";
    PendingChange running = published.submit(Kind.CREATE_CONNECTION, Optional.empty(), Optional.of(c1), "alice", "{}");
    PendingChange again = published.submit(Kind.CREATE_CONNECTION, Optional.empty(), Optional.of(c1), "alice", "{}");
    PendingChange other = published.submit(Kind.CREATE_CONNECTION, Optional.empty(),
        Optional.of("65a1b2c300000000000000c2"), "alice", "{}");
    assertThat(table.claim("w1", NOW.plusSeconds(1), Duration.ofSeconds(30)).map(PendingChange::id))
        .contains(running.id());
    long before = bus.lastSeq();

    assertThat(published.unfinishedOfConnection(c1)).extracting(PendingChange::id)
        .containsExactly(running.id(), again.id());
    assertThat(published.cancelPendingOfConnection(c1)).isEqualTo(1);
    assertThat(published.unfinishedOfConnection(c1)).extracting(PendingChange::id).containsExactly(running.id());
    assertThat(published.get(other.id()).state()).isEqualTo(State.PENDING);
    assertThat(bus.recentAfter(before)).extracting(e -> e.action() + " " + e.id() + " " + e.state())
        .containsExactly("CHANGED " + again.id() + " CANCELLED");
    assertThat(published.cancelPendingOfConnection(c1)).isZero();
  }
}
