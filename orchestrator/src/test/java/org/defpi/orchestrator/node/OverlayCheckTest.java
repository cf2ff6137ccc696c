package org.defpi.orchestrator.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.defpi.orchestrator.node.OverlayCheck.Pair;
import org.defpi.orchestrator.node.OverlayCheck.Probe;
import org.defpi.orchestrator.node.OverlayCheck.Reading;
import org.junit.jupiter.api.Test;

class OverlayCheckTest {
  private static InetAddress ip(int last) throws Exception {
    return InetAddress.getByName("10.0.9." + last);
  }

  private static Reading said(Probe p, Set<InetAddress> reached, Set<InetAddress> missed) {
    return new Reading(p, true, Optional.of(reached), Optional.of(missed));
  }

  @Test
  void everyPairThatCarriesIsReportedSoAndNoneFails() throws Exception {
    Probe a = new Probe("n0", ip(2));
    Probe b = new Probe("n1", ip(3));
    Probe c = new Probe("n2", ip(4));
    List<Pair> pairs = OverlayCheck.evaluate("n0", List.of(
        said(a, Set.of(ip(2), ip(3), ip(4)), Set.of()),
        said(b, Set.of(ip(2), ip(3), ip(4)), Set.of()),
        said(c, Set.of(ip(2), ip(3), ip(4)), Set.of())));
    assertThat(pairs).extracting(Pair::nodeA, Pair::nodeB, Pair::carries).containsExactly(
        org.assertj.core.groups.Tuple.tuple("n0", "n1", true),
        org.assertj.core.groups.Tuple.tuple("n0", "n2", true),
        org.assertj.core.groups.Tuple.tuple("n1", "n2", true));
  }

  @Test
  void aKernelWithoutEspFailsEveryPairWithItsNode() throws Exception {
    Probe a = new Probe("n0", ip(2));
    Probe b = new Probe("n1", ip(3));
    Probe c = new Probe("n2", ip(4)); // its traffic to and from the others vanishes
    List<Pair> pairs = OverlayCheck.evaluate("n0", List.of(
        said(a, Set.of(ip(2), ip(3)), Set.of(ip(4))),
        said(b, Set.of(ip(2), ip(3)), Set.of(ip(4))),
        new Reading(c, false, Optional.of(Set.of(ip(4))), Optional.of(Set.of(ip(2), ip(3))))));
    assertThat(pairs).filteredOn(p -> !p.carries()).extracting(Pair::nodeA, Pair::nodeB).containsExactly(
        org.assertj.core.groups.Tuple.tuple("n0", "n2"), org.assertj.core.groups.Tuple.tuple("n1", "n2"));
    assertThat(pairs).filteredOn(Pair::carries).extracting(Pair::nodeA, Pair::nodeB)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("n0", "n1"));
  }

  @Test
  void oneWayThatCarriesIsEnoughAndAddressesOfNoProbeAreLeftOut() throws Exception {
    Probe a = new Probe("n0", ip(2));
    Probe b = new Probe("n1", ip(3));
    List<Pair> pairs = OverlayCheck.evaluate("n0", List.of(
        said(a, Set.of(), Set.of(ip(3), ip(99))), // a probe that was just restarting, say
        said(b, Set.of(ip(2)), Set.of())));
    assertThat(pairs).extracting(Pair::nodeA, Pair::nodeB, Pair::carries)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("n0", "n1", true));
  }

  @Test
  void withoutEspAnywhereEveryPairFailsAndTheProbesStillTell() throws Exception {
    Probe a = new Probe("n0", ip(2));
    Probe b = new Probe("n1", ip(3));
    Probe c = new Probe("n2", ip(4));
    List<Pair> pairs = OverlayCheck.evaluate("n0", List.of(
        new Reading(a, true, Optional.of(Set.of(ip(2))), Optional.of(Set.of(ip(3), ip(4)))),
        new Reading(b, false, Optional.of(Set.of(ip(3))), Optional.of(Set.of(ip(2), ip(4)))),
        new Reading(c, false, Optional.of(Set.of(ip(4))), Optional.of(Set.of(ip(2), ip(3))))));
    assertThat(pairs).hasSize(3).allMatch(p -> !p.carries());
  }

  @Test
  void checkKeepsTheLatestReport() throws Exception {
    Probe a = new Probe("n0", ip(2));
    Probe b = new Probe("n1", ip(3));
    OverlayCheck check = new OverlayCheck(new OverlayCheck.OverlayProbe() {
      @Override
      public String orchestratorNode() {
        return "n0";
      }

      @Override
      public List<Reading> probe() {
        return List.of(said(a, Set.of(ip0()), Set.of(ip1())), Reading.unreachable(b));
      }
    }, Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC));
    assertThat(check.latest()).isEmpty();
    OverlayCheck.Report report = check.check();
    assertThat(report.failing()).extracting(Pair::nodeA, Pair::nodeB)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("n0", "n1"));
    assertThat(check.latest()).contains(report);
  }

  private static InetAddress ip0() {
    return InetAddress.getLoopbackAddress();
  }

  private static InetAddress ip1() {
    try {
      return ip(3);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
