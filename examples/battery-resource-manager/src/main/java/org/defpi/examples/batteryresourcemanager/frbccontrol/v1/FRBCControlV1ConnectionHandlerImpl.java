package org.defpi.examples.batteryresourcemanager.frbccontrol.v1;

import org.defpi.examples.batteryresourcemanager.BatteryResourceManagerService;
import org.defpi.examples.batteryresourcemanager.frbccontrol.v1.xml.FRBCInstruction;
import org.defpi.sdk.Connection;

/** The energy manager's end: gets the system description and each step's status, sends instructions. */
public class FRBCControlV1ConnectionHandlerImpl implements FRBCControlV1ConnectionHandler {
  private final Connection connection;
  private final BatteryResourceManagerService service;

  public FRBCControlV1ConnectionHandlerImpl(Connection connection, BatteryResourceManagerService service) {
    this.connection = connection;
    this.service = service;
    service.controllerConnected(connection);
  }

  @Override
  public void handleFRBCInstruction(FRBCInstruction message) {
    service.instruct(message);
  }

  @Override
  public void terminated() {
    service.controllerDisconnected(connection);
  }
}
