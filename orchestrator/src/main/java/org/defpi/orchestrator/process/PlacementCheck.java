package org.defpi.orchestrator.process;

import org.defpi.orchestrator.node.Resources;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.node.Node;
import org.defpi.orchestrator.node.NodeKind;
import org.defpi.orchestrator.node.NodePool;
import org.defpi.orchestrator.node.NodeStatus;
import org.defpi.orchestrator.process.Swarm.Constraint;

/**
 * Where a new process can run, and the constraints that hold Swarm to it: pure functions of the
 * request, the nodes and the processes placed already, tested by table. We decide feasibility so that
 * a request that cannot be met is refused with a reason; Swarm still does the scheduling, within
 * the constraints, and moves a process within its pool when a node fails.
 *
 * <p>The nodes a process may use ({@link Target}): its user's private node, the public nodes of a
 * pool, or any public node; never an unidentified one. Of those, it needs one that is READY, of an
 * architecture its image is built for, with the memory and CPUs it reserves still free: the node's
 * capacity less the reservations of the processes that run there (where the reconciler last saw
 * their task, else the private node they are pinned to). And no other process whose nodes overlap
 * may publish one of its host ports already.
 *
 * <p>Two requests at once may both pass: Swarm enforces reservations and host ports itself, so the
 * one that does not fit stays pending, never runs over another.
 */
public final class PlacementCheck {
  /** Docker's smallest memory limit. */
  static final long MIN_MEMORY_MB = 6;
  static final long MAX_MEMORY_MB = 1024 * 1024;
  static final double MIN_CPUS = 0.01;
  static final double MAX_CPUS = 1024;
  static final int MAX_MOUNTS = 16;
  static final int MAX_PORTS = 32;
  static final int MAX_PATH = 1024;
  /** A volume's name as its user gives it (prefixed with the user id for Docker: {@link Mount#volumeName}). */
  static final Pattern VOLUME_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  /**
   * Swarm's words for the architectures images are built for: {@code node.platform.arch} is the
   * node's {@code uname -m}. Swarm's own platform filter only matches amd64 and arm64 to theirs, so
   * constraints are written in these words instead.
   */
  static final Map<String, List<String>> SWARM_ARCHITECTURES = Map.of(
      "amd64", List.of("x86_64"),
      "arm64", List.of("aarch64"),
      "arm", List.of("armv7l", "armv6l", "armv5l"));

  private PlacementCheck() {}

  /**
   * A new process as placement sees it.
   *
   * @param userId whose process it is: a private node must be theirs
   * @param architectures what its image is built for; empty when unknown (no node is then ruled out)
   */
  public record Request(String userId, Placement placement, List<String> architectures) {
    public Request {
      Objects.requireNonNull(userId, "userId");
      Objects.requireNonNull(placement, "placement");
      architectures = List.copyOf(architectures);
    }
  }

  /** What is there: every node, every pool, every process. */
  public record Cluster(List<Node> nodes, List<NodePool> pools, List<Process> processes) {
    public Cluster {
      nodes = List.copyOf(nodes);
      pools = List.copyOf(pools);
      processes = List.copyOf(processes);
    }
  }

  /** The outcome: it fits, or why not. */
  public sealed interface Decision {
    /** Fits; Swarm is to keep to {@code constraints}; {@code nodeIds} are the nodes it fits on now. */
    record Fits(List<Constraint> constraints, List<String> nodeIds) implements Decision {
      public Fits {
        constraints = List.copyOf(constraints);
        nodeIds = List.copyOf(nodeIds);
      }
    }

    /** Refused: a CONFLICT with another process (its host port), or UNPROCESSABLE (no such place, no room). */
    record Refused(Why why, String reason) implements Decision {
      public enum Why { UNPROCESSABLE, CONFLICT }

      public Refused {
        Objects.requireNonNull(why, "why");
        Objects.requireNonNull(reason, "reason");
      }
    }

    /** The fit, or the refusal as the API's 422 or 409. */
    default Fits orThrow() throws Refusal.Unprocessable, Refusal.Conflict {
      return switch (this) {
        case Fits f -> f;
        case Refused r when r.why() == Refused.Why.CONFLICT -> throw new Refusal.Conflict(r.reason());
        case Refused r -> throw new Refusal.Unprocessable(r.reason());
      };
    }
  }

