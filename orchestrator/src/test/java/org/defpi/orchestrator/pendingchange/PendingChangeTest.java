package org.defpi.orchestrator.pendingchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.defpi.orchestrator.pendingchange.PendingChange.Kind;
import org.defpi.orchestrator.pendingchange.PendingChange.State;
import org.junit.jupiter.api.Test;

class PendingChangeTest {
  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final String ID = "65a1b2c30000000000000001";
  private static final String P1 = "65a1b2c30000000000000002";
  private static final String C1 = "65a1b2c30000000000000003";

  private static PendingChange change(Kind kind, Optional<String> processId, Optional<String> connectionId, State state,
      int attempts, int maxAttempts, Optional<String> lastError, Optional<String> leaseOwner,
      Optional<Instant> leaseUntil) {
    return new PendingChange(ID, kind, processId, connectionId, "alice", state, attempts, maxAttempts, lastError, T0, T0,
        T0, leaseOwner, leaseUntil, "{}");
  }

  private static PendingChange inState(State state, int attempts, Optional<String> lastError, boolean leased) {
    return change(Kind.CONFIGURE_PROCESS, Optional.of(P1), Optional.empty(), state, attempts, 3, lastError,
        leased ? Optional.of("w1") : Optional.empty(), leased ? Optional.of(T0) : Optional.empty());
  }

  @Test
  void aSubmittedChangeIsPendingAndDueAtOnce() {
    PendingChange c = PendingChange.submitted(ID, Kind.CREATE_CONNECTION, Optional.empty(), Optional.of(C1), "alice", 3,
        "{}", T0);
    assertThat(c.state()).isEqualTo(State.PENDING);
    assertThat(c.attempts()).isZero();
    assertThat(c.notBefore()).isEqualTo(T0);
    assertThat(c.leaseOwner()).isEmpty();
  }

  @Test
  void validStatesAreAccepted() {
    inState(State.PENDING, 2, Optional.of("x"), false);
    inState(State.RUNNING, 3, Optional.empty(), true);
    inState(State.DONE, 1, Optional.empty(), false);
    inState(State.FAILED, 3, Optional.of("x"), false);
    inState(State.CANCELLED, 0, Optional.empty(), false);
  }

  @Test
  void idsMustBeIds() {
    assertThatThrownBy(() -> new PendingChange("nope", Kind.CONFIGURE_PROCESS, Optional.of(P1), Optional.empty(),
        "alice", State.PENDING, 0, 3, Optional.empty(), T0, T0, T0, Optional.empty(), Optional.empty(), "{}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("24 lower-case hex digits, not 'nope'");
    assertThatThrownBy(() -> change(Kind.CONFIGURE_PROCESS, Optional.of("P1"), Optional.empty(), State.PENDING, 0, 3,
        Optional.empty(), Optional.empty(), Optional.empty())).hasMessageContaining("the process id 'P1' is not an id");
    assertThatThrownBy(() -> change(Kind.DELETE_CONNECTION, Optional.empty(), Optional.of("c"), State.PENDING, 0, 3,
        Optional.empty(), Optional.empty(), Optional.empty())).hasMessageContaining("the connection id 'c' is not an id");
  }

  @Test
  void aChangeNamesWhatItActsOn() {
    assertThatThrownBy(() -> change(Kind.TERMINATE_PROCESS, Optional.empty(), Optional.of(C1), State.PENDING, 0, 3,
        Optional.empty(), Optional.empty(), Optional.empty())).hasMessageContaining("is TERMINATE_PROCESS but names no process");
    assertThatThrownBy(() -> change(Kind.CREATE_CONNECTION, Optional.of(P1), Optional.empty(), State.PENDING, 0, 3,
        Optional.empty(), Optional.empty(), Optional.empty()))
        .hasMessageContaining("is CREATE_CONNECTION but names no connection");
  }

  @Test
  void attemptsStayWithinTheLimit() {
    assertThatThrownBy(() -> inState(State.DONE, 4, Optional.empty(), false))
        .hasMessageContaining("4 attempts of at most 3");
    assertThatThrownBy(() -> inState(State.DONE, -1, Optional.empty(), false))
        .hasMessageContaining("-1 attempts");
    assertThatThrownBy(() -> inState(State.PENDING, 3, Optional.of("x"), false))
        .hasMessageContaining("PENDING with all 3 attempts used: it should be FAILED");
    assertThatThrownBy(() -> inState(State.RUNNING, 0, Optional.empty(), true))
        .hasMessageContaining("RUNNING but was never claimed");
  }

  @Test
  void exactlyARunningChangeHasALease() {
    assertThatThrownBy(() -> inState(State.RUNNING, 1, Optional.empty(), false))
        .hasMessageContaining("a RUNNING change has both, any other neither");
    assertThatThrownBy(() -> inState(State.PENDING, 1, Optional.empty(), true))
        .hasMessageContaining("is PENDING with lease owner Optional[w1]");
    assertThatThrownBy(() -> change(Kind.CONFIGURE_PROCESS, Optional.of(P1), Optional.empty(), State.RUNNING, 1, 3,
        Optional.empty(), Optional.of("w1"), Optional.empty())).hasMessageContaining("a RUNNING change has both");
  }

  @Test
  void aFailedChangeSaysWhyAndAUserOwnsEachChange() {
    assertThatThrownBy(() -> inState(State.FAILED, 1, Optional.empty(), false))
        .hasMessageContaining("FAILED without a reason");
    assertThatThrownBy(() -> new PendingChange(ID, Kind.CONFIGURE_PROCESS, Optional.of(P1), Optional.empty(), " ",
        State.PENDING, 0, 3, Optional.empty(), T0, T0, T0, Optional.empty(), Optional.empty(), "{}"))
        .hasMessageContaining("blank user id");
  }
}
