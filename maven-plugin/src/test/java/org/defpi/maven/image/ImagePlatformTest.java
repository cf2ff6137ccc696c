package org.defpi.maven.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ImagePlatformTest {
  @Test
  void parsesOsSlashArchitecture() {
    assertThat(ImagePlatform.parse("linux/arm64")).isEqualTo(ImagePlatform.LINUX_ARM64);
    assertThat(ImagePlatform.parse(" linux/amd64 ")).isEqualTo(ImagePlatform.LINUX_AMD64);
    assertThat(ImagePlatform.LINUX_ARM64).hasToString("linux/arm64");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "arm64", "linux/arm64/v8", "linux/", "/amd64", "Linux/AMD64", "linux amd64"})
  void refusesWhatIsNotOsSlashArchitecture(String text) {
    assertThatThrownBy(() -> ImagePlatform.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }
}
