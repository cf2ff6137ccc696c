package org.defpi.examples.gridmeter.resourceobservations.v1;

import org.defpi.examples.gridmeter.GridMeterService;
import org.defpi.examples.gridmeter.resourceobservations.v1.proto.ResourceObservationsV1Proto;
import org.defpi.sdk.Connection;

/** One resource behind the meter: its measured power counts in the sum; the rest it sends is not metered. */
public class ResourceObservationsV1ConnectionHandlerImpl implements ResourceObservationsV1ConnectionHandler {
  private final Connection connection;
  private final GridMeterService service;

  public ResourceObservationsV1ConnectionHandlerImpl(Connection connection, GridMeterService service) {
    this.connection = connection;
    this.service = service;
    service.resourceConnected(connection);
  }

  @Override
  public void handlePowerMeasurement(ResourceObservationsV1Proto.PowerMeasurement message) {
    double watts = message.getValuesList().stream().mapToDouble(ResourceObservationsV1Proto.PowerValue::getWatts).sum();
    service.measured(connection, message.getMeasurementTimestamp(), watts);
  }

  @Override
  public void handlePowerForecast(ResourceObservationsV1Proto.PowerForecast message) {}

  @Override
  public void handleResourceManagerDetails(ResourceObservationsV1Proto.ResourceManagerDetails message) {}

  @Override
  public void handleStorageStatus(ResourceObservationsV1Proto.StorageStatus message) {}

  @Override
  public void terminated() {
    service.resourceDisconnected(connection);
  }
}
