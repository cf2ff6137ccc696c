// Written once by defpi-maven-plugin; yours to change, it is never overwritten.
package org.defpi.examples.powermeter.powermeasurement;

import org.defpi.examples.powermeter.PowerMeterService;
import org.defpi.examples.powermeter.powermeasurement.v1.PowerMeasurementV1ConnectionHandler;
import org.defpi.examples.powermeter.powermeasurement.v1.PowerMeasurementV1ConnectionHandlerImpl;
import org.defpi.sdk.Connection;

public class PowerMeasurementConnectionManagerImpl implements PowerMeasurementConnectionManager {
  private final PowerMeterService service;

  public PowerMeasurementConnectionManagerImpl(PowerMeterService service) {
    this.service = service;
  }

  @Override
  public PowerMeasurementV1ConnectionHandler buildV1(Connection connection) {
    return new PowerMeasurementV1ConnectionHandlerImpl(connection, service);
  }
}
