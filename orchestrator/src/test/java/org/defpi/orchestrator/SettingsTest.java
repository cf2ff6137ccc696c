package org.defpi.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
  @Test
  void defaultsFitTheRuntimeLayout() {
    Settings s = Settings.fromEnv(Map.of());
    assertThat(s.port()).isEqualTo(8484);
    assertThat(s.adminPasswordFile()).isEqualTo(Path.of("/run/secrets/defpi-admin-password"));
    assertThat(s.registryUrl()).hasToString("http://defpi-registry:5000");
    assertThat(s.imagePrefix()).isEqualTo("127.0.0.1:5000");
    assertThat(s.dataDir()).isEqualTo(Path.of("/var/lib/defpi"));
    assertThat(s.orchestratorHost()).isEqualTo("defpi-orchestrator");
    assertThat(s.orchestratorPort()).isEqualTo(8484);
    assertThat(s.processNetwork()).isEqualTo("defpi-processes");
    assertThat(s.configureTimeout()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void aMalformedValueIsRefusedWithItsName() {
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("DEFPI_PORT", "eighty")))
        .hasMessageContaining("DEFPI_PORT").hasMessageContaining("eighty");
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("DEFPI_ORCHESTRATOR_PORT", "0")))
        .hasMessageContaining("DEFPI_ORCHESTRATOR_PORT");
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("DEFPI_REGISTRY_URL", "defpi-registry:5000x y")))
        .hasMessageContaining("DEFPI_REGISTRY_URL");
  }
}
