package org.defpi.orchestrator.traffic;

import org.defpi.orchestrator.TestClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.user.Role;
import org.defpi.orchestrator.user.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrafficManagerTest {
  private static final User ALICE = new User("alice", "alice", Role.USER, Optional.empty(), Instant.EPOCH);
  private static final User BOB = new User("bob", "bob", Role.USER, Optional.empty(), Instant.EPOCH);
  private static final User ADMIN = new User("admin", "admin", Role.ADMIN, Optional.empty(), Instant.EPOCH);

  private final TestClock clock = new TestClock();
  private final FakeDirectory directory = new FakeDirectory()
      .process("meter", "alice", "t-meter", "c1", "c2")
      .process("logger", "alice", "t-logger", "c1")
      .process("bobs", "bob", "t-bobs", "c9");
  private final TrafficManager manager = new TrafficManager(directory, clock, TrafficManager.Settings.defaults());

  private static ConnectionReport line(String id, long in, long out, long bytesIn, long bytesOut) {
    return new ConnectionReport(id, "CONNECTED", new Counters(in, out, bytesIn, bytesOut, 0, 0, 1));
  }

  private Duration report(String process, String token, ConnectionReport... lines) throws Refusal {
    return manager.report(process, token, () -> List.of(lines));
  }

  @ParameterizedTest(name = "{0} reporting processes: every {1} s")
  @CsvSource({"0, 2", "1, 2", "1000, 2", "1001, 3", "5000, 10", "10000, 20", "100000, 200"})
  void theIntervalGrowsWithTheNumberOfReportingProcesses(int processes, long seconds) {
    assertThat(TrafficManager.reportInterval(processes)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @Test
  void ratesComeFromTheTwoLatestReports() throws Exception {
    assertThat(report("meter", "t-meter", line("c1", 0, 10, 0, 1000))).isEqualTo(Duration.ofSeconds(2));
    clock.advance(Duration.ofSeconds(2));
    report("meter", "t-meter", line("c1", 4, 30, 100, 5000));

    EndTraffic end = manager.ofProcess("meter", ALICE).connections().getFirst();
    assertThat(end.counters()).isEqualTo(new Counters(4, 30, 100, 5000, 0, 0, 1));
    assertThat(end.rates()).isEqualTo(new Rates(2, 10, 50, 2000));
    assertThat(end.reportedAt()).isEqualTo(clock.instant());
  }

  @Test
  void aFirstReportHasNoRatesYetAndAStaleOneHasNoneAnyMore() throws Exception {
    report("meter", "t-meter", line("c1", 0, 10, 0, 1000));
    assertThat(manager.ofProcess("meter", ALICE).connections().getFirst().rates()).isEqualTo(Rates.ZERO);

    clock.advance(Duration.ofSeconds(2));
    report("meter", "t-meter", line("c1", 0, 20, 0, 2000));
    assertThat(manager.ofProcess("meter", ALICE).connections().getFirst().rates().messagesOutPerSecond()).isEqualTo(5);

    // The process dies: two intervals and some slack later its last rates are no longer shown.
    clock.advance(TrafficManager.staleAfter(Duration.ofSeconds(2)));
    assertThat(manager.ofProcess("meter", ALICE).connections().getFirst().rates().messagesOutPerSecond()).isEqualTo(5);
    clock.advance(Duration.ofMillis(1));
    assertThat(manager.ofProcess("meter", ALICE).connections().getFirst().rates()).isEqualTo(Rates.ZERO);
  }

  @Test
  void countsThatGoDownMeanARestartAndGiveNoRate() throws Exception {
    report("meter", "t-meter", line("c1", 100, 100, 100, 100));
    clock.advance(Duration.ofSeconds(2));
    report("meter", "t-meter", line("c1", 3, 3, 3, 3));

    assertThat(manager.ofProcess("meter", ALICE).connections().getFirst().rates()).isEqualTo(Rates.ZERO);
  }

  @Test
  void onlyConnectionsTheOrchestratorKnowsForTheProcessAreKept() throws Exception {
    report("meter", "t-meter", line("c1", 1, 1, 1, 1), line("made-up", 1, 1, 1, 1), line("c9", 1, 1, 1, 1));

    assertThat(manager.ofProcess("meter", ALICE).connections()).extracting(EndTraffic::connectionId)
        .containsExactly("c1");
  }

  @Test
  void aProcessThatNeverReportedHasNoConnectionsAndNoTime() throws Exception {
    ProcessTraffic none = manager.ofProcess("logger", ALICE);

    assertThat(none.reportedAt()).isEmpty();
    assertThat(none.connections()).isEmpty();
  }

  @Test
  void reportsAreRefusedAsTheTriggerIs() {
    assertThatThrownBy(() -> report("meter", null)).isInstanceOf(Refusal.Unauthorized.class);
    assertThatThrownBy(() -> report("meter", "t-bobs")).isInstanceOf(Refusal.Forbidden.class);
    assertThatThrownBy(() -> report("nobody", "t-meter")).isInstanceOf(Refusal.NotFound.class);
  }

  @Test
  void aReportListsEachConnectionOnceAndNotTooMany() throws Exception {
    assertThatThrownBy(() -> report("meter", "t-meter", line("c1", 1, 1, 1, 1), line("c1", 2, 2, 2, 2)))
        .isInstanceOf(Refusal.BadRequest.class).hasMessageContaining("connections[1].connectionId");

    TrafficManager small = new TrafficManager(directory, clock, new TrafficManager.Settings(2, 10, Duration.ofMinutes(1)));
    assertThatThrownBy(() -> small.report("meter", "t-meter", () -> IntStream.range(0, 3)
        .mapToObj(i -> line("c" + i, 0, 0, 0, 0)).toList()))
        .isInstanceOf(Refusal.BadRequest.class).hasMessageContaining("at most 2");
  }

  @Test
  void everyoneSeesTheirOwnConnectionsAndAnAdminAllOrOneUsers() throws Exception {
    report("meter", "t-meter", line("c1", 0, 5, 0, 50), line("c2", 0, 0, 0, 0));
    report("logger", "t-logger", line("c1", 5, 0, 50, 0));
    report("bobs", "t-bobs", line("c9", 1, 1, 1, 1));

    List<ConnectionTraffic> alices = manager.all(ALICE, Optional.empty());
    assertThat(alices).extracting(ConnectionTraffic::connectionId).containsExactly("c1", "c2");
    assertThat(alices.getFirst().userId()).isEqualTo("alice");
    assertThat(alices.getFirst().ends()).extracting(EndTraffic::processId).containsExactly("logger", "meter");
    assertThat(manager.all(BOB, Optional.empty())).extracting(ConnectionTraffic::connectionId).containsExactly("c9");
    assertThat(manager.all(ADMIN, Optional.empty())).extracting(ConnectionTraffic::connectionId)
        .containsExactly("c1", "c2", "c9");
    assertThat(manager.all(ADMIN, Optional.of("bob"))).extracting(ConnectionTraffic::connectionId).containsExactly("c9");
    assertThatThrownBy(() -> manager.all(BOB, Optional.of("alice"))).isInstanceOf(Refusal.Forbidden.class);
    assertThatThrownBy(() -> manager.ofProcess("meter", BOB)).isInstanceOf(Refusal.NotFound.class);
  }

  @Test
  void aProcessOrConnectionThatGoesIsForgottenAndTheListenersHearOfIt() throws Exception {
    List<String> heard = new ArrayList<>();
    manager.listen(new TrafficManager.Listener() {
      @Override
      public void added(String processId, String connectionId) {
        heard.add("+" + processId + "/" + connectionId);
      }

      @Override
      public void removed(String processId, String connectionId) {
        heard.add("-" + processId + "/" + connectionId);
      }
    });
    report("meter", "t-meter", line("c1", 0, 0, 0, 0), line("c2", 0, 0, 0, 0));
    report("logger", "t-logger", line("c1", 0, 0, 0, 0));
    report("meter", "t-meter", line("c1", 0, 0, 0, 0)); // c2 no longer reported
    manager.connectionGone("c1");
    report("bobs", "t-bobs", line("c9", 0, 0, 0, 0));
    manager.processGone("bobs");

    assertThat(heard).containsExactlyInAnyOrder("+meter/c1", "+meter/c2", "+logger/c1", "-meter/c2", "-meter/c1",
        "-logger/c1", "+bobs/c9", "-bobs/c9");
    assertThat(manager.all(ADMIN, Optional.empty())).isEmpty();
    assertThat(manager.reportingProcesses()).isEqualTo(2); // meter and logger report still, with nothing in it
  }

  @Test
  void aProcessSilentForLongIsForgottenAndNoMoreThanTheBoundAreTracked() throws Exception {
    TrafficManager bounded = new TrafficManager(directory, clock, new TrafficManager.Settings(10, 2, Duration.ofMinutes(10)));
    bounded.report("meter", "t-meter", () -> List.of(line("c1", 0, 0, 0, 0)));
    bounded.report("logger", "t-logger", () -> List.of());
    assertThatThrownBy(() -> bounded.report("bobs", "t-bobs", List::of)).isInstanceOf(Refusal.TooManyRequests.class);

    clock.advance(Duration.ofMinutes(5));
    bounded.report("logger", "t-logger", List::of); // the logger keeps reporting, the meter went silent
    clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    bounded.report("bobs", "t-bobs", List::of); // the meter is forgotten, so there is room

    assertThat(bounded.ofProcess("meter", ADMIN).reportedAt()).isEmpty();
    assertThat(bounded.reportingProcesses()).isEqualTo(2);
  }
}
