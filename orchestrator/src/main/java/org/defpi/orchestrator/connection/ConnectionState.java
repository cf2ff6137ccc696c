package org.defpi.orchestrator.connection;

/**
 * The orchestrator's view of a connection, derived from its two endpoints: ACTIVE when both
 * processes acknowledged CREATE, FAILED when one refused it or could not be reached (the reason
 * says which), else STARTING (an end is not RUNNING yet: it gets CREATE when it is).
 */
public enum ConnectionState {
  STARTING, ACTIVE, FAILED
}
