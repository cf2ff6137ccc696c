package org.defpi.examples.powerlogger;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.defpi.sdk.DefPiParameters;
import org.defpi.sdk.InvalidStateException;
import org.defpi.sdk.Service;
import org.defpi.sdk.ServiceState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every power measurement it receives; the work is done by the connection handlers. Keeps a
 * count per sending process, which survives a move or an upgrade: {@link #suspend} saves it and
 * {@link #resumeFrom} restores it, so the count in the log goes on where it stopped.
 */
public class PowerLoggerService implements Service<PowerLoggerConfiguration> {
  private static final Logger LOG = LoggerFactory.getLogger(PowerLoggerService.class);
  static final String SERVICE_ID = "power-logger";
  /** The payload type of the saved state: the counts as a properties text, peer id → count. */
  static final String STATE_TYPE = "text/x-java-properties;counts";

  private final Map<String, Long> received = new ConcurrentHashMap<>();

  @Override
  public void init(PowerLoggerConfiguration config, DefPiParameters parameters) {
    // The build mark tells the versions of this example apart (see the "next" image in its pom).
    LOG.info("power logger {} started (build {})", parameters.processId(), System.getProperty("powerlogger.build", "main"));
  }

  /** Counts one measurement from {@code remoteProcessId}; returns how many came from it so far. */
  public long count(String remoteProcessId) {
    return received.merge(remoteProcessId, 1L, Long::sum);
  }

  @Override
  public byte[] suspend() {
    Properties counts = new Properties();
    received.forEach((peer, n) -> counts.setProperty(peer, Long.toString(n)));
    StringWriter text = new StringWriter();
    try {
      counts.store(text, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    LOG.info("suspended with counts {}", received);
    return ServiceState.of(SERVICE_ID, version(), STATE_TYPE, text.toString().getBytes(StandardCharsets.UTF_8))
        .toBytes();
  }

  @Override
  public void resumeFrom(byte[] saved) throws InvalidStateException {
    if (saved.length == 0) {
      return; // suspended by a build that saved nothing
    }
    ServiceState state = ServiceState.parse(saved).requireService(SERVICE_ID);
    if (!STATE_TYPE.equals(state.payloadType())) {
      throw new InvalidStateException("the saved state holds " + state.payloadType() + ", not " + STATE_TYPE);
    }
    Properties counts = new Properties();
    try {
      counts.load(new StringReader(new String(state.payload(), StandardCharsets.UTF_8)));
      for (String peer : counts.stringPropertyNames()) {
        received.put(peer, Long.parseLong(counts.getProperty(peer)));
      }
    } catch (IOException | NumberFormatException e) {
      throw new InvalidStateException("the saved counts are unreadable: " + e.getMessage());
    }
    LOG.info("resumed with counts {} (saved by version {})", received, state.serviceVersion());
  }

  private static String version() {
    String v = PowerLoggerService.class.getPackage().getImplementationVersion();
    return v == null ? "unknown" : v;
  }
}
