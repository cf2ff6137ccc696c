package org.defpi.examples.energy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SimulationClockTest {
  private static final Instant WALL = Instant.parse("2026-11-26T10:00:00Z");
  private static final long START = Instant.parse("2026-06-21T00:00:00Z").toEpochMilli();
  private final SimulationClock clock = SimulationClock.of("2026-06-21T00:00:00Z", "2026-11-26T10:00:00Z", 720, 60, WALL);

  @Test
  void holdsAtTheStartBeforeTheWallClockStart() {
    assertThat(clock.simulatedMillis(WALL.minusSeconds(30))).isEqualTo(START);
    assertThat(clock.simulatedMillis(WALL)).isEqualTo(START);
  }

  @Test
  void runsAtSpeedAfterIt() {
    // 2 wall minutes at 720× are a simulated day.
    assertThat(clock.simulatedMillis(WALL.plusSeconds(120))).isEqualTo(START + 86_400_000L);
    assertThat(clock.simulatedMillis(WALL.plusMillis(500))).isEqualTo(START + 360_000L);
  }

  @Test
  void stepsAreMultiplesOfTheStepSinceTheEpoch() {
    assertThat(clock.stepAt(START + 59_999)).isEqualTo(START);
    assertThat(clock.stepAt(START + 60_000)).isEqualTo(START + 60_000);
    assertThat(clock.wallStep().toMillis()).isEqualTo(83); // 60 s / 720
  }

  @Test
  void wallTimeOfIsTheInverse() {
    long noon = START + 12 * 3_600_000L;
    Instant wall = clock.wallTimeOf(noon);
    assertThat(wall).isEqualTo(WALL.plusSeconds(60));
    assertThat(clock.simulatedMillis(wall)).isEqualTo(noon);
    assertThat(clock.wallTimeOf(START - 1)).isEqualTo(WALL);
  }

  @Test
  void anEmptyWallClockStartIsWhenConfigured() {
    SimulationClock fromNow = SimulationClock.of("2026-06-21T00:00:00Z", " ", 720, 60, WALL);
    assertThat(fromNow.wallClockStart()).isEqualTo(WALL);
  }

  @Test
  void namesTheParameterThatIsNoInstant() {
    assertThatThrownBy(() -> SimulationClock.of("21 June", "", 720, 60, WALL))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("simulationStart").hasMessageContaining("21 June");
    assertThatThrownBy(() -> SimulationClock.of("2026-06-21T00:00:00Z", "now", 720, 60, WALL))
        .hasMessageContaining("wallClockStart");
    assertThatThrownBy(() -> SimulationClock.of("2026-06-21T00:00:00Z", "", 0, 60, WALL)).hasMessageContaining("speed");
    assertThatThrownBy(() -> SimulationClock.of("2026-06-21T00:00:00Z", "", 720, 0, WALL)).hasMessageContaining("stepSeconds");
  }
}
