package org.defpi.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's part of {@link Settings}: credentials from a file, the refresh interval. */
class RegistrySettingsTest {
  @Test
  void withoutAUserThereAreNoCredentialsAndTheRefreshIsEvery30Seconds() throws Exception {
    Settings s = Settings.fromEnv(Map.of());
    assertThat(s.registryCredentials()).isEmpty();
    assertThat(s.registryRefresh()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void thePasswordComesFromItsFileAndNeverShows(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("registry-password");
    Files.writeString(file, "pa55word\n");
    Settings s = Settings.fromEnv(Map.of("DEFPI_REGISTRY_USER", "puller", "DEFPI_REGISTRY_PASSWORD_FILE", file.toString(),
        "DEFPI_REGISTRY_REFRESH", "5"));
    assertThat(s.registryCredentials()).hasValueSatisfying(c -> {
      assertThat(c.user()).isEqualTo("puller");
      assertThat(c.password()).isEqualTo("pa55word");
      assertThat(c.toString()).doesNotContain("pa55word");
    });
    assertThat(s.toString()).doesNotContain("pa55word");
    assertThat(s.registryRefresh()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aRefreshIntervalBelowOneSecondIsRefused() {
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("DEFPI_REGISTRY_REFRESH", "0")))
        .hasMessageContaining("DEFPI_REGISTRY_REFRESH");
  }
}
