package org.defpi.orchestrator.node;

/** A node's status as the Swarm reports it, or MISSING once the Swarm no longer lists it. */
public enum NodeStatus {
  READY, DOWN, UNKNOWN, MISSING
}
