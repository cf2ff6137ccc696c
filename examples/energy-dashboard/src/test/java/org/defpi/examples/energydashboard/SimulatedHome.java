package org.defpi.examples.energydashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.defpi.examples.energydashboard.observations.ObservationsConnectionManagerImpl;
import org.defpi.examples.energydashboard.observations.v1.ObservationsV1ConnectionHandler;
import org.defpi.examples.energydashboard.observations.v1.proto.ObservationsV1Proto.CommodityQuantity;
import org.defpi.examples.energydashboard.observations.v1.proto.ObservationsV1Proto.PowerForecast;
import org.defpi.examples.energydashboard.observations.v1.proto.ObservationsV1Proto.PowerForecastElement;
import org.defpi.examples.energydashboard.observations.v1.proto.ObservationsV1Proto.PowerForecastValue;
import org.defpi.examples.energydashboard.observations.v1.proto.ObservationsV1Proto.PowerMeasurement;
import org.defpi.examples.energydashboard.observations.v1.proto.ObservationsV1Proto.PowerValue;
import org.defpi.examples.energydashboard.observations.v1.proto.ObservationsV1Proto.ResourceManagerDetails;
import org.defpi.examples.energydashboard.observations.v1.proto.ObservationsV1Proto.RoleType;
import org.defpi.examples.energydashboard.observations.v1.proto.ObservationsV1Proto.StorageStatus;
import org.defpi.sdk.MessageCodec;
import org.defpi.wire.message.UnknownMessageException;

/**
 * A home of four resources (PV, load, battery, grid meter) sending to a dashboard one simulated
 * minute at a time, as the demo's simulation services do. Every message goes through the
 * interface's codec (encoded, then decoded) and the generated dispatch, so the handlers get what
 * the SDK would hand them. The numbers are made so that the battery fills up at noon and the grid
 * then exports beyond 4 kW, and the evening load imports beyond 5 kW.
 */
public final class SimulatedHome {
  public static final long MINUTE = 60_000;
  public static final long DAY = Instant.parse("2026-06-21T00:00:00Z").toEpochMilli();
  private static final MessageCodec CODEC = ObservationsV1ConnectionHandler.codec();
  private static final double CAPACITY_WH = 10_000;

  private final ObservationsV1ConnectionHandler pv;
  private final ObservationsV1ConnectionHandler load;
  private final ObservationsV1ConnectionHandler battery;
  private final ObservationsV1ConnectionHandler grid;
  private double energyWh = 2_000;
  private long minute;
  /** Every grid power sent, in order, to check the dashboard's figures against. */
  public final List<Double> gridWatts = new ArrayList<>();

  public SimulatedHome(EnergyDashboardService dashboard) {
    ObservationsConnectionManagerImpl manager = new ObservationsConnectionManagerImpl(dashboard);
    pv = manager.buildV1(new FakeConnection("c-pv", "pv-roof"));
    load = manager.buildV1(new FakeConnection("c-load", "household"));
    battery = manager.buildV1(new FakeConnection("c-battery", "home-battery"));
    grid = manager.buildV1(new FakeConnection("c-grid", "grid-meter"));
    deliver(pv, details("pv-roof", "PV roof south", RoleType.ENERGY_PRODUCER));
    deliver(load, details("household", "Household", RoleType.ENERGY_CONSUMER));
    deliver(battery, details("home-battery", "Home battery", RoleType.ENERGY_STORAGE));
    deliver(grid, details("grid-meter", "Grid connection", RoleType.GRID_CONNECTION));
    deliver(pv, PowerForecast.newBuilder().setStartTime(DAY).addElements(PowerForecastElement.newBuilder()
        .setDurationMillis(60 * MINUTE).addValues(PowerForecastValue.newBuilder()
            .setCommodityQuantity(CommodityQuantity.ELECTRIC_POWER_3_PHASE_SYMMETRIC).setExpectedWatts(-100)))
        .build());
  }

  public ObservationsV1ConnectionHandler handler(String which) {
    return switch (which) {
      case "pv" -> pv;
      case "load" -> load;
      case "battery" -> battery;
      default -> grid;
    };
  }

  /** The simulated time of the next step. */
  public long now() {
    return DAY + minute * MINUTE;
  }

  /** Sends {@code minutes} steps. */
  public void run(int minutes) {
    for (int i = 0; i < minutes; i++) {
      step();
    }
  }

  private void step() {
    long t = now();
    double hour = minute / 60.0 % 24;
    double pvWatts = -Math.max(0, 8000 * Math.sin(Math.PI * (hour - 6) / 12));
    double loadWatts = 350 + 250 * Math.sin(minute / 7.0) * Math.sin(minute / 31.0)
        + (hour >= 18 && hour < 19.5 ? 5600 : 0) + (hour >= 7 && hour < 8 ? 1800 : 0);
    double surplus = -(pvWatts + loadWatts); // what would go out to the grid
    double batteryWatts = surplus > 0 ? Math.min(surplus, Math.min(3000, (CAPACITY_WH - energyWh) * 60))
        : -Math.min(-surplus, Math.min(3000, energyWh * 60));
    energyWh += batteryWatts / 60;
    double gridPower = pvWatts + loadWatts + batteryWatts;
    gridWatts.add(gridPower);
    deliver(pv, measurement(t, pvWatts));
    deliver(load, measurement(t, loadWatts));
    deliver(battery, measurement(t, batteryWatts));
    deliver(battery, StorageStatus.newBuilder().setTimestamp(t).setPresentFillLevel(energyWh / CAPACITY_WH)
        .setEnergyWattHours(energyWh).setCapacityWattHours(CAPACITY_WH).build());
    deliver(grid, measurement(t, gridPower));
    minute++;
  }

  private static ResourceManagerDetails details(String id, String name, RoleType role) {
    return ResourceManagerDetails.newBuilder().setResourceId(id).setName(name).addRoles(role).build();
  }

  private static PowerMeasurement measurement(long t, double watts) {
    return PowerMeasurement.newBuilder().setMeasurementTimestamp(t).addValues(PowerValue.newBuilder()
        .setCommodityQuantity(CommodityQuantity.ELECTRIC_POWER_3_PHASE_SYMMETRIC).setWatts(watts)).build();
  }

  /** Hands {@code message} to {@code handler} as the SDK would: through the codec and dispatch. */
  public static void deliver(ObservationsV1ConnectionHandler handler, Object message) {
    try {
      ObservationsV1ConnectionHandler.dispatch(handler, CODEC.decode(CODEC.encode(message)));
    } catch (UnknownMessageException e) {
      throw new AssertionError(e);
    }
  }
}
