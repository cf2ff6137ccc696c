package org.defpi.examples.energydashboard;

import org.defpi.examples.energydashboard.history.Limits;

/** What the configuration sets for the page: its title, the grid limits and the span it plots. */
public record DashboardSettings(String title, Limits limits, int historyHours, int httpPort) {
  public static final String DEFAULT_TITLE = "Energy Dashboard";

  public DashboardSettings {
    if (historyHours < 1) {
      throw new IllegalArgumentException("historyHours must be at least 1, is " + historyHours);
    }
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("httpPort must be a port number (0 for any free one), is " + httpPort);
    }
    title = title == null || title.isBlank() ? DEFAULT_TITLE : title.strip();
  }

  public static DashboardSettings of(EnergyDashboardConfiguration config) {
    return new DashboardSettings(config.getTitle().orElse(DEFAULT_TITLE),
        new Limits(config.getImportLimitWatts(), config.getExportLimitWatts()), config.getHistoryHours(),
        config.getHttpPort());
  }
}
