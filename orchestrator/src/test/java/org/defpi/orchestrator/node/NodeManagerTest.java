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

  private static RealSwarm swarmAt(String socket) {
    // An owner of its own: a sync labels the nodes, and must not touch a deployed orchestrator's labels.
    return RealSwarm.connect(new RealSwarm.Settings(URI.create(socket), Duration.ofSeconds(15),
        "test-nodes-" + Long.toHexString(System.nanoTime())));
  }
}
