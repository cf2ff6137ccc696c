package org.defpi.orchestrator.connection;

/**
 * The orchestrator's view of a connection: SUSPENDED while paused for a move of one of its
 * processes (until it is resumed); otherwise derived from its two endpoints: ACTIVE when both
 * processes acknowledged CREATE, FAILED when one refused it or could not be told for good (the
 * reason says which), else STARTING (an end is not RUNNING yet, or its CREATE is still being
 * tried: it gets CREATE when it is).
 */
public enum ConnectionState {
  STARTING, ACTIVE, SUSPENDED, FAILED
}
