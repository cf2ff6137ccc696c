package org.defpi.orchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.defpi.wire.service.Parameter;
import org.defpi.wire.service.ParameterType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigurationCheckTest {
  private static Parameter p(String id, ParameterType type, boolean optional, Optional<String> dflt, String... values) {
    return new Parameter(id, id, type, false, optional, List.of(values), List.of(), dflt);
  }

  private static final List<Parameter> PARAMETERS = List.of(
      p("count", ParameterType.INTEGER, false, Optional.of("10")),
      p("label", ParameterType.STRING, false, Optional.empty()),
      p("ratio", ParameterType.DOUBLE, true, Optional.empty()),
      p("on", ParameterType.BOOLEAN, true, Optional.empty()),
      p("mode", ParameterType.STRING, true, Optional.empty(), "fast", "slow"),
      p("letter", ParameterType.CHARACTER, true, Optional.empty()),
      new Parameter("list", "list", ParameterType.INTEGER, true, true, List.of(), List.of(), Optional.empty()));

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("required only", Map.of("label", "x"), List.of()),
        Arguments.of("all given", Map.of("label", "x", "count", "3", "ratio", "0.5", "on", "TRUE", "mode", "slow",
            "letter", "é", "list", "1,2"), List.of()),
        Arguments.of("required missing", Map.of(), List.of("parameter 'label' is required")),
        Arguments.of("unknown key", Map.of("label", "x", "cuont", "3"),
            List.of("unknown key 'cuont' (parameters: [count, label, letter, list, mode, on, ratio])")),
        Arguments.of("not an integer", Map.of("label", "x", "count", "ten"),
            List.of("parameter 'count' is 'ten', not a integer")),
        Arguments.of("integer overflow", Map.of("label", "x", "count", "99999999999"),
            List.of("parameter 'count' is '99999999999', not a integer")),
        Arguments.of("not a boolean", Map.of("label", "x", "on", "yes"), List.of("parameter 'on' is 'yes', not a boolean")),
        Arguments.of("not an allowed value", Map.of("label", "x", "mode", "medium"),
            List.of("parameter 'mode' is 'medium' but must be one of [fast, slow]")),
        Arguments.of("two characters", Map.of("label", "x", "letter", "ab"),
            List.of("parameter 'letter' is 'ab', not a character")),
        Arguments.of("arrays pass unchecked", Map.of("label", "x", "list", "whatever"), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void checksKeysRequiredValuesAndTypes(String name, Map<String, String> config, List<String> problems) {
    assertThat(ConfigurationCheck.problems(PARAMETERS, config)).isEqualTo(problems);
  }
}
