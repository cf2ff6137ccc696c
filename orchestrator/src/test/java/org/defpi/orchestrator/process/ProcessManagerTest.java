package org.defpi.orchestrator.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.defpi.orchestrator.TestData;
import org.junit.jupiter.api.Test;

class ProcessManagerTest {
  @Test
  void theContainerGetsTheEnvOfWireSection4() {
    Process p = TestData.process("65a1b2c30000000000000001", ProcessState.STARTING, TestData.meterInterface(false));
    var env = ProcessManager.environment(p, "admin", "admin@localhost",
        new ProcessManager.Settings("defpi-orchestrator", 8484, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    assertThat(env).containsExactly(
        java.util.Map.entry("ORCHESTRATOR_HOST", "defpi-orchestrator"),
        java.util.Map.entry("ORCHESTRATOR_PORT", "8484"),
        java.util.Map.entry("ORCHESTRATOR_TOKEN", "token-of-65a1b2c30000000000000001"),
        java.util.Map.entry("PROCESS_ID", "65a1b2c30000000000000001"),
        java.util.Map.entry("USER_ID", p.userId()),
        java.util.Map.entry("USER_NAME", "admin"),
        java.util.Map.entry("USER_EMAIL", "admin@localhost"),
        java.util.Map.entry("JVM_ARGUMENTS", ""));
  }

  @Test
  void aTokenNeverShowsInText() {
    Token t = new Token("s3cret");
    assertThat(t.toString()).doesNotContain("s3cret");
    assertThat(TestData.process("65a1b2c30000000000000001", ProcessState.STARTING).toString()).doesNotContain("token-of");
    assertThat(t.matches("s3cret")).isTrue();
    assertThat(t.matches("s3cre")).isFalse();
    assertThat(t.matches(null)).isFalse();
  }
}
