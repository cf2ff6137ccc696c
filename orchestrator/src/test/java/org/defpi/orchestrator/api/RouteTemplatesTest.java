package org.defpi.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTemplatesTest {
  private static final RouteTemplates TEMPLATES = new RouteTemplates(List.of("/", "/health", "/user/{id}", "/user/me",
      "/user/me/layout", "/process/{id}", "/process/{id}/log", "/process/trigger/{id}", "/assets/{file}", "/metrics"));

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(textBlock = """
      /, /
      /health, /health
      /health/, /health
      /metrics, /metrics
      /user/me, /user/me
      /user/65f0c0de1a2b3c4d5e6f7a8b, /user/{id}
      /user/me/layout, /user/me/layout
      /process/65f0c0de1a2b3c4d5e6f7a8b, /process/{id}
      /process/65f0c0de1a2b3c4d5e6f7a8b/log, /process/{id}/log
      /process/trigger/65f0c0de1a2b3c4d5e6f7a8b, /process/trigger/{id}
      /process/trigger, /process/{id}
      /assets/index-abc.js, /assets/{file}
      /nope, ''
      /process/a/b/c, ''
      //health, ''
      """)
  void aPathIsNamedByTheMostSpecificTemplateItMatches(String path, String template) {
    assertThat(TEMPLATES.match(path)).isEqualTo(template.isEmpty() ? Optional.empty() : Optional.of(template));
  }

  @ParameterizedTest(name = "''{0}'' accepted: {1}")
  @CsvSource(textBlock = """
      abc-123, true
      0123456789abcdef0123456789abcdef, true
      trace:a.b_c-d, true
      '', false
      has space, false
      'semi;colon', false
      'quote"', false
      'line\nbreak', false
      """)
  void aCallersRequestIdIsKeptOnlyWhenItIsShortAndPlain(String id, boolean accepted) {
    assertThat(RequestIds.accept(id.replace("\\n", "\n")).isPresent()).isEqualTo(accepted);
  }

  @org.junit.jupiter.api.Test
  void aRequestIdOfMoreThan128CharactersIsReplacedAndANewOneIs32HexCharacters() {
    assertThat(RequestIds.accept("a".repeat(128))).isPresent();
    assertThat(RequestIds.accept("a".repeat(129))).isEmpty();
    assertThat(RequestIds.accept(null)).isEmpty();
    assertThat(RequestIds.generate()).matches("[0-9a-f]{32}").isNotEqualTo(RequestIds.generate());
  }
}
