package org.defpi.orchestrator.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.defpi.orchestrator.TestData.iface;
import static org.defpi.orchestrator.TestData.version;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.TestData;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.process.ProcessState;
import org.defpi.wire.label.InterfaceLabel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConnectionPlannerTest {
  private static final String P1 = "65a1b2c30000000000000001";
  private static final String P2 = "65a1b2c30000000000000002";
  private static final String P3 = "65a1b2c30000000000000003";

  // ---- which version pair

  static Stream<Arguments> pairs() {
    return Stream.of(
        Arguments.of("one fitting pair",
            iface("a/x", true, version("v1", "R", "S")),
            iface("b/x", true, version("v1", "S", "R")),
            Optional.of("v1/v1")),
        Arguments.of("sends fits but receives does not",
            iface("a/x", true, version("v1", "R", "S")),
            iface("b/x", true, version("v1", "S", "other")),
            Optional.empty()),
        Arguments.of("the pair whose names sort last wins",
            iface("a/x", true, version("v1", "R", "S"), version("v2", "R2", "S2")),
            iface("b/x", true, version("v1", "S", "R"), version("v2", "S2", "R2")),
            Optional.of("v2/v2")),
        Arguments.of("only the old versions fit",
            iface("a/x", true, version("v1", "R", "S"), version("v2", "R2", "S2")),
            iface("b/x", true, version("v1", "S", "R"), version("v3", "S3", "R3")),
            Optional.of("v1/v1")),
        Arguments.of("interface 1's name decides first",
            iface("a/x", true, version("a", "R", "S"), version("b", "R", "S")),
            iface("b/x", true, version("z", "S", "R")),
            Optional.of("b/z")),
        Arguments.of("same hashes both ways connect a symmetric interface to itself",
            iface("a/x", true, version("v1", "H", "H")),
            iface("b/x", true, version("v1", "H", "H")),
            Optional.of("v1/v1")),
        Arguments.of("no versions", iface("a/x", true), iface("b/x", true, version("v1", "S", "R")), Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairs")
  void picksTheCompatiblePairWhoseVersionNamesSortLast(String name, InterfaceLabel a, InterfaceLabel b, Optional<String> expected) {
    assertThat(ConnectionPlanner.bestPair(a, b).map(p -> p.version1().versionName() + "/" + p.version2().versionName()))
        .isEqualTo(expected);
  }

  @Test
  void theReasonNamesInterfaceVersionAndBothHashes() {
    InterfaceLabel meter = iface("power-meter/power-measurement", false, version("v1", "rm", "sm"));
    InterfaceLabel logger = iface("power-logger/power-measurement", false, version("v1", "other", "rm"));
    assertThat(ConnectionPlanner.incompatibilities(meter, logger)).containsExactly(
        "interface power-meter/power-measurement v1 sends hash sm but power-logger/power-measurement v1 receives other");
    InterfaceLabel logger2 = iface("power-logger/power-measurement", false, version("v1", "sm", "nope"));
    assertThat(ConnectionPlanner.incompatibilities(meter, logger2)).containsExactly(
        "interface power-meter/power-measurement v1 receives hash rm but power-logger/power-measurement v1 sends nope");
  }

  @Test
  void aPairTheCallerChoosesIsTakenWhenItFitsAndRefusedWithTheReasonWhenNot() throws Exception {
    // v1 and v2 on both sides; both pairs fit, v2/v2 is what plan takes by itself
    InterfaceLabel meter = iface("power-meter/power-measurement", false, version("v1", "b1", "a1"),
        version("v2", "b2", "a2"));
    InterfaceLabel logger = iface("power-logger/power-measurement", false, version("v1", "a1", "b1"),
        version("v2", "a2", "b2"));
    assertThat(ConnectionPlanner.chosenPair(meter, logger, new ConnectionPlanner.VersionChoice("v1", "v1")))
        .extracting(p -> p.version1().versionName() + "/" + p.version2().versionName()).isEqualTo("v1/v1");
    assertThatThrownBy(() -> ConnectionPlanner.chosenPair(meter, logger, new ConnectionPlanner.VersionChoice("v1", "v2")))
        .isInstanceOf(Refusal.Unprocessable.class)
        .hasMessage("the chosen versions do not fit: interface power-meter/power-measurement v1 sends hash a1 but "
            + "power-logger/power-measurement v2 receives a2");
    assertThatThrownBy(() -> ConnectionPlanner.chosenPair(meter, logger, new ConnectionPlanner.VersionChoice("v9", "v1")))
        .isInstanceOf(Refusal.Unprocessable.class)
        .hasMessage("interface power-meter/power-measurement has no version 'v9'; it has [v1, v2]");
  }

  // ---- ports

  static Stream<Arguments> ports() {
    Set<Integer> all = Set.copyOf(IntStream.rangeClosed(5000, 9999).boxed().toList());
    Set<Integer> allBut7777 = Set.copyOf(IntStream.rangeClosed(5000, 9999).filter(p -> p != 7777).boxed().toList());
    return Stream.of(
        Arguments.of("a free candidate is taken", Set.of(), 6000, Optional.of(6000)),
        Arguments.of("a used candidate moves up", Set.of(6000, 6001), 6000, Optional.of(6002)),
        Arguments.of("the search wraps at the top", Set.of(9999), 9999, Optional.of(5000)),
        Arguments.of("a candidate below the range is brought in", Set.of(), 4999, Optional.of(9999)),
        Arguments.of("the one free port is found", allBut7777, 5000, Optional.of(7777)),
        Arguments.of("none free", all, 5000, Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ports")
  void choosesAFreePortInTheRange(String name, Set<Integer> used, int candidate, Optional<Integer> expected) {
    assertThat(ConnectionPlanner.choosePort(used, candidate)).isEqualTo(expected);
  }

  // ---- client or server

  static Stream<Arguments> roles() {
    return Stream.of(
        Arguments.of(P2, P1, true),
        Arguments.of(P1, P2, false),
        Arguments.of("65a1b2c3000000000000000f", "65a1b2c30000000000000010", false),
        Arguments.of("ff00000000000000000000aa", "0f00000000000000000000aa", true));
  }

  @ParameterizedTest(name = "{0} vs {1}: client={2}")
  @MethodSource("roles")
  void theEndWithTheLargerProcessIdIsTheClient(String self, String other, boolean client) {
    assertThat(ConnectionPlanner.isClient(self, other)).isEqualTo(client);
    assertThat(ConnectionPlanner.isClient(other, self)).isEqualTo(!client);
  }

  // ---- whole plans

  private static Connection existing(String id, String p1, String i1, String p2, String i2, int port) {
    return new Connection(id,
        new Endpoint(p1, i1, "v1", "r", "s", true, Optional.empty()),
        new Endpoint(p2, i2, "v1", "r", "s", true, Optional.empty()),
        port, Instant.EPOCH);
  }

  static Stream<Arguments> refusals() {
    Process meter = TestData.process(P1, ProcessState.RUNNING, TestData.meterInterface(false));
    Process logger = TestData.process(P2, ProcessState.RUNNING, TestData.loggerInterface(true));
    Process logger3 = TestData.process(P3, ProcessState.RUNNING, TestData.loggerInterface(true));
    Process otherMeter = TestData.process(P3, ProcessState.RUNNING, TestData.meterInterface(true));
    String m = "power-meter/power-measurement";
    String l = "power-logger/power-measurement";
    return Stream.of(
        Arguments.of("self", meter, m, meter, m, List.of(), Refusal.Unprocessable.class,
            "a process cannot be connected to itself"),
        Arguments.of("unknown interface", meter, "power-meter/nope", logger, l, List.of(), Refusal.Unprocessable.class,
            "has no interface 'power-meter/nope'; it has [power-meter/power-measurement]"),
        Arguments.of("incompatible", meter, m, otherMeter, m, List.of(), Refusal.Unprocessable.class,
            "interface power-meter/power-measurement v1 sends hash aaaa but power-meter/power-measurement v1 receives bbbb"),
        Arguments.of("duplicate", meter, m, logger, l, List.of(existing("c1", P1, m, P2, l, 6000)), Refusal.Conflict.class,
            "connection c1 already connects"),
        Arguments.of("duplicate the other way round", logger, l, meter, m, List.of(existing("c1", P1, m, P2, l, 6000)),
            Refusal.Conflict.class, "connection c1 already connects"),
        Arguments.of("single interface already taken", meter, m, logger3, l, List.of(existing("c1", P1, m, P2, l, 6000)),
            Refusal.Conflict.class, "interface power-meter/power-measurement of process " + P1
                + " allows one connection and already has connection c1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refusesWithTheReason(String name, Process p1, String i1, Process p2, String i2, List<Connection> existing,
      Class<? extends Refusal> kind, String reason) {
    assertThatThrownBy(() -> ConnectionPlanner.plan(p1, i1, p2, i2, existing, 6000))
        .isInstanceOf(kind)
        .hasMessageContaining(reason);
  }

  @Test
  void aPlanCarriesEachEndsHashesAndAPortFreeOnBothProcesses() throws Refusal {
    Process meter = TestData.process(P1, ProcessState.RUNNING, TestData.meterInterface(true));
    Process logger = TestData.process(P2, ProcessState.STARTING, TestData.loggerInterface(true));
    List<Connection> existing = List.of(
        existing("c1", P1, "power-meter/power-measurement", P3, "power-logger/power-measurement", 6000),
        existing("c2", P3, "x/y", P2, "z/w", 6001));
    ConnectionPlanner.Plan plan = ConnectionPlanner.plan(meter, "power-meter/power-measurement", logger,
        "power-logger/power-measurement", existing, 6000);
    assertThat(plan.listenPort()).isEqualTo(6002);
    assertThat(plan.endpoint1()).isEqualTo(new Endpoint(P1, "power-meter/power-measurement", "v1", TestData.HASH_B,
        TestData.HASH_A, false, Optional.empty()));
    assertThat(plan.endpoint2()).isEqualTo(new Endpoint(P2, "power-logger/power-measurement", "v1", TestData.HASH_A,
        TestData.HASH_B, false, Optional.empty()));
  }
}
