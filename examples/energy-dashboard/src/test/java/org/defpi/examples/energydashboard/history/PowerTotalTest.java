package org.defpi.examples.energydashboard.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PowerTotalTest {
  private static PowerTotal.Value sym(double w) {
    return new PowerTotal.Value(true, w);
  }

  private static PowerTotal.Value phase(double w) {
    return new PowerTotal.Value(false, w);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("no values", List.of(), OptionalDouble.empty()),
        Arguments.of("one symmetric value is the total", List.of(sym(-1500)), OptionalDouble.of(-1500)),
        Arguments.of("phases add up", List.of(phase(100), phase(200), phase(300)), OptionalDouble.of(600)),
        Arguments.of("symmetric wins over phases sent beside it", List.of(phase(100), sym(350), phase(250)),
            OptionalDouble.of(350)),
        Arguments.of("a NaN is skipped", List.of(phase(Double.NaN), phase(5)), OptionalDouble.of(5)),
        Arguments.of("a NaN symmetric value leaves the phases", List.of(sym(Double.NaN), phase(7)),
            OptionalDouble.of(7)),
        Arguments.of("only NaN is nothing", List.of(sym(Double.NaN)), OptionalDouble.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void total(String name, List<PowerTotal.Value> values, OptionalDouble expected) {
    assertThat(PowerTotal.of(values)).isEqualTo(expected);
  }
}
