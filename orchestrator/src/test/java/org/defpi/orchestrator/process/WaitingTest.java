package org.defpi.orchestrator.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.defpi.orchestrator.node.Node;
import org.defpi.orchestrator.node.NodeKind;
import org.defpi.orchestrator.node.NodeStatus;
import org.defpi.orchestrator.node.Resources;
import org.junit.jupiter.api.Test;

class WaitingTest {
  private static final Instant T = Instant.parse("2026-11-26T09:00:00Z");

  private static Node node(String id, NodeStatus status, NodeKind kind, String poolOrUser) {
    return new Node(id, "host-" + id, "x86_64", status, kind,
        kind == NodeKind.PUBLIC ? Optional.of(poolOrUser) : Optional.empty(),
        kind == NodeKind.PRIVATE ? Optional.of(poolOrUser) : Optional.empty(), T, Resources.NONE);
  }

  @Test
  void aPrivateProcessWaitsForItsNodeAndSaysWhatItIs() {
    List<Node> nodes = List.of(node("n1", NodeStatus.DOWN, NodeKind.PRIVATE, "u1"));
    assertThat(Waiting.reason(new Target.PrivateNode("n1"), nodes))
        .isEqualTo("waiting for its node host-n1 (n1), which is down");
    assertThat(Waiting.reason(new Target.PrivateNode("n1"),
        List.of(node("n1", NodeStatus.MISSING, NodeKind.PRIVATE, "u1"))))
        .isEqualTo("waiting for its node host-n1 (n1), which is no longer in the Swarm");
    assertThat(Waiting.reason(new Target.PrivateNode("gone"), nodes))
        .isEqualTo("waiting for its node gone, which has left the Swarm");
    assertThat(Waiting.reason(new Target.PrivateNode("n1"),
        List.of(node("n1", NodeStatus.READY, NodeKind.PRIVATE, "u1"))))
        .contains("which is ready: Swarm is placing it");
  }

  @Test
  void aPublicProcessWaitsForAnyReadyNodeOfItsPool() {
    List<Node> nodes = List.of(node("a", NodeStatus.DOWN, NodeKind.PUBLIC, "p1"), node("b", NodeStatus.READY,
        NodeKind.PUBLIC, "p1"), node("c", NodeStatus.DOWN, NodeKind.PUBLIC, "p2"));
    assertThat(Waiting.reason(new Target.Pool("p1"), nodes))
        .isEqualTo("waiting for a node of its pool p1: Swarm is placing it on one of 1 ready");
    assertThat(Waiting.reason(new Target.Pool("p2"), nodes))
        .isEqualTo("waiting for a node of its pool p2: all 1 are down");
    assertThat(Waiting.reason(new Target.Pool("p3"), nodes))
        .isEqualTo("waiting for a node of its pool p3: there is none");
    assertThat(Waiting.reason(Target.ANY_PUBLIC_NODE, nodes))
        .isEqualTo("waiting for a public node: Swarm is placing it on one of 1 ready");
  }
}
