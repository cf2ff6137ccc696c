package org.defpi.examples.powerlogger.powermeasurement.v1;

import org.defpi.examples.powerlogger.PowerLoggerService;
import org.defpi.examples.powerlogger.powermeasurement.v1.proto.PowerMeasurementV1Proto.PowerMeasurement;
import org.defpi.sdk.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each measurement with a running count, which is what the end-to-end test reads. */
public class PowerMeasurementV1ConnectionHandlerImpl implements PowerMeasurementV1ConnectionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PowerMeasurementV1ConnectionHandlerImpl.class);

  private final Connection connection;
  // The SDK calls one handler's methods one at a time, so a plain field is enough.
  private int received;

  public PowerMeasurementV1ConnectionHandlerImpl(Connection connection, PowerLoggerService service) {
    this.connection = connection;
  }

  @Override
  public void handlePowerMeasurement(PowerMeasurement message) {
    received++;
    LOG.info("received {} PowerMeasurement from {}: {} W (sequence {})",
        received, connection.remoteProcessId(), message.getWatts(), message.getSequence());
  }

  @Override
  public void terminated() {
    LOG.info("connection {} terminated after {} measurements", connection.connectionId(), received);
  }
}
