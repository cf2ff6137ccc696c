package org.defpi.orchestrator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryOperationTest {
  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(textBlock = """
      /v2/_catalog, catalog
      /v2/services/power-meter/tags/list, tags
      /v2/services/power-meter/manifests/0.1.0, manifest
      /v2/services/power-meter/manifests/sha256:ab12, manifest
      /v2/services/a/b/blobs/sha256:cd34, blob
      /v2/, other
      """)
  void aRegistryCallIsNamedByWhatItReadsNeverByTheRepository(String path, String operation) {
    assertThat(RealRegistry.operation(path)).isEqualTo(operation);
  }
}
