package org.defpi.examples.powermeter;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import org.defpi.sdk.DefPiParameters;
import org.defpi.sdk.InvalidStateException;
import org.defpi.sdk.Service;
import org.defpi.sdk.ServiceState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A meter that reports a constant power to every process it is connected to, {@code count}
 * measurements each, numbered 1, 2, … per receiving process. The numbering survives a move or an
 * upgrade: {@link #suspend} saves the last number sent to each receiver, {@link #resumeFrom} goes
 * on from there. A container that simply restarts (no suspend) starts again at 1.
 */
public class PowerMeterService implements Service<PowerMeterConfiguration> {
  private static final Logger LOG = LoggerFactory.getLogger(PowerMeterService.class);
  static final String SERVICE_ID = "power-meter";
  /** The payload type of the saved state: the last sequence per receiver as a properties text. */
  static final String STATE_TYPE = "text/x-java-properties;sequences";

  private volatile PowerMeterConfiguration configuration;
  // Guarded by itself; suspend() takes it too, so no number is handed out after the state was saved.
  private final Map<String, Integer> lastSent = new HashMap<>();
  private boolean suspended;

  @Override
  public void init(PowerMeterConfiguration config, DefPiParameters parameters) {
    this.configuration = config;
    LOG.info("power meter {} started: {}", parameters.processId(), config);
  }

  @Override
  public void modify(PowerMeterConfiguration config) {
    this.configuration = config;
    LOG.info("power meter reconfigured: {}", config);
  }

  /** The configuration in force; connections are only made after {@link #init}. */
  public PowerMeterConfiguration configuration() {
    return configuration;
  }

  /**
   * Runs {@code send} with the next sequence number for {@code receiver}, waiting while the meter
   * is suspended; empty when all {@code count} were sent. The number is taken and sent as one step,
   * so the state {@link #suspend} saves never counts a measurement that was not handed to the
   * connection.
   */
  public OptionalInt sendNext(String receiver, int count, java.util.function.IntConsumer send)
      throws InterruptedException {
    synchronized (lastSent) {
      while (suspended) {
        lastSent.wait();
      }
      int next = lastSent.getOrDefault(receiver, 0) + 1;
      if (next > count) {
        return OptionalInt.empty();
      }
      send.accept(next);
      lastSent.put(receiver, next);
      return OptionalInt.of(next);
    }
  }

  @Override
  public byte[] suspend() {
    Properties sequences = new Properties();
    synchronized (lastSent) {
      suspended = true;
      lastSent.forEach((receiver, n) -> sequences.setProperty(receiver, Integer.toString(n)));
    }
    StringWriter text = new StringWriter();
    try {
      sequences.store(text, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    LOG.info("suspended after sequences {}", sequences);
    return ServiceState.of(SERVICE_ID, version(), STATE_TYPE, text.toString().getBytes(StandardCharsets.UTF_8))
        .toBytes();
  }

  @Override
  public void resumeFrom(byte[] saved) throws InvalidStateException {
    Map<String, Integer> restored = new HashMap<>();
    if (saved.length > 0) {
      ServiceState state = ServiceState.parse(saved).requireService(SERVICE_ID);
      if (!STATE_TYPE.equals(state.payloadType())) {
        throw new InvalidStateException("the saved state holds " + state.payloadType() + ", not " + STATE_TYPE);
      }
      Properties sequences = new Properties();
      try {
        sequences.load(new StringReader(new String(state.payload(), StandardCharsets.UTF_8)));
        for (String receiver : sequences.stringPropertyNames()) {
          restored.put(receiver, Integer.parseInt(sequences.getProperty(receiver)));
        }
      } catch (IOException | NumberFormatException e) {
        throw new InvalidStateException("the saved sequences are unreadable: " + e.getMessage());
      }
    }
    synchronized (lastSent) {
      lastSent.putAll(restored);
      suspended = false;
      lastSent.notifyAll();
    }
    LOG.info("resumed with sequences {}", restored);
  }

  private static String version() {
    String v = PowerMeterService.class.getPackage().getImplementationVersion();
    return v == null ? "unknown" : v;
  }
}
