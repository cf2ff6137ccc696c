package org.defpi.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.defpi.sdk.DefPiParameters;
import org.junit.jupiter.api.Test;

class TriggerClientTest {
  @Test
  void theTriggerUrlIsBuiltFromTheEnvironment() {
    DefPiParameters p = new DefPiParameters("defpi-orchestrator", 8484, "t", "5a1b2c", "u", "n", "e");
    assertThat(new TriggerClient(p, Duration.ofSeconds(1)).uri())
        .hasToString("http://defpi-orchestrator:8484/process/trigger/5a1b2c");
  }

  @Test
  void anIpv6OrchestratorAddressGetsBrackets() {
    DefPiParameters p = new DefPiParameters("::1", 8484, "t", "p1", "u", "n", "e");
    assertThat(TriggerClient.triggerUri(p)).hasToString("http://[::1]:8484/process/trigger/p1");
  }
}
