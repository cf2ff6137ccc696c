package org.defpi.examples.powermeter.powermeasurement.v1;

import java.util.OptionalInt;
import org.defpi.examples.powermeter.PowerMeterConfiguration;
import org.defpi.examples.powermeter.PowerMeterService;
import org.defpi.examples.powermeter.powermeasurement.v1.proto.PowerMeasurementV1Proto.PowerMeasurement;
import org.defpi.sdk.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends measurements on its connection, one every {@code intervalMillis}, until the service has
 * sent {@code count} to the process at the other end (see {@link PowerMeterService#sendNext}).
 * Sending may start before the connection is up: the SDK buffers until it is connected.
 */
public class PowerMeasurementV1ConnectionHandlerImpl implements PowerMeasurementV1ConnectionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PowerMeasurementV1ConnectionHandlerImpl.class);

  private final Thread sender;

  public PowerMeasurementV1ConnectionHandlerImpl(Connection connection, PowerMeterService service) {
    String receiver = connection.remoteProcessId();
    this.sender = Thread.ofVirtual().name("meter-" + connection.connectionId()).start(() -> {
      try {
        while (true) {
          PowerMeterConfiguration config = service.configuration();
          OptionalInt sent = service.sendNext(receiver, config.getCount(), sequence ->
              connection.send(PowerMeasurement.newBuilder()
                  .setTimestampMillis(System.currentTimeMillis())
                  .setWatts(config.getWatts())
                  .setSequence(sequence)
                  .build()));
          if (sent.isEmpty()) {
            break;
          }
          Thread.sleep(config.getIntervalMillis());
        }
        LOG.info("sent all measurements to {}", receiver);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IllegalStateException e) {
        LOG.info("stopped sending to {}: {}", receiver, e.getMessage());
      }
    });
  }

  @Override
  public void terminated() {
    sender.interrupt();
  }
}
