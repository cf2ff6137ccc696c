package org.defpi.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.defpi.orchestrator.logging.LogFormat;
import java.util.Map;
import org.defpi.orchestrator.store.RealStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  @Test
  void defaultsFitTheRuntimeLayout() {
    Settings s = Settings.fromEnv(Map.of());
    assertThat(s.port()).isEqualTo(8484);
    assertThat(s.adminPasswordFile()).isEqualTo(Path.of("/run/secrets/defpi-admin-password"));
    assertThat(s.registryUrl()).hasToString("http://defpi-registry:5000");
    assertThat(s.imagePrefix()).isEqualTo("127.0.0.1:5000");
    assertThat(s.dataDir()).isEqualTo(Path.of("/var/lib/defpi"));
    assertThat(s.dbUrl()).isEqualTo("jdbc:h2:file:/var/lib/defpi/defpi;MODE=PostgreSQL;WRITE_DELAY=0");
    assertThat(s.dbUser()).isEqualTo("defpi");
    assertThat(s.dbPasswordFile()).isEmpty();
    assertThat(s.orchestratorHost()).isEqualTo("defpi-orchestrator");
    assertThat(s.orchestratorPort()).isEqualTo(8484);
    assertThat(s.container()).as("not in a container unless told").isEmpty();
    assertThat(Settings.fromEnv(Map.of("DEFPI_CONTAINER", "defpi-orchestrator")).container()).contains("defpi-orchestrator");
    assertThat(s.configureTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.reconcile()).contains(Duration.ofSeconds(10));
    assertThat(s.acts()).as("acts on the Swarm unless told not to").isTrue();
  }

  @Test
  void theLogIsTextUnlessJsonIsAskedForAndAnythingElseIsRefused() {
    assertThat(Settings.fromEnv(Map.of()).overlayEncryption()).isFalse();
    assertThat(Settings.fromEnv(Map.of("DEFPI_OVERLAY_ENCRYPTION", "on")).overlayEncryption()).isTrue();
    assertThat(Settings.fromEnv(Map.of("DEFPI_OVERLAY_ENCRYPTION", " OFF ")).overlayEncryption()).isFalse();
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("DEFPI_OVERLAY_ENCRYPTION", "maybe")))
        .hasMessageContaining("DEFPI_OVERLAY_ENCRYPTION must be on or off");
    assertThat(Settings.fromEnv(Map.of()).logFormat()).isEqualTo(LogFormat.TEXT);
    assertThat(Settings.fromEnv(Map.of("DEFPI_LOG_FORMAT", "json")).logFormat()).isEqualTo(LogFormat.JSON);
    assertThat(Settings.fromEnv(Map.of("DEFPI_LOG_FORMAT", " JSON ")).logFormat()).isEqualTo(LogFormat.JSON);
    assertThat(Settings.fromEnv(Map.of("DEFPI_LOG_FORMAT", "text")).logFormat()).isEqualTo(LogFormat.TEXT);
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("DEFPI_LOG_FORMAT", "xml")))
        .hasMessage("DEFPI_LOG_FORMAT must be text or json, not 'xml'");
  }

  @Test
  void reconcileOffMakesAnOrchestratorThatOnlyServesItsStore() {
    assertThat(Settings.fromEnv(Map.of("DEFPI_RECONCILE", "30")).reconcile()).contains(Duration.ofSeconds(30));
    Settings off = Settings.fromEnv(Map.of("DEFPI_RECONCILE", "off"));
    assertThat(off.reconcile()).isEmpty();
    assertThat(off.acts()).isFalse();
    assertThat(Settings.fromEnv(Map.of("DEFPI_RECONCILE", "OFF")).acts()).isFalse();
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("DEFPI_RECONCILE", "0"))).hasMessageContaining("DEFPI_RECONCILE");
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("DEFPI_RECONCILE", "never"))).hasMessageContaining("DEFPI_RECONCILE");
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

  @Test
  void theDatabasePasswordComesFromItsFileAndIsNeverShown(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("db-password"), "s3cret\n");
    Settings s = Settings.fromEnv(Map.of("DEFPI_DB_URL", "jdbc:postgresql://db:5432/defpi?password=inurl",
        "DEFPI_DB_USER", "orchestrator", "DEFPI_DB_PASSWORD_FILE", file.toString()));
    RealStore.Settings store = s.store();
    assertThat(store.password()).isEqualTo("s3cret");
    assertThat(store.user()).isEqualTo("orchestrator");
    assertThat(store.toString()).doesNotContain("s3cret").doesNotContain("inurl");
    assertThat(s.toString()).doesNotContain("s3cret").doesNotContain("inurl");
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("DEFPI_DB_URL", "postgres://db/defpi")))
        .hasMessageContaining("DEFPI_DB_URL");
  }

  @Test
  void tlsIsOnUnlessTurnedOffAndCertificatesLiveAnHourAtLeastAMinute() {
    Settings s = Settings.fromEnv(Map.of());
    assertThat(s.tls()).isTrue();
    assertThat(s.certTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(Settings.fromEnv(Map.of("DEFPI_TLS", "off")).tls()).isFalse();
    assertThat(Settings.fromEnv(Map.of("DEFPI_TLS", " OFF ")).tls()).isFalse();
    assertThat(Settings.fromEnv(Map.of("DEFPI_TLS", "on")).tls()).isTrue();
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("DEFPI_TLS", "yes")))
        .hasMessage("DEFPI_TLS must be on or off, not 'yes'");
    assertThat(Settings.fromEnv(Map.of("DEFPI_CERT_TTL", "60")).certTtl()).isEqualTo(Duration.ofSeconds(60));
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("DEFPI_CERT_TTL", "59")))
        .hasMessage("DEFPI_CERT_TTL must be at least 60 (seconds), not 59");
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("DEFPI_CERT_TTL", "an hour"))).hasMessageContaining("DEFPI_CERT_TTL");
  }
}
