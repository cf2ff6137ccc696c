package org.defpi.orchestrator.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.defpi.orchestrator.event.Event.Action;
import org.defpi.orchestrator.event.Event.Subject;
import org.junit.jupiter.api.Test;

class EventBusTest {
  private final EventBus bus = new EventBus(Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC), 5);

  private void publish(String id, String user) {
    bus.publish(Subject.PROCESS, Action.CHANGED, id, user, "RUNNING", Optional.empty());
  }

  private static List<String> drain(Subscription s) throws InterruptedException {
    List<String> ids = new ArrayList<>();
    for (Optional<Event> e = s.next(Duration.ZERO); e.isPresent(); e = s.next(Duration.ZERO)) {
      ids.add(e.get().id());
    }
    return ids;
  }

  @Test
  void eventsAreNumberedInOrderAndASubscriberGetsThoseAfterItsNumberThenLiveOnes() throws Exception {
    publish("p1", "alice");
    publish("p2", "alice");
    try (Subscription s = bus.subscribe(e -> true, 1, 10).orElseThrow()) {
      publish("p3", "alice");
      assertThat(drain(s)).containsExactly("p2", "p3");
    }
    assertThat(bus.lastSeq()).isEqualTo(3);
    assertThat(bus.subscriberCount()).isZero();
  }

  @Test
  void aSubscriberSeesOnlyWhatItsFilterLetsThrough() throws Exception {
    try (Subscription alice = bus.subscribe(e -> e.userId().equals("alice"), bus.lastSeq(), 10).orElseThrow()) {
      publish("a1", "alice");
      publish("b1", "bob");
      assertThat(drain(alice)).containsExactly("a1");
    }
  }

  @Test
  void askingForEventsThatLeftTheBufferOrAreFromAnotherRunIsRefusedSoTheClientReloads() {
    for (int i = 1; i <= 8; i++) {
      publish("p" + i, "alice");
    }
    // the buffer holds 4..8: after 3 is complete, after 2 has a hole
    assertThat(bus.subscribe(e -> true, 3, 10)).isPresent();
    assertThat(bus.subscribe(e -> true, 2, 10)).isEmpty();
    assertThat(bus.subscribe(e -> true, 9, 10)).isEmpty();
    assertThat(bus.subscribe(e -> true, -1, 10)).isEmpty();
  }

  @Test
  void aReaderThatFallsBehindIsCutOffWithoutSlowingThePublisher() throws Exception {
    Subscription slow = bus.subscribe(e -> true, 0, 2).orElseThrow();
    publish("p1", "alice");
    publish("p2", "alice");
    publish("p3", "alice"); // does not fit: cut off
    publish("p4", "alice");
    assertThat(bus.subscriberCount()).isZero();
    assertThat(slow.overflowed()).isFalse(); // what it got is still to be read
    assertThat(drain(slow)).containsExactly("p1", "p2");
    assertThat(slow.overflowed()).isTrue();
  }
}
