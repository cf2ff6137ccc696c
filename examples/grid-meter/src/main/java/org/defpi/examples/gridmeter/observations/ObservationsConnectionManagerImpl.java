// Written once by defpi-maven-plugin; yours to change, it is never overwritten.
package org.defpi.examples.gridmeter.observations;

import org.defpi.examples.gridmeter.GridMeterService;
import org.defpi.examples.gridmeter.observations.v1.ObservationsV1ConnectionHandler;
import org.defpi.examples.gridmeter.observations.v1.ObservationsV1ConnectionHandlerImpl;
import org.defpi.sdk.Connection;

public class ObservationsConnectionManagerImpl implements ObservationsConnectionManager {
  private final GridMeterService service;

  public ObservationsConnectionManagerImpl(GridMeterService service) {
    this.service = service;
  }

  @Override
  public ObservationsV1ConnectionHandler buildV1(Connection connection) {
    return new ObservationsV1ConnectionHandlerImpl(connection, service);
  }
}
