package org.defpi.examples.pvresourcemanager.observations.v1;

import org.defpi.examples.pvresourcemanager.PVResourceManagerService;
import org.defpi.sdk.Connection;

/** One receiver of the roof's observations: greeted on connect, then sent every step's measurement. */
public class ObservationsV1ConnectionHandlerImpl implements ObservationsV1ConnectionHandler {
  private final Connection connection;
  private final PVResourceManagerService service;

  public ObservationsV1ConnectionHandlerImpl(Connection connection, PVResourceManagerService service) {
    this.connection = connection;
    this.service = service;
    service.connected(connection);
  }

  @Override
  public void terminated() {
    service.disconnected(connection);
  }
}
