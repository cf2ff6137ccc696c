package org.defpi.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProtocArtifactTest {
  @ParameterizedTest
  @CsvSource({
      "Linux,      amd64,   linux-x86_64",
      "Linux,      aarch64, linux-aarch_64",
      "Mac OS X,   x86_64,  osx-x86_64",
      "Mac OS X,   aarch64, osx-aarch_64",
      "Windows 11, amd64,   windows-x86_64",
  })
  void classifierFollowsThePlatform(String osName, String osArch, String classifier) {
    assertThat(ProtocArtifact.classifier(osName, osArch)).isEqualTo(classifier);
  }

  @Test
  void anUnknownPlatformSaysHowToGoOn() {
    assertThatThrownBy(() -> ProtocArtifact.classifier("SunOS", "sparcv9"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("defpi.protoc");
  }

  @Test
  void theDefaultVersionIsTheProtobufVersionOfTheBuild() {
    // Filtered into the plugin's resources from ${protobuf.version} of the parent POM.
    assertThat(ProtocArtifact.defaultVersion()).matches("\\d+\\.\\d+(\\.\\d+)?");
  }
}
