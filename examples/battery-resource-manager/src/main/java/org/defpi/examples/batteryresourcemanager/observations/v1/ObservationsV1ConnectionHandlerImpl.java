package org.defpi.examples.batteryresourcemanager.observations.v1;

import org.defpi.examples.batteryresourcemanager.BatteryResourceManagerService;
import org.defpi.sdk.Connection;

/** One receiver of the battery's observations: its details on connect, then its power and fill level each step. */
public class ObservationsV1ConnectionHandlerImpl implements ObservationsV1ConnectionHandler {
  private final Connection connection;
  private final BatteryResourceManagerService service;

  public ObservationsV1ConnectionHandlerImpl(Connection connection, BatteryResourceManagerService service) {
    this.connection = connection;
    this.service = service;
    service.observerConnected(connection);
  }

  @Override
  public void terminated() {
    service.observerDisconnected(connection);
  }
}
