// Written once by defpi-maven-plugin; yours to change, it is never overwritten.
package org.defpi.examples.gridmeter.resourceobservations;

import org.defpi.examples.gridmeter.GridMeterService;
import org.defpi.examples.gridmeter.resourceobservations.v1.ResourceObservationsV1ConnectionHandler;
import org.defpi.examples.gridmeter.resourceobservations.v1.ResourceObservationsV1ConnectionHandlerImpl;
import org.defpi.sdk.Connection;

public class ResourceObservationsConnectionManagerImpl implements ResourceObservationsConnectionManager {
  private final GridMeterService service;

  public ResourceObservationsConnectionManagerImpl(GridMeterService service) {
    this.service = service;
  }

  @Override
  public ResourceObservationsV1ConnectionHandler buildV1(Connection connection) {
    return new ResourceObservationsV1ConnectionHandlerImpl(connection, service);
  }
}
