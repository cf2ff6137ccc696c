package org.defpi.examples.energydashboard;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.defpi.examples.energydashboard.history.SeriesView;
import org.defpi.examples.energydashboard.web.Json;
import org.defpi.sdk.InvalidStateException;
import org.defpi.sdk.ServiceState;

/**
 * The history as saved state (suspend before a move or upgrade, resume after): the series of
 * {@code /series.json}, gzipped JSON, in a {@link ServiceState} envelope. A day of five series at
 * one sample a minute is some 70 kB.
 */
final class SavedHistory {
  static final String PAYLOAD_TYPE = "application/json+gzip;energy-dashboard-series;v=1";
  private static final TypeReference<List<SeriesView>> SERIES = new TypeReference<>() {};

  private SavedHistory() {}

  static byte[] save(String serviceId, String serviceVersion, List<SeriesView> series) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      Json.mapper().writeValue(gzip, series);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory: does not fail
    }
    return ServiceState.of(serviceId, serviceVersion, PAYLOAD_TYPE, bytes.toByteArray()).toBytes();
  }

  /** The saved series; refuses another service's state, another payload, or unreadable bytes. */
  static List<SeriesView> load(String serviceId, byte[] saved) throws InvalidStateException {
    ServiceState state = ServiceState.parse(saved).requireService(serviceId);
    if (!PAYLOAD_TYPE.equals(state.payloadType())) {
      throw new InvalidStateException("the saved state holds " + state.payloadType() + ", not " + PAYLOAD_TYPE);
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(state.payload()))) {
      return Json.mapper().readValue(in, SERIES);
    } catch (IOException | RuntimeException e) {
      throw new InvalidStateException("the saved history is unreadable: " + e.getMessage());
    }
  }
}
