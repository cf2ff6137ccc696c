package org.defpi.examples.powermeter.powermeasurement.v1;

import org.defpi.examples.powermeter.PowerMeterConfiguration;
import org.defpi.examples.powermeter.PowerMeterService;
import org.defpi.examples.powermeter.powermeasurement.v1.proto.PowerMeasurementV1Proto.PowerMeasurement;
import org.defpi.sdk.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code count} measurements on its connection, one every {@code intervalMillis}. Sending may
 * start before the connection is up: the SDK buffers until it is connected.
 */
public class PowerMeasurementV1ConnectionHandlerImpl implements PowerMeasurementV1ConnectionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PowerMeasurementV1ConnectionHandlerImpl.class);

  private final Thread sender;

  public PowerMeasurementV1ConnectionHandlerImpl(Connection connection, PowerMeterService service) {
    PowerMeterConfiguration config = service.configuration();
    this.sender = Thread.ofVirtual().name("meter-" + connection.connectionId()).start(() -> {
      try {
        for (int sequence = 1; sequence <= config.getCount(); sequence++) {
          connection.send(PowerMeasurement.newBuilder()
              .setTimestampMillis(System.currentTimeMillis())
              .setWatts(config.getWatts())
              .setSequence(sequence)
              .build());
          Thread.sleep(config.getIntervalMillis());
        }
        LOG.info("sent {} measurements to {}", config.getCount(), connection.remoteProcessId());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IllegalStateException e) {
        LOG.info("stopped sending to {}: {}", connection.remoteProcessId(), e.getMessage());
      }
    });
  }

  @Override
  public void terminated() {
    sender.interrupt();
  }
}
