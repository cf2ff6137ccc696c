// Written once by defpi-maven-plugin; yours to change, it is never overwritten.
package org.defpi.examples.energymanager.observations;

import org.defpi.examples.energymanager.EnergyManagerService;
import org.defpi.examples.energymanager.observations.v1.ObservationsV1ConnectionHandler;
import org.defpi.examples.energymanager.observations.v1.ObservationsV1ConnectionHandlerImpl;
import org.defpi.sdk.Connection;

public class ObservationsConnectionManagerImpl implements ObservationsConnectionManager {
  private final EnergyManagerService service;

  public ObservationsConnectionManagerImpl(EnergyManagerService service) {
    this.service = service;
  }

  @Override
  public ObservationsV1ConnectionHandler buildV1(Connection connection) {
    return new ObservationsV1ConnectionHandlerImpl(connection, service);
  }
}
