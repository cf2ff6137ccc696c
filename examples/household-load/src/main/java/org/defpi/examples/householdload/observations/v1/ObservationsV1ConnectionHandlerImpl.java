package org.defpi.examples.householdload.observations.v1;

import org.defpi.examples.householdload.HouseholdLoadService;
import org.defpi.sdk.Connection;

/** One receiver of the household's observations: greeted on connect, then sent every step's measurement. */
public class ObservationsV1ConnectionHandlerImpl implements ObservationsV1ConnectionHandler {
  private final Connection connection;
  private final HouseholdLoadService service;

  public ObservationsV1ConnectionHandlerImpl(Connection connection, HouseholdLoadService service) {
    this.connection = connection;
    this.service = service;
    service.connected(connection);
  }

  @Override
  public void terminated() {
    service.disconnected(connection);
  }
}
