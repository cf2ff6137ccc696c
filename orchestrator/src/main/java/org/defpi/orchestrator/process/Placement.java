package org.defpi.orchestrator.process;

import org.defpi.orchestrator.node.Resources;

import java.util.List;
import java.util.Objects;

/**
 * Where a process runs and with what, as its creator asked: the target (which nodes), the memory and
 * CPUs it reserves and is limited to, its mounts and its published ports. {@link PlacementCheck}
 * decides whether it can be had; {@link PlacementCheck#constraints} tells Swarm to keep to it.
 */
public record Placement(Target target, Resources resources, List<Mount> mounts, List<PublishedPort> ports) {
  /** Any public node, no reservation, no mounts, no ports: what a process gets when its creator asks nothing. */
  public static final Placement ANY_PUBLIC_NODE = new Placement(Target.ANY_PUBLIC_NODE, Resources.NONE, List.of(), List.of());

  public Placement {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(resources, "resources");
    mounts = List.copyOf(mounts);
    ports = List.copyOf(ports);
  }

  /** The private node it is pinned to, if it is. */
  public java.util.Optional<String> pinnedNode() {
    return target instanceof Target.PrivateNode n ? java.util.Optional.of(n.nodeId()) : java.util.Optional.empty();
  }
}
