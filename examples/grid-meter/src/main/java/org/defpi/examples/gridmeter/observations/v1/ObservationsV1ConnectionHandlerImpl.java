package org.defpi.examples.gridmeter.observations.v1;

import org.defpi.examples.gridmeter.GridMeterService;
import org.defpi.sdk.Connection;

/** One receiver of the grid's power: the meter's details on connect, then each step's sum. */
public class ObservationsV1ConnectionHandlerImpl implements ObservationsV1ConnectionHandler {
  private final Connection connection;
  private final GridMeterService service;

  public ObservationsV1ConnectionHandlerImpl(Connection connection, GridMeterService service) {
    this.connection = connection;
    this.service = service;
    service.observerConnected(connection);
  }

  @Override
  public void terminated() {
    service.observerDisconnected(connection);
  }
}
