// Written once by defpi-maven-plugin; yours to change, it is never overwritten.
package org.defpi.examples.batteryresourcemanager.frbccontrol;

import org.defpi.examples.batteryresourcemanager.BatteryResourceManagerService;
import org.defpi.examples.batteryresourcemanager.frbccontrol.v1.FRBCControlV1ConnectionHandler;
import org.defpi.examples.batteryresourcemanager.frbccontrol.v1.FRBCControlV1ConnectionHandlerImpl;
import org.defpi.sdk.Connection;

public class FRBCControlConnectionManagerImpl implements FRBCControlConnectionManager {
  private final BatteryResourceManagerService service;

  public FRBCControlConnectionManagerImpl(BatteryResourceManagerService service) {
    this.service = service;
  }

  @Override
  public FRBCControlV1ConnectionHandler buildV1(Connection connection) {
    return new FRBCControlV1ConnectionHandlerImpl(connection, service);
  }
}
