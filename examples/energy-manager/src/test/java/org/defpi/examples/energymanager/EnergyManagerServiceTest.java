package org.defpi.examples.energymanager;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.defpi.examples.energy.Battery;
import org.defpi.examples.energy.Defaults;
import org.defpi.examples.energy.OperationModes;
import org.defpi.examples.energymanager.EnergyManagerService.Role;
import org.defpi.examples.energymanager.frbccontrol.v1.xml.FRBCInstruction;
import org.defpi.sdk.Connection;
import org.defpi.sdk.ConnectionState;
import org.defpi.sdk.DefPiParameters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The manager's bookkeeping around the policy, with fake connections that record what is sent. */
class EnergyManagerServiceTest {
  private static final long T = 1_782_043_200_000L; // 2026-06-21T12:00:00Z
  private static final long MINUTE = 60_000L;

  /** A connection that keeps what is sent on it. */
  record FakeConnection(String connectionId, List<Object> sent) implements Connection {
    FakeConnection(String connectionId) {
      this(connectionId, new CopyOnWriteArrayList<>());
    }

    @Override
    public void send(Object message) {
      sent.add(message);
    }

    @Override
    public ConnectionState state() {
      return ConnectionState.CONNECTED;
    }

    @Override
    public String remoteProcessId() {
      return "peer-" + connectionId;
    }

    @Override
    public String remoteServiceId() {
      return "peer";
    }

    @Override
    public String remoteInterfaceId() {
      return "peer/interface";
    }
  }

  private final EnergyManagerService manager = new EnergyManagerService();
  private final FakeConnection grid = new FakeConnection("grid");
  private final FakeConnection battery = new FakeConnection("battery");

  @BeforeEach
  void connect() throws Exception {
    manager.init(new EnergyManagerConfigurationBinder().bind(Map.of()),
        new DefPiParameters("127.0.0.1", 8484, "token", "cem", "u1", "Demo", "demo@example.org"));
    manager.details(grid, Role.GRID);
    manager.batteryConnected(battery);
    Battery b = Defaults.battery();
    manager.described(battery, b.capacityWattHours(), b.minFillLevel(), b.maxFillLevel(), OperationModes.of(b));
  }

  @Test
  void decidesOnceTheGridAndTheBatteryReportedTheStepInEitherOrder() {
    manager.measured(grid, T - MINUTE, -6000);
    manager.storageStatus(battery, T, 0.5);
    manager.actuatorStatus(battery, T, 0);
    assertThat(battery.sent()).isEmpty(); // the grid's step T is not in yet
    manager.measured(grid, T, -6500);
    assertThat(battery.sent()).singleElement().isInstanceOfSatisfying(FRBCInstruction.class, i -> {
      assertThat(i.getExecutionTime()).isEqualTo(T + MINUTE);
      assertThat(i.getOperationModeId()).isEqualTo("charge");
      assertThat(i.getOperationModeFactor()).isEqualTo(1.0); // 6.5 kW surplus, no forecasts: as much as it can
    });

    manager.measured(grid, T + MINUTE, -1500); // now the grid first, the battery after
    manager.storageStatus(battery, T + MINUTE, 0.51);
    assertThat(battery.sent()).hasSize(1);
    manager.actuatorStatus(battery, T + MINUTE, 5000);
    assertThat(battery.sent()).hasSize(2).last().isInstanceOfSatisfying(FRBCInstruction.class,
        i -> assertThat(i.getExecutionTime()).isEqualTo(T + 2 * MINUTE));
    assertThat(manager.instructionsSent()).isEqualTo(2);
  }

  @Test
  void aMeasurementFromANonGridResourceIsNotTheGrid() {
    FakeConnection pv = new FakeConnection("pv");
    manager.details(pv, Role.FORECASTER);
    manager.storageStatus(battery, T, 0.5);
    manager.actuatorStatus(battery, T, 0);
    manager.measured(pv, T, -6500);
    assertThat(battery.sent()).isEmpty();
  }

  @Test
  void aBatteryThatLeftIsForgotten() {
    manager.batteryGone(battery);
    assertThat(manager.steeredBattery()).isEmpty();
  }

  @Test
  void theDefaultLimitsAreTheSimulationsDefaults() throws Exception {
    EnergyManagerConfiguration c = new EnergyManagerConfigurationBinder().bind(Map.of());
    assertThat(c.getImportLimitWatts()).isEqualTo(Defaults.IMPORT_LIMIT_WATTS);
    assertThat(c.getExportLimitWatts()).isEqualTo(Defaults.EXPORT_LIMIT_WATTS);
    assertThat(c.getUseForecasts()).isTrue();
  }
}
