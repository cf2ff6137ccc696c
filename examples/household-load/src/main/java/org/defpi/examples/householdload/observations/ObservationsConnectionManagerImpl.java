// Written once by defpi-maven-plugin; yours to change, it is never overwritten.
package org.defpi.examples.householdload.observations;

import org.defpi.examples.householdload.HouseholdLoadService;
import org.defpi.examples.householdload.observations.v1.ObservationsV1ConnectionHandler;
import org.defpi.examples.householdload.observations.v1.ObservationsV1ConnectionHandlerImpl;
import org.defpi.sdk.Connection;

public class ObservationsConnectionManagerImpl implements ObservationsConnectionManager {
  private final HouseholdLoadService service;

  public ObservationsConnectionManagerImpl(HouseholdLoadService service) {
    this.service = service;
  }

  @Override
  public ObservationsV1ConnectionHandler buildV1(Connection connection) {
    return new ObservationsV1ConnectionHandlerImpl(connection, service);
  }
}
