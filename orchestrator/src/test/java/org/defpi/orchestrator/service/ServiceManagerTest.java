package org.defpi.orchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.defpi.wire.label.ServiceLabels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServiceManagerTest {
  private static final ServiceLabels LABELS = new ServiceLabels("Meter", List.of(), List.of());

  private static Image valid(String tag, String digest) {
    return new Image.Valid("meter", tag, digest, LABELS, List.of("amd64", "arm64"));
  }

  private static Image invalid(String tag, String digest) {
    return new Image.Invalid("meter", tag, digest, "no labels");
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("latest names its version", List.of(valid("0.1.0", "d1"), valid("0.2.0", "d2"), valid("latest", "d1")),
            Optional.of("0.1.0")),
        Arguments.of("the highest of several versions with latest's digest",
            List.of(valid("0.2.0", "d2"), valid("0.2.0-final", "d2"), valid("latest", "d2")), Optional.of("0.2.0-final")),
        Arguments.of("latest alone is its own version", List.of(valid("0.1.0", "d1"), valid("latest", "d9")),
            Optional.of("latest")),
        Arguments.of("an invalid latest gives none", List.of(valid("0.1.0", "d1"), invalid("latest", "d1")),
            Optional.empty()),
        Arguments.of("an invalid version with latest's digest is skipped",
            List.of(invalid("0.1.0", "d1"), valid("latest", "d1")), Optional.of("latest")),
        Arguments.of("without latest, the highest valid tag", List.of(valid("0.1.0", "d1"), valid("0.2.0", "d2"),
            invalid("0.3.0", "d3")), Optional.of("0.2.0")),
        Arguments.of("nothing valid", List.of(invalid("0.1.0", "d1")), Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theDefaultVersionIsTheOneLatestPointsTo(String name, List<Image> images, Optional<String> expected) {
    assertThat(ServiceManager.defaultImage(images).map(Image::tag)).isEqualTo(expected);
  }
}
