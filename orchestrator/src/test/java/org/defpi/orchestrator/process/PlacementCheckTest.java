package org.defpi.orchestrator.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.TestData;
import org.defpi.orchestrator.node.Node;
import org.defpi.orchestrator.node.NodeKind;
import org.defpi.orchestrator.node.NodePool;
import org.defpi.orchestrator.node.NodeStatus;
import org.defpi.orchestrator.process.PlacementCheck.Decision;
import org.defpi.orchestrator.process.PlacementCheck.Decision.Fits;
import org.defpi.orchestrator.process.PlacementCheck.Decision.Refused;
import org.defpi.orchestrator.process.PublishedPort.Protocol;
import org.defpi.orchestrator.process.Swarm.Constraint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.defpi.orchestrator.node.Resources;

class PlacementCheckTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final String ALICE = "65a1b2c300000000000000a1";
  private static final String BOB = "65a1b2c300000000000000b0";
  private static final String LAB = "65a1b2c300000000000000c1";
  private static final String ATTIC = "65a1b2c300000000000000c2";
  private static final String EMPTY = "65a1b2c300000000000000c3";
  private static final List<NodePool> POOLS = List.of(new NodePool(LAB, "lab"), new NodePool(ATTIC, "attic"),
      new NodePool(EMPTY, "empty"));
  private static final List<String> AMD64 = List.of("amd64");

  // The cluster: two nodes in the lab (amd64 and arm64), a down one in the attic, Alice's and Bob's own, one unidentified.
  private static final Node LAB_1 = node("lab1", "amd64", NodeStatus.READY, NodeKind.PUBLIC, LAB, null, 4096, 2.0);
  private static final Node LAB_2 = node("lab2", "arm64", NodeStatus.READY, NodeKind.PUBLIC, LAB, null, 2048, 4.0);
  private static final Node ATTIC_1 = node("attic1", "amd64", NodeStatus.DOWN, NodeKind.PUBLIC, ATTIC, null, 4096, 2.0);
  private static final Node ALICES = node("alices", "amd64", NodeStatus.READY, NodeKind.PRIVATE, null, ALICE, 1024, 1.0);
  private static final Node BOBS = node("bobs", "amd64", NodeStatus.READY, NodeKind.PRIVATE, null, BOB, 1024, 1.0);
  private static final Node LOOSE = node("loose", "amd64", NodeStatus.READY, NodeKind.UNIDENTIFIED, null, null, 8192, 8.0);
  private static final List<Node> NODES = List.of(LAB_1, LAB_2, ATTIC_1, ALICES, BOBS, LOOSE);

  private static Node node(String id, String arch, NodeStatus status, NodeKind kind, String pool, String owner,
      long memoryMb, double cpus) {
    return new Node(id, id + "-host", arch, status, kind, Optional.ofNullable(pool), Optional.ofNullable(owner), NOW,
        new Resources(memoryMb * Resources.MIB, Math.round(cpus * Resources.NANOS_PER_CPU)));
  }

  private static Resources res(long memoryMb, double cpus) {
    return new Resources(memoryMb * Resources.MIB, Math.round(cpus * Resources.NANOS_PER_CPU));
  }

  private static Placement at(Target target, Resources resources, PublishedPort... ports) {
    return new Placement(target, resources, List.of(), List.of(ports));
  }

  private static Target pool(String id) {
    return new Target.Pool(id);
  }

  private static Target node(String id) {
    return new Target.PrivateNode(id);
  }

  private static PublishedPort tcp(int published) {
    return new PublishedPort(80, published, Protocol.TCP);
  }

  /** A process of {@code userId}'s placed already, its task seen on {@code runsOn} (null: not seen). */
  private static Process placed(String id, String userId, Placement placement, String runsOn, ProcessState state) {
    Process p = TestData.process(id, state);
    return new Process(id, p.serviceId(), "p-" + id, p.version(), userId, state, p.reason(), p.configuration(),
        p.createdAt(), p.image(), p.interfaces(), p.token(), placement, AMD64, Optional.ofNullable(runsOn));
  }

  private static Process placed(String id, String userId, Placement placement, String runsOn) {
    return placed(id, userId, placement, runsOn, ProcessState.RUNNING);
  }

  private static Arguments fits(String name, Placement placement, List<String> archs, List<Process> processes,
      String... nodes) {
    return Arguments.of(name, ALICE, placement, archs, processes, "fits on " + List.of(nodes));
  }

  private static Arguments refused(String name, Placement placement, List<String> archs, List<Process> processes,
      Refused.Why why, String reason) {
    return Arguments.of(name, ALICE, placement, archs, processes, why + ": " + reason);
  }

  static Stream<Arguments> decisions() {
    Placement anyPublic = at(Target.ANY_PUBLIC_NODE, Resources.NONE);
    return Stream.of(
        // ---- where
        fits("no place named: any READY public node, of any pool", anyPublic, List.of(), List.of(), "lab1", "lab2"),
        fits("a pool: its READY nodes", at(pool(LAB), Resources.NONE), List.of(), List.of(), "lab1", "lab2"),
        fits("the user's own private node", at(node("alices"), Resources.NONE), AMD64, List.of(), "alices"),
        refused("a node that does not exist", at(node("nope"), Resources.NONE), AMD64, List.of(),
            Refused.Why.UNPROCESSABLE, "node 'nope' does not exist"),
        refused("another user's private node: not said whose", at(node("bobs"), Resources.NONE), AMD64, List.of(),
            Refused.Why.UNPROCESSABLE, "node 'bobs' is not a private node of the process's user"),
        refused("a public node by id: public nodes are named by pool", at(node("lab1"), Resources.NONE), AMD64,
            List.of(), Refused.Why.UNPROCESSABLE, "node 'lab1' is not a private node of the process's user"),
        refused("an unidentified node never runs processes", at(node("loose"), Resources.NONE), AMD64, List.of(),
            Refused.Why.UNPROCESSABLE, "node 'loose' is not a private node of the process's user"),
        refused("a pool that does not exist", at(pool("nope"), Resources.NONE), AMD64, List.of(),
            Refused.Why.UNPROCESSABLE, "node pool 'nope' does not exist"),
        refused("a pool without nodes", at(pool(EMPTY), Resources.NONE), AMD64, List.of(),
            Refused.Why.UNPROCESSABLE, "node pool empty has no nodes"),
        // ---- state
        refused("a pool whose nodes are all down", at(pool(ATTIC), Resources.NONE), AMD64, List.of(),
            Refused.Why.UNPROCESSABLE, "no node of node pool attic is READY: attic1-host (attic1) is DOWN"),
        // ---- architecture
        fits("an amd64 image: the amd64 node of the pool only", at(pool(LAB), Resources.NONE), AMD64, List.of(), "lab1"),
        fits("an arm64 image: the arm64 node", anyPublic, List.of("arm64"), List.of(), "lab2"),
        refused("an arm image: no node is arm", at(pool(LAB), Resources.NONE), List.of("arm"), List.of(),
            Refused.Why.UNPROCESSABLE, "its image is built for arm, but the READY nodes of node pool lab are "
                + "lab1-host (lab1) amd64, lab2-host (lab2) arm64"),
        refused("an arm64 image on an amd64 private node", at(node("alices"), Resources.NONE), List.of("arm64"),
            List.of(), Refused.Why.UNPROCESSABLE, "its image is built for arm64, but the READY nodes of private node "
                + "alices-host (alices) are alices-host (alices) amd64"),
        // ---- capacity: the node's less what runs there
        fits("within a node's capacity", at(pool(LAB), res(2048, 2)), List.of(), List.of(), "lab1", "lab2"),
        fits("only one node has the memory", at(pool(LAB), res(3072, 1)), List.of(), List.of(), "lab1"),
        fits("only one node has the CPUs", at(pool(LAB), res(512, 3)), List.of(), List.of(), "lab2"),
        refused("more than any node has", at(pool(LAB), res(8192, 1)), List.of(), List.of(),
            Refused.Why.UNPROCESSABLE, "not enough free memory or CPUs: it asks for 8192 MiB and 1 CPU, and of the "
                + "READY nodes of node pool lab lab1-host (lab1) has 4096 MiB and 2 CPUs free, lab2-host (lab2) has "
                + "2048 MiB and 4 CPUs free"),
        refused("what runs on the private node counts against it", at(node("alices"), res(512, 0.5)), AMD64,
            List.of(placed("p1", ALICE, at(node("alices"), res(768, 0.25)), null)),
            Refused.Why.UNPROCESSABLE, "alices-host (alices) has 256 MiB and 0.75 CPUs free"),
        fits("exactly what is left fits", at(node("alices"), res(256, 0.75)), AMD64,
            List.of(placed("p1", ALICE, at(node("alices"), res(768, 0.25)), null)), "alices"),
        refused("a pool process counts against the node its task was seen on", at(pool(LAB), res(3000, 1)), List.of(),
            List.of(placed("p1", BOB, at(Target.ANY_PUBLIC_NODE, res(2048, 0)), "lab1")), Refused.Why.UNPROCESSABLE,
            "lab1-host (lab1) has 2048 MiB and 2 CPUs free, lab2-host (lab2) has 2048 MiB and 4 CPUs free"),
        fits("... and not against the others", at(pool(LAB), res(3000, 1)), List.of(),
            List.of(placed("p1", BOB, at(Target.ANY_PUBLIC_NODE, res(2048, 0)), "lab2")), "lab1"),
        fits("a pool process not seen on a node yet claims none (Swarm still enforces it)", at(pool(LAB), res(3000, 1)),
            List.of(), List.of(placed("p1", BOB, at(pool(LAB), res(4096, 0)), null)), "lab1"),
        fits("a terminated process claims nothing any more", at(node("alices"), res(1024, 1)), AMD64,
            List.of(placed("p1", ALICE, at(node("alices"), res(1024, 1)), "alices", ProcessState.TERMINATED)), "alices"),
        fits("a process with no reservation fits a full node", at(node("alices"), Resources.NONE), AMD64,
            List.of(placed("p1", ALICE, at(node("alices"), res(1024, 1)), "alices")), "alices"),
        // ---- published host ports
        refused("a host port the user's own process publishes on the same node", at(node("alices"), Resources.NONE,
            tcp(8080)), AMD64, List.of(placed("p1", ALICE, at(node("alices"), Resources.NONE, tcp(8080)), null)),
            Refused.Why.CONFLICT, "host port 8080/tcp is published already by process p-p1 (p1), which may run on the"
                + " same nodes (private node alices-host (alices))"),
        refused("another user's process in an overlapping place: not named", at(pool(LAB), Resources.NONE, tcp(8080)),
            List.of(), List.of(placed("p1", BOB, at(Target.ANY_PUBLIC_NODE, Resources.NONE, tcp(8080)), null)),
            Refused.Why.CONFLICT, "host port 8080/tcp is published already by another user's process"),
        fits("the same port on another protocol", at(pool(LAB), Resources.NONE, new PublishedPort(53, 53, Protocol.UDP)),
            List.of(), List.of(placed("p1", BOB, at(pool(LAB), Resources.NONE, new PublishedPort(53, 53, Protocol.TCP)),
                null)), "lab1", "lab2"),
        fits("the same port in another pool", at(pool(LAB), Resources.NONE, tcp(8080)), List.of(),
            List.of(placed("p1", BOB, at(pool(ATTIC), Resources.NONE, tcp(8080)), null)), "lab1", "lab2"),
        fits("the same port on a private node and a public one", at(node("alices"), Resources.NONE, tcp(8080)), AMD64,
            List.of(placed("p1", BOB, at(Target.ANY_PUBLIC_NODE, Resources.NONE, tcp(8080)), null)), "alices"),
        fits("the port of a process being removed is free", at(node("alices"), Resources.NONE, tcp(8080)), AMD64,
            List.of(placed("p1", ALICE, at(node("alices"), Resources.NONE, tcp(8080)), null, ProcessState.TERMINATED)),
            "alices"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decisions")
  void decide(String name, String userId, Placement placement, List<String> archs, List<Process> processes,
      String expected) {
    Decision d = PlacementCheck.decide(new PlacementCheck.Request(userId, placement, archs),
        new PlacementCheck.Cluster(NODES, POOLS, processes));
    switch (d) {
      case Fits f -> assertThat("fits on " + f.nodeIds()).as(name).isEqualTo(expected);
      case Refused r -> assertThat(r.why() + ": " + r.reason()).as(name).startsWith(expected.substring(0,
          expected.indexOf(':') + 2)).contains(expected.substring(expected.indexOf(':') + 2));
    }
  }

  @Test
  void noPublicNodeAtAllSaysHowToGetOne() {
    Decision d = PlacementCheck.decide(new PlacementCheck.Request(ALICE, Placement.ANY_PUBLIC_NODE, AMD64),
        new PlacementCheck.Cluster(List.of(ALICES, LOOSE), POOLS, List.of()));
    assertThat(d).isEqualTo(new Refused(Refused.Why.UNPROCESSABLE, "there is no public node to run it on: name one of"
        + " the user's private nodes (nodeId), or have an admin make a node public in a pool (PUT /node/{id})"));
  }

  @Test
  void aRefusalBecomesTheApisProblem() {
    assertThatThrownBy(() -> new Refused(Refused.Why.CONFLICT, "taken").orThrow())
        .isInstanceOf(Refusal.Conflict.class).hasMessage("taken");
    assertThatThrownBy(() -> new Refused(Refused.Why.UNPROCESSABLE, "no room").orThrow())
        .isInstanceOf(Refusal.Unprocessable.class).hasMessage("no room");
  }

  // ---- constraints

  static Stream<Arguments> constraints() {
    return Stream.of(
        Arguments.of("any public node", Target.ANY_PUBLIC_NODE, List.of(),
            List.of("label kind==public")),
        Arguments.of("a pool: kind and pool", pool(LAB), List.of(),
            List.of("label kind==public", "label pool==" + LAB)),
        Arguments.of("a private node: that node while it is still the user's", node("alices"), List.of(),
            List.of("node.id==alices", "label kind==private", "label user==" + ALICE)),
        Arguments.of("an amd64 image: that architecture", Target.ANY_PUBLIC_NODE, AMD64,
            List.of("label kind==public", "arch==x86_64")),
        Arguments.of("an arm64 image", Target.ANY_PUBLIC_NODE, List.of("arm64"),
            List.of("label kind==public", "arch==aarch64")),
        Arguments.of("an arm image: arm has several words, so not the others", Target.ANY_PUBLIC_NODE, List.of("arm"),
            List.of("label kind==public", "arch!=x86_64", "arch!=aarch64")),
        Arguments.of("amd64 and arm64: not arm", pool(LAB), List.of("amd64", "arm64"),
            List.of("label kind==public", "label pool==" + LAB, "arch!=armv7l", "arch!=armv6l", "arch!=armv5l")),
        Arguments.of("every architecture we know: none", Target.ANY_PUBLIC_NODE, List.of("amd64", "arm", "arm64", "s390x"),
            List.of("label kind==public")),
        Arguments.of("one we have no words for: not the ones we know", Target.ANY_PUBLIC_NODE, List.of("riscv64"),
            List.of("label kind==public", "arch!=x86_64", "arch!=armv7l", "arch!=armv6l", "arch!=armv5l",
                "arch!=aarch64")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("constraints")
  void constraints(String name, Target target, List<String> archs, List<String> expected) {
    assertThat(PlacementCheck.constraints(ALICE, target, archs).stream().map(PlacementCheckTest::show).toList())
        .isEqualTo(expected);
  }

  private static String show(Constraint c) {
    return switch (c) {
      case Constraint.NodeIs n -> "node.id==" + n.nodeId();
      case Constraint.LabelIs l -> "label " + l.name() + "==" + l.value();
      case Constraint.ArchIs a -> "arch" + (a.is() ? "==" : "!=") + a.word();
    };
  }

  @Test
  void whatFitsIsConstrainedAsSwarmIsTold() {
    Decision d = PlacementCheck.decide(new PlacementCheck.Request(ALICE, at(node("alices"), res(256, 0.5)), AMD64),
        new PlacementCheck.Cluster(NODES, POOLS, List.of()));
    assertThat(d).isEqualTo(new Fits(PlacementCheck.constraints(ALICE, node("alices"), AMD64), List.of("alices")));
  }

  // ---- the request in itself

  static Stream<Arguments> problems() {
    Mount data = new Mount(Mount.Type.VOLUME, "data", "/data", false);
    return Stream.of(
        Arguments.of("nothing asked", null, null, List.of(), List.of(), List.of()),
        Arguments.of("the smallest and largest that may be asked", 6L, 0.01, List.of(data,
            new Mount(Mount.Type.BIND, "/", "/host", true)), List.of(tcp(1), new PublishedPort(65535, 65535, Protocol.SCTP)),
            List.of()),
        Arguments.of("too little memory (Docker's least is 6 MiB)", 5L, null, List.of(), List.of(),
            List.of("memoryMb must be 6 to 1048576 (MiB), not 5")),
        Arguments.of("too much memory", 1_048_577L, null, List.of(), List.of(),
            List.of("memoryMb must be 6 to 1048576 (MiB), not 1048577")),
        Arguments.of("no CPU", null, 0.0, List.of(), List.of(), List.of("cpus must be 0.01 to 1024, not 0.0")),
        Arguments.of("negative CPUs", null, -1.0, List.of(), List.of(), List.of("cpus must be 0.01 to 1024, not -1.0")),
        Arguments.of("too many CPUs", null, 1025.0, List.of(), List.of(), List.of("cpus must be 0.01 to 1024, not 1025.0")),
        Arguments.of("a relative target", null, null, List.of(new Mount(Mount.Type.VOLUME, "data", "data", false)),
            List.of(), List.of("mounts[0].target must be an absolute path other than / without '.', '..' or '//' parts"
                + " (at most 1024 characters), not 'data'")),
        Arguments.of("the root as target", null, null, List.of(new Mount(Mount.Type.VOLUME, "data", "/", false)),
            List.of(), List.of("mounts[0].target must be an absolute path other than /")),
        Arguments.of("a target climbing out", null, null, List.of(new Mount(Mount.Type.VOLUME, "d", "/data/../etc", false)),
            List.of(), List.of("mounts[0].target must be an absolute path other than /")),
        Arguments.of("a target with a trailing /", null, null, List.of(new Mount(Mount.Type.VOLUME, "d", "/data/", false)),
            List.of(), List.of("mounts[0].target must be an absolute path other than /")),
        Arguments.of("one target twice", null, null, List.of(data, new Mount(Mount.Type.VOLUME, "other", "/data", false)),
            List.of(), List.of("mounts[1].target /data is mounted twice")),
        Arguments.of("a volume name with a slash (a path is not a volume)", null, null,
            List.of(new Mount(Mount.Type.VOLUME, "/srv", "/data", false)), List.of(),
            List.of("mounts[0].source must name a volume: 1 to 64 letters, digits, '_', '.' or '-', starting with a"
                + " letter or digit, not '/srv'")),
        Arguments.of("a volume name starting with a dot", null, null,
            List.of(new Mount(Mount.Type.VOLUME, ".hidden", "/data", false)), List.of(),
            List.of("mounts[0].source must name a volume")),
        Arguments.of("a bind of a relative path", null, null, List.of(new Mount(Mount.Type.BIND, "srv", "/srv", false)),
            List.of(), List.of("mounts[0].source must be an absolute path of the host")),
        Arguments.of("17 mounts", null, null, java.util.stream.IntStream.range(0, 17)
            .mapToObj(i -> new Mount(Mount.Type.VOLUME, "v" + i, "/v" + i, false)).toList(), List.of(),
            List.of("at most 16 mounts, not 17")),
        Arguments.of("ports out of range", null, null, List.of(), List.of(new PublishedPort(0, 70000, Protocol.TCP)),
            List.of("ports[0].target must be a port, 1 to 65535, not 0", "ports[0].published must be a port, 1 to 65535,"
                + " not 70000")),
        Arguments.of("one host port twice", null, null, List.of(), List.of(tcp(8080), new PublishedPort(81, 8080,
            Protocol.TCP)), List.of("ports[1] publishes host port 8080/tcp as ports[0] does")),
        Arguments.of("33 ports", null, null, List.of(), java.util.stream.IntStream.range(0, 33)
            .mapToObj(i -> tcp(9000 + i)).toList(), List.of("at most 32 ports, not 33")),
        Arguments.of("several at once, all said", 1L, 2000.0, List.of(), List.of(tcp(0)),
            List.of("memoryMb must be 6 to 1048576 (MiB), not 1", "cpus must be 0.01 to 1024, not 2000.0",
                "ports[0].published must be a port, 1 to 65535, not 0")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("problems")
  void problems(String name, Long memoryMb, Double cpus, List<Mount> mounts, List<PublishedPort> ports,
      List<String> expected) {
    List<String> problems = PlacementCheck.problems(Optional.ofNullable(memoryMb), Optional.ofNullable(cpus), mounts,
        ports);
    assertThat(problems).as(name).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(problems.get(i)).as(name).startsWith(expected.get(i));
    }
  }

  @Test
  void onlyAnAdminMountsAPathOfTheHost() {
    List<Mount> mounts = List.of(new Mount(Mount.Type.VOLUME, "data", "/data", false),
        new Mount(Mount.Type.BIND, "/var/log", "/logs", true));
    assertThat(PlacementCheck.forbidden(mounts, false)).contains("only an admin can mount a path of the host (bind"
        + " /var/log); use a volume, which is yours alone");
    assertThat(PlacementCheck.forbidden(mounts, true)).isEmpty();
    assertThat(PlacementCheck.forbidden(mounts.subList(0, 1), false)).isEmpty();
  }

  @ParameterizedTest(name = "{0} MiB and {1} CPUs")
  @CsvSource({"512, 0.5, 536870912, 500000000", "6, 0.01, 6291456, 10000000", "1024, 1.1, 1073741824, 1100000000",
      "1024, 0.333333333, 1073741824, 333333333"})
  void resourcesAreCountedAsSwarmDoes(long memoryMb, double cpus, long bytes, long nanoCpus) {
    assertThat(PlacementCheck.resources(Optional.of(memoryMb), Optional.of(cpus))).isEqualTo(new Resources(bytes, nanoCpus));
    assertThat(PlacementCheck.resources(Optional.empty(), Optional.empty())).isEqualTo(Resources.NONE);
  }

  @Test
  void aUsersVolumesAreNamedForThem() {
    Mount volume = new Mount(Mount.Type.VOLUME, "data", "/data", true);
    assertThat(volume.forUser(ALICE)).isEqualTo(new Mount(Mount.Type.VOLUME, "defpi-" + ALICE + "-data", "/data", true));
    assertThat(volume.forUser(ALICE).source()).isNotEqualTo(volume.forUser(BOB).source());
    Mount bind = new Mount(Mount.Type.BIND, "/srv", "/srv", false);
    assertThat(bind.forUser(ALICE)).isEqualTo(bind);
  }

  @ParameterizedTest(name = "{0} and {1}: {2}")
  @CsvSource({"node:a, node:a, true", "node:a, node:b, false", "node:a, pool:p, false", "node:a, any, false",
      "pool:p, pool:p, true", "pool:p, pool:q, false", "pool:p, any, true", "any, any, true", "any, pool:p, true"})
  void targetsOverlapWhenTheyMayShareANode(String a, String b, boolean overlap) {
    assertThat(Target.overlap(target(a), target(b))).isEqualTo(overlap);
    assertThat(Target.overlap(target(b), target(a))).isEqualTo(overlap);
  }

  private static Target target(String spec) {
    return spec.equals("any") ? Target.ANY_PUBLIC_NODE
        : spec.startsWith("node:") ? node(spec.substring(5)) : pool(spec.substring(5));
  }

  @Test
  void resourcesReadAsAPersonWouldSayThem() {
    assertThat(res(512, 0.5).describe()).isEqualTo("512 MiB and 0.5 CPUs");
    assertThat(res(1024, 1).describe()).isEqualTo("1024 MiB and 1 CPU");
    assertThat(res(1024, 2).minus(res(2048, 0.5)).describe()).isEqualTo("0 MiB and 1.5 CPUs");
    assertThat(Map.of("cpus", Resources.cpus(2_000_000_000L).toPlainString())).containsEntry("cpus", "2");
  }
}
