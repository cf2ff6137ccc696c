package org.defpi.examples.energydashboard;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.defpi.examples.energydashboard.history.History;
import org.defpi.examples.energydashboard.history.Limits;
import org.defpi.examples.energydashboard.history.SeriesView;
import org.defpi.examples.energydashboard.web.DashboardServer;
import org.defpi.sdk.DefPiParameters;
import org.defpi.sdk.InvalidStateException;
import org.defpi.sdk.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plots, live in the browser, what the resources it is connected to observe: grid power against
 * the limits, PV, load and the battery's state of charge. The connection handlers write into one
 * {@link History}; a {@link DashboardServer} on {@code httpPort} shows it. The history survives a
 * move or upgrade: {@link #suspend} saves it, {@link #resumeFrom} restores it.
 */
public class EnergyDashboardService implements Service<EnergyDashboardConfiguration> {
  private static final Logger LOG = LoggerFactory.getLogger(EnergyDashboardService.class);
  static final String SERVICE_ID = "energy-dashboard";

  private final History history = History.ofHours(24);
  private volatile DashboardSettings settings =
      new DashboardSettings(DashboardSettings.DEFAULT_TITLE, new Limits(5000, 4000), 24, 8080);
  // Set by the lifecycle methods, which run one at a time; read by port() from other threads too.
  private volatile DashboardServer server;

  @Override
  public void init(EnergyDashboardConfiguration config, DefPiParameters parameters) throws IOException {
    apply(DashboardSettings.of(config));
    LOG.info("energy dashboard {} started: {}", parameters.processId(), settings);
  }

  @Override
  public void modify(EnergyDashboardConfiguration config) throws IOException {
    apply(DashboardSettings.of(config));
    LOG.info("energy dashboard reconfigured: {}", settings);
  }

  /**
   * Puts {@code next} in force: the page shows new limits and title at its next update, a new
   * window prunes the history, a new port rebinds the server (the old one closes once the new one
   * listens, so a port that cannot be bound leaves the dashboard where it was).
   */
  void apply(DashboardSettings next) throws IOException {
    DashboardServer old = server;
    if (old == null || settings.httpPort() != next.httpPort()) {
      try {
        server = DashboardServer.start(next.httpPort(), history, () -> settings);
      } catch (IOException e) {
        throw new IOException("cannot listen on port " + next.httpPort() + ": " + e.getMessage(), e);
      }
      if (old != null) {
        old.close();
      }
    }
    settings = next;
    history.window(Duration.ofHours(next.historyHours())); // also wakes the pages' streams
  }

  /** What the connection handlers write into. */
  public History history() {
    return history;
  }

  /** The settings in force. */
  public DashboardSettings settings() {
    return settings;
  }

  /** The port the dashboard listens on, once started. */
  public int port() {
    if (server == null) {
      throw new IllegalStateException("the dashboard is not started yet");
    }
    return server.port();
  }

  @Override
  public byte[] suspend() {
    var series = history.snapshot(settings.limits()).series();
    LOG.info("suspended with {} series", series.size());
    return SavedHistory.save(SERVICE_ID, version(), series);
  }

  @Override
  public void resumeFrom(byte[] saved) throws InvalidStateException {
    if (saved.length == 0) {
      return; // suspended by a build that saved nothing
    }
    List<SeriesView> series = SavedHistory.load(SERVICE_ID, saved);
    history.restore(series);
    LOG.info("resumed with {} series", series.size());
  }

  @Override
  public void terminate() {
    if (server != null) {
      server.close();
    }
  }

  private static String version() {
    String v = EnergyDashboardService.class.getPackage().getImplementationVersion();
    return v == null ? "unknown" : v;
  }
}