  // ---- the request in itself

  /**
   * Everything wrong with the asked memory, CPUs, mounts and ports in themselves, before any node is
   * looked at; empty when nothing is.
   */
  public static List<String> problems(Optional<Long> memoryMb, Optional<Double> cpus, List<Mount> mounts,
      List<PublishedPort> ports) {
    List<String> problems = new ArrayList<>();
    memoryMb.filter(m -> m < MIN_MEMORY_MB || m > MAX_MEMORY_MB).ifPresent(m -> problems.add(
        "memoryMb must be " + MIN_MEMORY_MB + " to " + MAX_MEMORY_MB + " (MiB), not " + m));
    cpus.filter(c -> !(c >= MIN_CPUS && c <= MAX_CPUS)).ifPresent(c -> problems.add(
        "cpus must be " + MIN_CPUS + " to " + (int) MAX_CPUS + ", not " + c));
    if (mounts.size() > MAX_MOUNTS) {
      problems.add("at most " + MAX_MOUNTS + " mounts, not " + mounts.size());
    }
    Set<String> targets = new HashSet<>();
    for (int i = 0; i < mounts.size(); i++) {
      Mount m = mounts.get(i);
      String at = "mounts[" + i + "]";
      if (!cleanAbsolutePath(m.target()) || m.target().equals("/")) {
        problems.add(at + ".target must be an absolute path other than / without '.', '..' or '//' parts (at most "
            + MAX_PATH + " characters), not '" + m.target() + "'");
      } else if (!targets.add(m.target())) {
        problems.add(at + ".target " + m.target() + " is mounted twice");
      }
      switch (m.type()) {
        case VOLUME -> {
          if (!VOLUME_NAME.matcher(m.source()).matches()) {
            problems.add(at + ".source must name a volume: 1 to 64 letters, digits, '_', '.' or '-', starting with a"
                + " letter or digit, not '" + m.source() + "'");
          }
        }
        case BIND -> {
          if (!cleanAbsolutePath(m.source())) {
            problems.add(at + ".source must be an absolute path of the host without '.', '..' or '//' parts (at most "
                + MAX_PATH + " characters), not '" + m.source() + "'");
          }
        }
      }
    }
    if (ports.size() > MAX_PORTS) {
      problems.add("at most " + MAX_PORTS + " ports, not " + ports.size());
    }
    for (int i = 0; i < ports.size(); i++) {
      PublishedPort p = ports.get(i);
      String at = "ports[" + i + "]";
      if (p.target() < 1 || p.target() > 65535) {
        problems.add(at + ".target must be a port, 1 to 65535, not " + p.target());
      }
      if (p.published() < 1 || p.published() > 65535) {
        problems.add(at + ".published must be a port, 1 to 65535, not " + p.published());
      }
      for (int j = 0; j < i; j++) {
        if (p.clashes(ports.get(j))) {
          problems.add(at + " publishes host port " + p.hostPort() + " as ports[" + j + "] does");
          break;
        }
      }
    }
    return problems;
  }

  /** Why the caller may not ask for these mounts: host bind mounts are for admins only. */
  public static Optional<String> forbidden(List<Mount> mounts, boolean admin) {
    if (admin) {
      return Optional.empty();
    }
    return mounts.stream().filter(m -> m.type() == Mount.Type.BIND).findFirst().map(m ->
        "only an admin can mount a path of the host (bind " + m.source() + "); use a volume, which is yours alone");
  }

  /** The resources asked for, once {@link #problems} found nothing wrong with them. */
  public static Resources resources(Optional<Long> memoryMb, Optional<Double> cpus) {
    return new Resources(memoryMb.orElse(0L) * Resources.MIB,
        cpus.map(c -> Math.round(c * Resources.NANOS_PER_CPU)).orElse(0L));
  }

