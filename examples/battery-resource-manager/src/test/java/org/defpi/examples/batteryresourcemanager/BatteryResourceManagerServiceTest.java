package org.defpi.examples.batteryresourcemanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.defpi.examples.batteryresourcemanager.BatteryResourceManagerService.Report;
import org.defpi.examples.batteryresourcemanager.frbccontrol.v1.xml.FRBCInstruction;
import org.defpi.examples.batteryresourcemanager.frbccontrol.v1.xml.FRBCSystemDescription;
import org.defpi.examples.energy.OperationModes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The battery's steps, driven by the test: 10 kWh at 50 %, +5 kW / −4 kW, 90 % each way, fill 10–90 %. */
class BatteryResourceManagerServiceTest {
  private static final long T0 = Instant.parse("2026-06-21T12:00:00Z").toEpochMilli();
  private static final long MINUTE = 60_000L;
  private final BatteryResourceManagerService battery =
      new BatteryResourceManagerService(Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC));

  @BeforeEach
  void configure() {
    battery.configure(config(0.5), "battery-1");
  }

  private static BatteryResourceManagerConfigurationBinder.Values config(double initialFill) {
    return new BatteryResourceManagerConfigurationBinder.Values("2026-06-21T12:00:00Z", Optional.empty(), 720, 42, 60,
        10_000, initialFill, 5000, 4000, 0.9, 0.1, 0.9);
  }

  private static FRBCInstruction instruction(String mode, double factor, long from) {
    FRBCInstruction instruction = new FRBCInstruction();
    instruction.setId("i-" + from);
    instruction.setExecutionTime(from);
    instruction.setOperationModeId(mode);
    instruction.setOperationModeFactor(factor);
    return instruction;
  }

  @Test
  void idlesWithoutAnInstruction() {
    assertThat(battery.run(T0)).isEqualTo(new Report(T0, 5000, 0, new OperationModes.Choice("idle", 0)));
    assertThat(battery.run(T0 + MINUTE).energyWattHours()).isEqualTo(5000);
  }

  @Test
  void followsAnInstructionFromItsExecutionTime() {
    battery.instruct(instruction("charge", 0.5, T0 + MINUTE));
    assertThat(battery.run(T0).watts()).isZero();
    Report charging = battery.run(T0 + MINUTE);
    assertThat(charging.watts()).isEqualTo(2500);
    assertThat(charging.mode().modeId()).isEqualTo("charge");
    assertThat(battery.run(T0 + 2 * MINUTE).energyWattHours()).isCloseTo(5000 + 2500.0 / 60 * 0.9, within(1e-9));
  }

  @Test
  void anInstructionSentAheadDoesNotCutTheOneInForce() {
    battery.instruct(instruction("charge", 1, T0));
    battery.instruct(instruction("discharge", 1, T0 + 2 * MINUTE));
    assertThat(battery.run(T0).watts()).isEqualTo(5000);
    assertThat(battery.run(T0 + MINUTE).watts()).isEqualTo(5000);
    assertThat(battery.run(T0 + 2 * MINUTE).watts()).isZero(); // discharge at factor 1 is 0 W
    assertThat(battery.instruction()).hasValueSatisfying(i -> assertThat(i.choice().modeId()).isEqualTo("discharge"));
  }

  @Test
  void dischargeRunsFromFullPowerAtFactorZeroToNoneAtOne() {
    battery.instruct(instruction("discharge", 0.25, T0));
    assertThat(battery.run(T0).watts()).isEqualTo(-3000);
    assertThat(battery.run(T0 + MINUTE).energyWattHours()).isCloseTo(5000 - 3000.0 / 60 / 0.9, within(1e-9));
  }

  @Test
  void stopsAtItsFillLimits() {
    battery.configure(config(0.9), "battery-1");
    battery.instruct(instruction("charge", 1, T0));
    assertThat(battery.run(T0).watts()).isZero();
    assertThat(battery.run(T0 + MINUTE).energyWattHours()).isEqualTo(9000);
  }

  @Test
  void aSkippedStepRunsOnAtTheLastPower() {
    battery.instruct(instruction("charge", 0.5, T0));
    battery.run(T0);
    assertThat(battery.run(T0 + 3 * MINUTE).energyWattHours()).isCloseTo(5000 + 3 * 2500.0 / 60 * 0.9, within(1e-9));
  }

  @Test
  void idlesAgainWhenTheEnergyManagerIsGone() {
    battery.instruct(instruction("charge", 1, T0));
    battery.forgetInstructions();
    assertThat(battery.run(T0).watts()).isZero();
  }

  @Test
  void describesItsModes() {
    FRBCSystemDescription description = BatteryResourceManagerService.systemDescription(battery.setup(config(0.5)), T0);
    assertThat(description.getCapacityWattHours()).isEqualTo(10_000);
    assertThat(description.getOperationMode()).extracting(m -> m.getId() + " " + m.getMinWatts() + ".." + m.getMaxWatts())
        .containsExactly("charge 0.0..5000.0", "discharge -4000.0..0.0", "idle 0.0..0.0");
  }

  @Test
  void everyServiceDefaultIsTheSimulationsDefault() throws Exception {
    BatteryResourceManagerConfiguration c = new BatteryResourceManagerConfigurationBinder().bind(java.util.Map.of());
    assertThat(battery.setup(c).battery()).isEqualTo(org.defpi.examples.energy.Defaults.battery());
    assertThat(c.getInitialFillLevel()).isEqualTo(org.defpi.examples.energy.Defaults.INITIAL_FILL_LEVEL);
    assertThat(c.getSimulationStart()).isEqualTo(org.defpi.examples.energy.Defaults.SIMULATION_START);
  }
}
