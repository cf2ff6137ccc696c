package org.defpi.orchestrator.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.defpi.orchestrator.node.NodeSync.Added;
import org.defpi.orchestrator.node.NodeSync.Change;
import org.defpi.orchestrator.node.NodeSync.Missing;
import org.defpi.orchestrator.node.NodeSync.Updated;
import org.defpi.orchestrator.process.Swarm.SwarmNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class NodeSyncTest {
  private static final Instant BEFORE = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:10Z");

  private static Node stored(String id, String hostname, String arch, NodeStatus status, Instant seen) {
    return new Node(id, hostname, arch, status, NodeKind.UNIDENTIFIED, Optional.empty(), Optional.empty(), seen);
  }

  private static Node publicIn(String pool, NodeStatus status) {
    return new Node("n1", "pi", "arm64", status, NodeKind.PUBLIC, Optional.of(pool), Optional.empty(), BEFORE);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("nothing stored, nothing in the Swarm", List.of(), List.of(), List.of()),
        Arguments.of("a new node is added unidentified, its architecture normalised",
            List.of(), List.of(new SwarmNode("n1", "pi", "aarch64", "ready")),
            List.of(new Added(stored("n1", "pi", "arm64", NodeStatus.READY, NOW)))),
        Arguments.of("a node seen this instant already: no change (idempotent)",
            List.of(stored("n1", "pi", "arm64", NodeStatus.READY, NOW)), List.of(new SwarmNode("n1", "pi", "aarch64", "ready")),
            List.of()),
        Arguments.of("a known node seen again: only lastSeen moves",
            List.of(stored("n1", "pi", "arm64", NodeStatus.READY, BEFORE)), List.of(new SwarmNode("n1", "pi", "arm64", "ready")),
            List.of(new Updated(stored("n1", "pi", "arm64", NodeStatus.READY, NOW)))),
        Arguments.of("status, hostname and architecture follow the Swarm; the admin's decision is kept",
            List.of(publicIn("p1", NodeStatus.READY)), List.of(new SwarmNode("n1", "pi-2", "armv7l", "disconnected")),
            List.of(new Updated(new Node("n1", "pi-2", "arm", NodeStatus.DOWN, NodeKind.PUBLIC, Optional.of("p1"),
                Optional.empty(), NOW)))),
        Arguments.of("a vanished node is marked missing, keeping kind, pool and lastSeen",
            List.of(publicIn("p1", NodeStatus.READY)), List.of(),
            List.of(new Missing(publicIn("p1", NodeStatus.MISSING)))),
        Arguments.of("a missing node stays missing without a change",
            List.of(publicIn("p1", NodeStatus.MISSING)), List.of(), List.of()),
        Arguments.of("a missing node that returns gets its status back",
            List.of(publicIn("p1", NodeStatus.MISSING)), List.of(new SwarmNode("n1", "pi", "arm64", "ready")),
            List.of(new Updated(publicIn("p1", NodeStatus.READY).withObserved("pi", "arm64", NodeStatus.READY, NOW)))),
        Arguments.of("mixed: one new, one gone, one unchanged",
            List.of(stored("a", "a", "amd64", NodeStatus.READY, NOW), stored("b", "b", "amd64", NodeStatus.DOWN, BEFORE)),
            List.of(new SwarmNode("a", "a", "x86_64", "ready"), new SwarmNode("c", "c", "x86_64", "unknown")),
            List.of(new Added(stored("c", "c", "amd64", NodeStatus.UNKNOWN, NOW)),
                new Missing(stored("b", "b", "amd64", NodeStatus.MISSING, BEFORE)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reconcile(String name, List<Node> stored, List<SwarmNode> swarm, List<Change> expected) {
    assertThat(NodeSync.reconcile(stored, swarm, NOW)).containsExactlyElementsOf(expected);
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({"x86_64, amd64", "AMD64, amd64", "aarch64, arm64", "arm64, arm64", "armv7l, arm", "armv6l, arm",
      "armhf, arm", "riscv64, riscv64", "'', unknown"})
  void architecturesAreNormalised(String swarm, String expected) {
    assertThat(NodeSync.architecture(swarm)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({"ready, READY", "down, DOWN", "disconnected, DOWN", "unknown, UNKNOWN", "weird, UNKNOWN"})
  void statesAreMapped(String swarm, NodeStatus expected) {
    assertThat(NodeSync.status(swarm)).isEqualTo(expected);
  }
}
