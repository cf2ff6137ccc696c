package org.defpi.examples.energydashboard;

import org.defpi.sdk.Connection;
import org.defpi.sdk.ConnectionState;

/** A connection from a resource; the dashboard sends nothing on it. */
public record FakeConnection(String connectionId, String remoteProcessId) implements Connection {
  @Override
  public void send(Object message) {
    throw new IllegalArgumentException("the dashboard's Observations interface sends nothing");
  }

  @Override
  public ConnectionState state() {
    return ConnectionState.CONNECTED;
  }

  @Override
  public String remoteServiceId() {
    return "simulated-resource";
  }

  @Override
  public String remoteInterfaceId() {
    return "simulated-resource/observations";
  }
}
