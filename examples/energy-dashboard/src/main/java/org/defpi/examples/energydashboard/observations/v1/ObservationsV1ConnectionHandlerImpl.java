package org.defpi.examples.energydashboard.observations.v1;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.defpi.examples.energydashboard.EnergyDashboardService;
import org.defpi.examples.energydashboard.history.History;
import org.defpi.examples.energydashboard.history.Points;
import org.defpi.examples.energydashboard.history.PowerTotal;
import org.defpi.examples.energydashboard.history.Role;
import org.defpi.examples.energydashboard.observations.v1.proto.ObservationsV1Proto.CommodityQuantity;
import org.defpi.examples.energydashboard.observations.v1.proto.ObservationsV1Proto.PowerForecast;
import org.defpi.examples.energydashboard.observations.v1.proto.ObservationsV1Proto.PowerForecastElement;
import org.defpi.examples.energydashboard.observations.v1.proto.ObservationsV1Proto.PowerMeasurement;
import org.defpi.examples.energydashboard.observations.v1.proto.ObservationsV1Proto.ResourceManagerDetails;
import org.defpi.examples.energydashboard.observations.v1.proto.ObservationsV1Proto.StorageStatus;
import org.defpi.sdk.Connection;

/**
 * Writes what one resource observes into the dashboard's history, under the sender's process id:
 * that is the resource's id (its details say so), and it is known before the details arrive, also
 * on a connection made again after the dashboard moved, where the sender does not repeat them.
 * While the connection is down (interrupted, suspended, terminated) the series shows as stale.
 */
public class ObservationsV1ConnectionHandlerImpl implements ObservationsV1ConnectionHandler {
  private final History history;
  private final String key;
  private boolean attached; // callbacks of one connection run one at a time

  public ObservationsV1ConnectionHandlerImpl(Connection connection, EnergyDashboardService service) {
    this.history = service.history();
    String remote = connection.remoteProcessId();
    this.key = remote == null || remote.isBlank() ? "connection-" + connection.connectionId() : remote;
    attach();
  }

  @Override
  public void handleResourceManagerDetails(ResourceManagerDetails message) {
    List<Role> roles = new ArrayList<>();
    message.getRolesList().forEach(r -> roles.add(Role.valueOf(r.name())));
    history.describe(key, message.getResourceId(), message.getName(), roles,
        message.hasNominalPowerWatts() ? OptionalDouble.of(message.getNominalPowerWatts()) : OptionalDouble.empty());
  }

  @Override
  public void handlePowerMeasurement(PowerMeasurement message) {
    List<PowerTotal.Value> values = new ArrayList<>();
    message.getValuesList().forEach(v -> values.add(new PowerTotal.Value(symmetric(v.getCommodityQuantity()), v.getWatts())));
    PowerTotal.of(values).ifPresent(w -> history.power(key, message.getMeasurementTimestamp(), w));
  }

  @Override
  public void handlePowerForecast(PowerForecast message) {
    List<Points.ForecastStep> steps = new ArrayList<>();
    long start = message.getStartTime();
    for (PowerForecastElement element : message.getElementsList()) {
      List<PowerTotal.Value> values = new ArrayList<>();
      element.getValuesList().forEach(v ->
          values.add(new PowerTotal.Value(symmetric(v.getCommodityQuantity()), v.getExpectedWatts())));
      long at = start;
      PowerTotal.of(values).ifPresent(w -> steps.add(new Points.ForecastStep(at, element.getDurationMillis(), w)));
      start += element.getDurationMillis();
      if (steps.size() >= History.MAX_FORECAST_STEPS) {
        break;
      }
    }
    history.forecast(key, new Points.Forecast(message.getStartTime(), steps));
  }

  @Override
  public void handleStorageStatus(StorageStatus message) {
    history.storage(key, message.getTimestamp(), message.getPresentFillLevel(), message.getEnergyWattHours(),
        message.getCapacityWattHours());
  }

  @Override
  public void onSuspend() {
    detach();
  }

  @Override
  public void resumeAfterSuspend() {
    attach();
  }

  @Override
  public void onInterrupt() {
    detach();
  }

  @Override
  public void resumeAfterInterrupt() {
    attach();
  }

  @Override
  public void terminated() {
    detach();
  }

  private static boolean symmetric(CommodityQuantity quantity) {
    return quantity == CommodityQuantity.ELECTRIC_POWER_3_PHASE_SYMMETRIC;
  }

  private void attach() {
    if (!attached) {
      attached = true;
      history.attach(key);
    }
  }

  private void detach() {
    if (attached) {
      attached = false;
      history.detach(key);
    }
  }
}
