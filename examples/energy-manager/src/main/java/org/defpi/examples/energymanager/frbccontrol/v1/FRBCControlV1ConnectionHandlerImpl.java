package org.defpi.examples.energymanager.frbccontrol.v1;

import java.util.List;
import org.defpi.examples.energy.OperationModes;
import org.defpi.examples.energymanager.EnergyManagerService;
import org.defpi.examples.energymanager.frbccontrol.v1.xml.FRBCActuatorStatus;
import org.defpi.examples.energymanager.frbccontrol.v1.xml.FRBCStorageStatus;
import org.defpi.examples.energymanager.frbccontrol.v1.xml.FRBCSystemDescription;
import org.defpi.sdk.Connection;

/** One battery: its description and statuses in, the manager's instructions out (sent by the service). */
public class FRBCControlV1ConnectionHandlerImpl implements FRBCControlV1ConnectionHandler {
  private final Connection connection;
  private final EnergyManagerService service;

  public FRBCControlV1ConnectionHandlerImpl(Connection connection, EnergyManagerService service) {
    this.connection = connection;
    this.service = service;
    service.batteryConnected(connection);
  }

  @Override
  public void handleFRBCSystemDescription(FRBCSystemDescription message) {
    List<OperationModes.Mode> modes = message.getOperationMode().stream()
        .map(m -> new OperationModes.Mode(m.getId(), m.getLabel(), m.getMinWatts(), m.getMaxWatts(), m.getEfficiency()))
        .toList();
    service.described(connection, message.getCapacityWattHours(), message.getMinFillLevel(),
        message.getMaxFillLevel(), modes);
  }

  @Override
  public void handleFRBCStorageStatus(FRBCStorageStatus message) {
    service.storageStatus(connection, message.getTimestamp(), message.getPresentFillLevel());
  }

  @Override
  public void handleFRBCActuatorStatus(FRBCActuatorStatus message) {
    service.actuatorStatus(connection, message.getTimestamp(), message.getWatts());
  }

  @Override
  public void terminated() {
    service.batteryGone(connection);
  }
}
