package org.defpi.examples.energydashboard;

import java.util.Optional;
import org.defpi.sdk.DefPiParameters;

/** Starts dashboards for tests, on a free port unless told otherwise. */
public final class Dashboards {
  private Dashboards() {}

  public static EnergyDashboardConfigurationBinder.Values config(int port, String title) {
    return new EnergyDashboardConfigurationBinder.Values(5000, 4000, port, 24, Optional.ofNullable(title));
  }

  public static EnergyDashboardService started(EnergyDashboardConfiguration config) throws Exception {
    EnergyDashboardService service = new EnergyDashboardService();
    service.init(config, new DefPiParameters("defpi-orchestrator", 8484, "token", "dashboard-1", "u1", "user", "user@example.org"));
    return service;
  }
}
