package org.defpi.examples.powerlogger.powermeasurement.v1;

import org.defpi.examples.powerlogger.PowerLoggerService;
import org.defpi.examples.powerlogger.powermeasurement.v1.proto.PowerMeasurementV1Proto.PowerMeasurement;
import org.defpi.sdk.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each measurement with the running count from its sender, which is what the end-to-end tests
 * read. The count is the service's, so it goes on across a move or upgrade of the logger.
 */
public class PowerMeasurementV1ConnectionHandlerImpl implements PowerMeasurementV1ConnectionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PowerMeasurementV1ConnectionHandlerImpl.class);

  private final Connection connection;
  private final PowerLoggerService service;

  public PowerMeasurementV1ConnectionHandlerImpl(Connection connection, PowerLoggerService service) {
    this.connection = connection;
    this.service = service;
  }

  @Override
  public void handlePowerMeasurement(PowerMeasurement message) {
    LOG.info("received {} PowerMeasurement from {}: {} W (sequence {})",
        service.count(connection.remoteProcessId()), connection.remoteProcessId(), message.getWatts(),
        message.getSequence());
  }

  @Override
  public void terminated() {
    LOG.info("connection {} with {} terminated", connection.connectionId(), connection.remoteProcessId());
  }
}
