// Written once by defpi-maven-plugin; yours to change, it is never overwritten.
package org.defpi.examples.energymanager.frbccontrol;

import org.defpi.examples.energymanager.EnergyManagerService;
import org.defpi.examples.energymanager.frbccontrol.v1.FRBCControlV1ConnectionHandler;
import org.defpi.examples.energymanager.frbccontrol.v1.FRBCControlV1ConnectionHandlerImpl;
import org.defpi.sdk.Connection;

public class FRBCControlConnectionManagerImpl implements FRBCControlConnectionManager {
  private final EnergyManagerService service;

  public FRBCControlConnectionManagerImpl(EnergyManagerService service) {
    this.service = service;
  }

  @Override
  public FRBCControlV1ConnectionHandler buildV1(Connection connection) {
    return new FRBCControlV1ConnectionHandlerImpl(connection, service);
  }
}
