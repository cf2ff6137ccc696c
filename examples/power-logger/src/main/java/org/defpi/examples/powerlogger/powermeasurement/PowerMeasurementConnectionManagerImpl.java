// Written once by defpi-maven-plugin; yours to change, it is never overwritten.
package org.defpi.examples.powerlogger.powermeasurement;

import org.defpi.examples.powerlogger.PowerLoggerService;
import org.defpi.examples.powerlogger.powermeasurement.v1.PowerMeasurementV1ConnectionHandler;
import org.defpi.examples.powerlogger.powermeasurement.v1.PowerMeasurementV1ConnectionHandlerImpl;
import org.defpi.sdk.Connection;

public class PowerMeasurementConnectionManagerImpl implements PowerMeasurementConnectionManager {
  private final PowerLoggerService service;

  public PowerMeasurementConnectionManagerImpl(PowerLoggerService service) {
    this.service = service;
  }

  @Override
  public PowerMeasurementV1ConnectionHandler buildV1(Connection connection) {
    return new PowerMeasurementV1ConnectionHandlerImpl(connection, service);
  }
}