  private static boolean cleanAbsolutePath(String path) {
    if (!path.startsWith("/") || path.length() > MAX_PATH) {
      return false;
    }
    if (path.equals("/")) {
      return true;
    }
    for (String part : path.substring(1).split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return false;
      }
    }
    return true;
  }

  // ---- where it fits

  /** Whether and where the process fits, in the order a person would fix it: place, state, architecture, ports, room. */
  public static Decision decide(Request request, Cluster cluster) {
    Placement placement = request.placement();
    List<Node> inTarget;
    String where;
    switch (placement.target()) {
      case Target.PrivateNode pinned -> {
        Optional<Node> node = cluster.nodes().stream().filter(n -> n.id().equals(pinned.nodeId())).findFirst();
        if (node.isEmpty()) {
          return unprocessable("node '" + pinned.nodeId() + "' does not exist");
        }
        Node n = node.get();
        if (n.kind() != NodeKind.PRIVATE || !n.ownerUserId().equals(Optional.of(request.userId()))) {
          // Whose it is, if anyone's, is not said: another user's private node is none of the caller's business.
          return unprocessable("node '" + pinned.nodeId() + "' is not a private node of the process's user: nodeId names"
              + " one of your own private nodes; for public nodes name a nodePoolId, or neither for any public node");
        }
        inTarget = List.of(n);
        where = "private node " + n.describe();
      }
      case Target.Pool pool -> {
        Optional<NodePool> found = cluster.pools().stream().filter(p -> p.id().equals(pool.poolId())).findFirst();
        if (found.isEmpty()) {
          return unprocessable("node pool '" + pool.poolId() + "' does not exist");
        }
        inTarget = cluster.nodes().stream()
            .filter(n -> n.kind() == NodeKind.PUBLIC && n.poolId().equals(Optional.of(pool.poolId()))).toList();
        where = "node pool " + found.get().name();
        if (inTarget.isEmpty()) {
          return unprocessable(where + " has no nodes: an admin puts public nodes in it (PUT /node/{id})");
        }
      }
      case Target.AnyPublicNode any -> {
        inTarget = cluster.nodes().stream().filter(n -> n.kind() == NodeKind.PUBLIC).toList();
        where = "the public nodes";
        if (inTarget.isEmpty()) {
          return unprocessable("there is no public node to run it on: name one of the user's private nodes (nodeId),"
              + " or have an admin make a node public in a pool (PUT /node/{id})");
        }
      }
    }

    List<Node> ready = inTarget.stream().filter(n -> n.status() == NodeStatus.READY).toList();
    if (ready.isEmpty()) {
      return unprocessable("no node of " + where + " is READY: " + inTarget.stream()
          .map(n -> n.describe() + " is " + n.status()).collect(Collectors.joining(", ")));
    }

    List<String> architectures = request.architectures();
    List<Node> runnable = architectures.isEmpty() ? ready
        : ready.stream().filter(n -> architectures.contains(n.architecture())).toList();
    if (runnable.isEmpty()) {
      return unprocessable("its image is built for " + String.join(", ", architectures) + ", but the READY nodes of "
          + where + " are " + ready.stream().map(n -> n.describe() + " " + n.architecture())
          .collect(Collectors.joining(", ")));
    }

    List<Process> live = cluster.processes().stream().filter(p -> p.state() != ProcessState.TERMINATED).toList();
    for (PublishedPort port : placement.ports()) {
      for (Process other : live) {
        if (!Target.overlap(placement.target(), other.placement().target())) {
          continue;
        }
        for (PublishedPort taken : other.placement().ports()) {
          if (taken.clashes(port)) {
            String whose = other.userId().equals(request.userId())
                ? "process " + other.name() + " (" + other.id() + ")" : "another user's process";
            return new Decision.Refused(Decision.Refused.Why.CONFLICT, "host port " + port.hostPort()
                + " is published already by " + whose + ", which may run on the same nodes (" + where + ")");
          }
        }
      }
    }

    Resources asked = placement.resources();
    List<Node> roomy = runnable;
    if (!asked.isNone()) {
      Map<String, Resources> claimed = new HashMap<>();
      for (Process p : live) {
        p.claimedNode().ifPresent(node -> claimed.merge(node, p.placement().resources(), Resources::plus));
      }
      roomy = runnable.stream().filter(n -> fits(asked, n.capacity(), claimed.getOrDefault(n.id(), Resources.NONE)))
          .toList();
      if (roomy.isEmpty()) {
        return unprocessable("not enough free memory or CPUs: it asks for " + asked.describe() + ", and of the READY "
            + "nodes of " + where + runnable.stream().map(n -> " " + n.describe() + " has " + n.capacity()
            .minus(claimed.getOrDefault(n.id(), Resources.NONE)).describe() + " free").collect(Collectors.joining(",")));
      }
    }
    return new Decision.Fits(constraints(request.userId(), placement.target(), architectures),
        roomy.stream().map(Node::id).toList());
  }

  /** Whether {@code asked} fits in what {@code capacity} has left after {@code claimed}; an unreported capacity rules nothing out. */
  static boolean fits(Resources asked, Resources capacity, Resources claimed) {
    Resources free = capacity.minus(claimed);
    boolean memory = asked.memoryBytes() == 0 || capacity.memoryBytes() == 0 || free.memoryBytes() >= asked.memoryBytes();
    boolean cpus = asked.nanoCpus() == 0 || capacity.nanoCpus() == 0 || free.nanoCpus() >= asked.nanoCpus();
    return memory && cpus;
  }

  private static Decision unprocessable(String reason) {
    return new Decision.Refused(Decision.Refused.Why.UNPROCESSABLE, reason);
  }

  // ---- what Swarm is told

  /**
   * The constraints that keep Swarm to a process's target and its image's architectures. A private
   * node: that node, and only while it is still private to the user (its labels), so a node an admin
   * hands to someone else stops running the old user's processes. A pool or any public node: the
   * node labels {@link org.defpi.orchestrator.node.NodeSync#labels} sets, so Swarm moves the process
   * within them when a node fails.
   */
  public static List<Constraint> constraints(String userId, Target target, List<String> architectures) {
    List<Constraint> constraints = new ArrayList<>();
    switch (target) {
      case Target.PrivateNode pinned -> {
        constraints.add(new Constraint.NodeIs(pinned.nodeId()));
        constraints.add(new Constraint.LabelIs(Swarm.KIND_LABEL, "private"));
        constraints.add(new Constraint.LabelIs(Swarm.USER_LABEL, userId));
      }
      case Target.Pool pool -> {
        constraints.add(new Constraint.LabelIs(Swarm.KIND_LABEL, "public"));
        constraints.add(new Constraint.LabelIs(Swarm.POOL_LABEL, pool.poolId()));
      }
      case Target.AnyPublicNode any -> constraints.add(new Constraint.LabelIs(Swarm.KIND_LABEL, "public"));
    }
    constraints.addAll(architectureConstraints(architectures));
    return constraints;
  }

  /**
   * Nothing when the architectures are unknown or include every one we know; {@code ==} its word when
   * the image is for one architecture with one word; else {@code !=} each word of each known
   * architecture it is not built for (constraints cannot say "one of"). An architecture we have no
   * words for is not excluded: such a node is refused at creation, but Swarm could still pick one.
   */
  static List<Constraint> architectureConstraints(List<String> architectures) {
    if (architectures.isEmpty() || architectures.containsAll(SWARM_ARCHITECTURES.keySet())) {
      return List.of();
    }
    TreeSet<String> known = new TreeSet<>(architectures);
    known.retainAll(SWARM_ARCHITECTURES.keySet());
    if (architectures.size() == 1 && known.size() == 1 && SWARM_ARCHITECTURES.get(known.first()).size() == 1) {
      return List.of(new Constraint.ArchIs(SWARM_ARCHITECTURES.get(known.first()).getFirst(), true));
    }
    List<Constraint> constraints = new ArrayList<>();
    for (String arch : new TreeSet<>(SWARM_ARCHITECTURES.keySet())) {
      if (!architectures.contains(arch)) {
        SWARM_ARCHITECTURES.get(arch).forEach(word -> constraints.add(new Constraint.ArchIs(word, false)));
      }
    }
    return constraints;
  }
}
