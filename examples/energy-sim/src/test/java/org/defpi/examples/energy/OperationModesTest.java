package org.defpi.examples.energy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperationModesTest {
  private static final Battery BATTERY = new Battery(10_000, 5000, 4000, 0.9, 0.8, 0.1, 0.9);
  private static final List<OperationModes.Mode> MODES = OperationModes.of(BATTERY);

  @ParameterizedTest
  @CsvSource({
      // watts, mode, factor (discharge runs from −4000 W at 0 to 0 W at 1)
      "2500,   charge,    0.5",
      "5000,   charge,    1",
      "9000,   charge,    1",
      "0,      idle,      0",
      "-4000,  discharge, 0",
      "-1000,  discharge, 0.75",
      "-9000,  discharge, 0"})
  void choosesTheModeAndFactorForAPower(double watts, String mode, double factor) {
    OperationModes.Choice choice = OperationModes.choose(MODES, watts);
    assertThat(choice.modeId()).isEqualTo(mode);
    assertThat(choice.factor()).isCloseTo(factor, within(1e-9));
    assertThat(OperationModes.watts(MODES, mode, factor)).isCloseTo(Math.clamp(watts, -4000, 5000), within(1e-9));
  }

  @ParameterizedTest
  @CsvSource({"unknown, 0.5, 0", "charge, 2, 5000", "discharge, -1, -4000"})
  void anUnknownModeIdlesAndFactorsAreClamped(String mode, double factor, double watts) {
    assertThat(OperationModes.watts(MODES, mode, factor)).isEqualTo(watts);
  }

  @ParameterizedTest
  @CsvSource({"0.1, 0.9"})
  void theModesDescribeTheBattery(double min, double max) {
    assertThat(OperationModes.battery(10_000, min, max, MODES)).isEqualTo(BATTERY);
  }
}
