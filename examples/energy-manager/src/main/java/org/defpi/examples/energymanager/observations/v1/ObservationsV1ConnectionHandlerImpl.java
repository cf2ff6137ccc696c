package org.defpi.examples.energymanager.observations.v1;

import java.util.ArrayList;
import java.util.List;
import org.defpi.examples.energy.Forecast;
import org.defpi.examples.energymanager.EnergyManagerService;
import org.defpi.examples.energymanager.EnergyManagerService.Role;
import org.defpi.examples.energymanager.observations.v1.proto.ObservationsV1Proto;
import org.defpi.examples.energymanager.observations.v1.proto.ObservationsV1Proto.PowerForecastElement;
import org.defpi.examples.energymanager.observations.v1.proto.ObservationsV1Proto.PowerForecastValue;
import org.defpi.examples.energymanager.observations.v1.proto.ObservationsV1Proto.PowerValue;
import org.defpi.examples.energymanager.observations.v1.proto.ObservationsV1Proto.RoleType;
import org.defpi.sdk.Connection;

/**
 * One observed resource: the grid meter (whose power the manager steers by), or a producer or
 * consumer (whose forecasts it plans with). A battery's own observations are not needed: FRBC
 * Control carries them.
 */
public class ObservationsV1ConnectionHandlerImpl implements ObservationsV1ConnectionHandler {
  private final Connection connection;
  private final EnergyManagerService service;

  public ObservationsV1ConnectionHandlerImpl(Connection connection, EnergyManagerService service) {
    this.connection = connection;
    this.service = service;
  }

  @Override
  public void handleResourceManagerDetails(ObservationsV1Proto.ResourceManagerDetails message) {
    List<RoleType> roles = message.getRolesList();
    Role role = roles.contains(RoleType.GRID_CONNECTION) ? Role.GRID
        : roles.contains(RoleType.ENERGY_STORAGE) ? Role.STORAGE : Role.FORECASTER;
    service.details(connection, role);
  }

  @Override
  public void handlePowerMeasurement(ObservationsV1Proto.PowerMeasurement message) {
    double watts = message.getValuesList().stream().mapToDouble(PowerValue::getWatts).sum();
    service.measured(connection, message.getMeasurementTimestamp(), watts);
  }

  @Override
  public void handlePowerForecast(ObservationsV1Proto.PowerForecast message) {
    List<Forecast.Element> elements = new ArrayList<>();
    for (PowerForecastElement e : message.getElementsList()) {
      elements.add(new Forecast.Element(e.getDurationMillis(),
          e.getValuesList().stream().mapToDouble(PowerForecastValue::getExpectedWatts).sum()));
    }
    service.forecast(connection, new Forecast(message.getStartTime(), elements));
  }

  @Override
  public void handleStorageStatus(ObservationsV1Proto.StorageStatus message) {}

  @Override
  public void terminated() {
    service.observerGone(connection);
  }
}
