package org.defpi.orchestrator.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.defpi.orchestrator.TestData;
import org.defpi.orchestrator.pendingchange.PendingChange.Kind;
import org.junit.jupiter.api.Test;

class ReconciliationTest {
  private static final String P1 = "65a1b2c30000000000000001";
  private static final String P2 = "65a1b2c30000000000000002";
  private static final String ORPHAN = "65a1b2c300000000000000aa";
  /** TestData's createdAt: at that moment no start has stalled yet. */
  private static final java.time.Instant CREATED = java.time.Instant.parse("2026-01-01T00:00:00Z");

  private static Process process(String id, ProcessState state) {
    return TestData.process(id, state);
  }

  private static List<String> plan(List<Process> processes, Set<String> services, Set<String> busy) {
    return Reconciliation.plan(processes, services, busy, CREATED).stream()
        .map(a -> a.kind() + " " + a.processId() + " " + a.userId()).toList();
  }

  @Test
  void whenStoreAndSwarmAgreeThereIsNothingToDo() {
    assertThat(plan(List.of(process(P1, ProcessState.RUNNING), process(P2, ProcessState.STARTING)), Set.of(P1, P2),
        Set.of())).isEmpty();
  }

  @Test
  void aLiveProcessWithoutItsServiceGetsItBackAFailedOneDoesNot() {
    assertThat(plan(List.of(process(P1, ProcessState.RUNNING), process(P2, ProcessState.FAILED)), Set.of(), Set.of()))
        .containsExactly("CREATE_PROCESS " + P1 + " admin");
    assertThat(plan(List.of(process(P1, ProcessState.STARTING)), Set.of(), Set.of()))
        .containsExactly("CREATE_PROCESS " + P1 + " admin");
  }

  @Test
  void aSuspendedProcessThatLostItsServiceGetsItBackOneWithItsServiceIsLeftToItsChange() {
    assertThat(plan(List.of(process(P1, ProcessState.SUSPENDED)), Set.of(), Set.of()))
        .containsExactly("CREATE_PROCESS " + P1 + " admin");
    assertThat(Reconciliation.plan(List.of(process(P1, ProcessState.SUSPENDED)), Set.of(P1), Set.of(),
        CREATED.plusSeconds(3600))).isEmpty();
  }

  @Test
  void aProcessStartingTooLongWithItsServiceAndNothingQueuedIsConfiguredAgain() {
    java.time.Instant created = CREATED;
    List<Process> starting = List.of(process(P1, ProcessState.STARTING).withRunsOn(java.util.Optional.of("node-1")));
    assertThat(Reconciliation.plan(starting, Set.of(P1), Set.of(), created.plusSeconds(60))).isEmpty();
    assertThat(Reconciliation.plan(starting, Set.of(P1), Set.of(), created.plusSeconds(180)))
        .extracting(a -> a.kind() + " " + a.processId()).containsExactly("CONFIGURE_PROCESS " + P1);
    assertThat(Reconciliation.plan(starting, Set.of(P1), Set.of(P1), created.plusSeconds(180))).isEmpty();
    assertThat(Reconciliation.plan(List.of(process(P1, ProcessState.RUNNING)), Set.of(P1), Set.of(),
        created.plusSeconds(180))).isEmpty();
  }

  @Test
  void aProcessStartingWhoseTaskHasNoNodeWaitsForSwarmRatherThanBeingConfigured() {
    List<Process> placedNowhere = List.of(process(P1, ProcessState.STARTING));
    assertThat(Reconciliation.plan(placedNowhere, Set.of(P1), Set.of(), CREATED.plusSeconds(3600))).isEmpty();
  }

  @Test
  void aTerminatedProcessIsFinishedOffWithOrWithoutItsService() {
    assertThat(plan(List.of(process(P1, ProcessState.TERMINATED)), Set.of(P1), Set.of()))
        .containsExactly("TERMINATE_PROCESS " + P1 + " admin");
    assertThat(plan(List.of(process(P1, ProcessState.TERMINATED)), Set.of(), Set.of()))
        .containsExactly("TERMINATE_PROCESS " + P1 + " admin");
  }

  @Test
  void aServiceWithoutProcessIsRemovedInTheOrchestratorsName() {
    assertThat(plan(List.of(), Set.of(ORPHAN), Set.of()))
        .containsExactly("TERMINATE_PROCESS " + ORPHAN + " " + Reconciliation.ORCHESTRATOR);
  }

  @Test
  void whatHasChangesUnderWayIsLeftToThem() {
    assertThat(plan(List.of(process(P1, ProcessState.STARTING), process(P2, ProcessState.TERMINATED)), Set.of(ORPHAN),
        Set.of(P1, P2, ORPHAN))).isEmpty();
  }

  @Test
  void theKindsAreTheProcessKinds() {
    assertThat(Reconciliation.plan(List.of(process(P1, ProcessState.RUNNING)), Set.of(), Set.of(), CREATED))
        .allSatisfy(a -> assertThat(a.kind().onProcess()).isTrue());
    assertThat(Kind.CREATE_PROCESS.onProcess()).isTrue();
  }
}
