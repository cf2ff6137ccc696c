package org.defpi.orchestrator.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.defpi.orchestrator.node.NodeSync.Added;
import org.defpi.orchestrator.node.NodeSync.Change;
import org.defpi.orchestrator.node.NodeSync.Missing;
import org.defpi.orchestrator.node.NodeSync.Relabeled;
import org.defpi.orchestrator.node.SwarmNodes.SwarmNode;
import org.defpi.orchestrator.node.NodeSync.Updated;
import org.defpi.orchestrator.node.Resources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class NodeSyncTest {
  private static final Instant BEFORE = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:10Z");

  private static final Resources PI = new Resources(4096 * Resources.MIB, 4 * Resources.NANOS_PER_CPU);

  private static Node stored(String id, String hostname, String arch, NodeStatus status, Instant seen) {
    return new Node(id, hostname, arch, status, NodeKind.UNIDENTIFIED, Optional.empty(), Optional.empty(), seen, PI);
  }

  private static Node publicIn(String pool, NodeStatus status) {
    return new Node("n1", "pi", "arm64", status, NodeKind.PUBLIC, Optional.of(pool), Optional.empty(), BEFORE, PI);
  }

  /** A node as the Swarm reports it: a Pi's capacity, no labels of ours. */
  private static SwarmNode swarm(String id, String hostname, String arch, String state) {
    return swarm(id, hostname, arch, state, Map.of());
  }

  private static SwarmNode swarm(String id, String hostname, String arch, String state, Map<String, String> labels) {
    return new SwarmNode(id, hostname, arch, state, PI, labels);
  }

  private static final Map<String, String> P1_LABELS = Map.of("kind", "public", "pool", "p1");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("nothing stored, nothing in the Swarm", List.of(), List.of(), List.of()),
        Arguments.of("a new node is added unidentified, its architecture normalised",
            List.of(), List.of(swarm("n1", "pi", "aarch64", "ready")),
            List.of(new Added(stored("n1", "pi", "arm64", NodeStatus.READY, NOW)))),
        Arguments.of("a node seen this instant already: no change (idempotent)",
            List.of(stored("n1", "pi", "arm64", NodeStatus.READY, NOW)), List.of(swarm("n1", "pi", "aarch64", "ready")),
            List.of()),
        Arguments.of("a known node seen again: only lastSeen moves",
            List.of(stored("n1", "pi", "arm64", NodeStatus.READY, BEFORE)), List.of(swarm("n1", "pi", "arm64", "ready")),
            List.of(new Updated(stored("n1", "pi", "arm64", NodeStatus.READY, NOW)))),
        Arguments.of("status, hostname, architecture and capacity follow the Swarm; the admin's decision is kept",
            List.of(publicIn("p1", NodeStatus.READY)), List.of(new SwarmNode("n1", "pi-2", "armv7l", "disconnected",
                new Resources(1024 * Resources.MIB, Resources.NANOS_PER_CPU), P1_LABELS)),
            List.of(new Updated(new Node("n1", "pi-2", "arm", NodeStatus.DOWN, NodeKind.PUBLIC, Optional.of("p1"),
                Optional.empty(), NOW, new Resources(1024 * Resources.MIB, Resources.NANOS_PER_CPU))))),
        Arguments.of("a vanished node is marked missing, keeping kind, pool and lastSeen",
            List.of(publicIn("p1", NodeStatus.READY)), List.of(),
            List.of(new Missing(publicIn("p1", NodeStatus.MISSING)))),
        Arguments.of("a missing node stays missing without a change",
            List.of(publicIn("p1", NodeStatus.MISSING)), List.of(), List.of()),
        Arguments.of("a missing node that returns gets its status back",
            List.of(publicIn("p1", NodeStatus.MISSING)), List.of(swarm("n1", "pi", "arm64", "ready", P1_LABELS)),
            List.of(new Updated(publicIn("p1", NodeStatus.READY).withObserved("pi", "arm64", NodeStatus.READY, NOW, PI)))),
        Arguments.of("a public node without its labels gets kind and pool (a label write failed, or a new store)",
            List.of(publicIn("p1", NodeStatus.READY)), List.of(swarm("n1", "pi", "arm64", "ready")),
            List.of(new Updated(publicIn("p1", NodeStatus.READY).withObserved("pi", "arm64", NodeStatus.READY, NOW, PI)),
                new Relabeled(publicIn("p1", NodeStatus.READY).withObserved("pi", "arm64", NodeStatus.READY, NOW, PI),
                    P1_LABELS))),
        Arguments.of("a node moved to another pool is relabelled",
            List.of(publicIn("p2", NodeStatus.READY).withObserved("pi", "arm64", NodeStatus.READY, NOW, PI)),
            List.of(swarm("n1", "pi", "arm64", "ready", P1_LABELS)),
            List.of(new Relabeled(publicIn("p2", NodeStatus.READY).withObserved("pi", "arm64", NodeStatus.READY, NOW, PI),
                Map.of("kind", "public", "pool", "p2")))),
        Arguments.of("a private node carries its kind and user",
            List.of(stored("n1", "pi", "arm64", NodeStatus.READY, NOW)
                .withAssignment(NodeKind.PRIVATE, Optional.empty(), Optional.of("u1"))),
            List.of(swarm("n1", "pi", "arm64", "ready", Map.of("kind", "private", "user", "u1"))), List.of()),
        Arguments.of("a new node with labels of ours (a store made afresh) has them taken off: it is unidentified",
            List.of(), List.of(swarm("n1", "pi", "arm64", "ready", P1_LABELS)),
            List.of(new Added(stored("n1", "pi", "arm64", NodeStatus.READY, NOW)),
                new Relabeled(stored("n1", "pi", "arm64", NodeStatus.READY, NOW), Map.of()))),
        Arguments.of("mixed: one new, one gone, one unchanged",
            List.of(stored("a", "a", "amd64", NodeStatus.READY, NOW), stored("b", "b", "amd64", NodeStatus.DOWN, BEFORE)),
            List.of(swarm("a", "a", "x86_64", "ready"), swarm("c", "c", "x86_64", "unknown")),
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
