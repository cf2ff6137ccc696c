package org.defpi.orchestrator.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.defpi.orchestrator.Ids;
import org.defpi.orchestrator.TestUsers;
import org.defpi.orchestrator.store.RealStore;
import org.defpi.orchestrator.swarm.RealSwarm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeManagerTest {
  @TempDir Path dir;

  @Test
  void nodesAreStillListedWhileTheSwarmCannotBeAsked() throws Exception {
    try (RealStore store = RealStore.open(RealStore.Settings.h2(dir));
        RealSwarm swarm = swarmAt("unix:///var/run/docker.sock");
        // The same store seen by an orchestrator whose engine socket is gone.
        RealSwarm gone = swarmAt("unix://" + dir.resolve("no-such-docker.sock"))) {
      var known = new NodeManager(swarm, store, Ids.secure(Clock.systemUTC()), Clock.systemUTC()).list(Optional.empty(), TestUsers.ADMIN);
      assertThat(known).isNotEmpty();

      var cut = new NodeManager(gone, store, Ids.secure(Clock.systemUTC()), Clock.systemUTC());
      assertThat(cut.list(Optional.empty(), TestUsers.ADMIN)).extracting(Node::id)
          .containsExactlyElementsOf(known.stream().map(Node::id).toList());
      assertThat(cut.get(known.get(0).id(), TestUsers.ADMIN).id()).isEqualTo(known.get(0).id());
    }
  }

  @Test
  void eachScheduledSyncIsTimedWithItsOutcome() throws Exception {
    var meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    var scheduler = new org.defpi.orchestrator.FakeScheduler();
    try (RealStore store = RealStore.open(RealStore.Settings.h2(dir));
        RealSwarm swarm = swarmAt("unix:///var/run/docker.sock");
        RealSwarm gone = swarmAt("unix://" + dir.resolve("no-such-docker.sock"))) {
      new NodeManager(swarm, store, Ids.secure(Clock.systemUTC()), Clock.systemUTC())
          .start(scheduler, Duration.ofSeconds(10), meters);
      new NodeManager(gone, store, Ids.secure(Clock.systemUTC()), Clock.systemUTC())
          .start(scheduler, Duration.ofSeconds(10), meters);
      scheduler.runDue();
      scheduler.advance(Duration.ofSeconds(10));
    }
    assertThat(meters.get("defpi.reconcile").tags("pass", "nodes", "outcome", "success").timer().count()).isEqualTo(2);
    assertThat(meters.get("defpi.reconcile").tags("pass", "nodes", "outcome", "error").timer().count()).isEqualTo(2);
  }

  @Test
  void anOrchestratorThatOnlyServesItsStoreNeverAsksTheSwarmOnARead() throws Exception {
    SwarmNodes untouchable = new SwarmNodes() {
      @Override
      public java.util.List<SwarmNode> nodes() {
        throw new AssertionError("the Swarm was asked for its nodes");
      }

      @Override
      public void labelNode(String nodeId, java.util.Map<String, String> labels) {
        throw new AssertionError("node " + nodeId + " was labelled");
      }
    };
    try (RealStore store = RealStore.open(RealStore.Settings.h2(dir))) {
      store.insertNode(new Node("n0de", "host", "x86_64", NodeStatus.READY, NodeKind.UNIDENTIFIED, Optional.empty(),
          Optional.empty(), java.time.Instant.parse("2026-01-01T00:00:00Z"), Resources.NONE));
      var passive = new NodeManager(untouchable, store, Ids.secure(Clock.systemUTC()), Clock.systemUTC(), false);
      assertThat(passive.list(Optional.empty(), TestUsers.ADMIN)).extracting(Node::id).containsExactly("n0de");
      assertThat(passive.get("n0de", TestUsers.ADMIN).hostname()).isEqualTo("host");
      assertThat(passive.all()).hasSize(1);
    }
  }

  private static RealSwarm swarmAt(String socket) {
    // An owner of its own: a sync labels the nodes, and must not touch a deployed orchestrator's labels.
    return RealSwarm.connect(new RealSwarm.Settings(URI.create(socket), Duration.ofSeconds(15),
        "test-nodes-" + Long.toHexString(System.nanoTime())));
  }
}
