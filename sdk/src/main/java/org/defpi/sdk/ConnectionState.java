package org.defpi.sdk;

/** The state of a data connection, as in the {@code connection.ConnectionState} enum of WIRE.md. */
public enum ConnectionState {
  STARTING, CONNECTED, SUSPENDED, INTERRUPTED, TERMINATED
}
