package org.defpi.examples.energy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.defpi.sdk.Connection;
import org.defpi.sdk.ConnectionState;
import org.junit.jupiter.api.Test;

/** What is sent when, with messages as strings, a fake connection and a wall clock moved by hand. */
class ObservationScheduleTest {
  private static final Instant WALL = Instant.parse("2026-11-26T10:00:00Z");
  private static final long DAY = Instant.parse("2026-06-21T00:00:00Z").toEpochMilli();
  private static final long HOUR = ObservationSchedule.HOUR;
  private static final long MINUTE = 60_000L;

  record Setup(SimulationClock clock, String name) implements ObservationSchedule.Clocked {}

  /** Keeps what is sent on it. */
  record Sink(List<Object> sent) implements Connection {
    Sink() {
      this(new ArrayList<>());
    }

    @Override
    public void send(Object message) {
      sent.add(message);
    }

    @Override
    public ConnectionState state() {
      return ConnectionState.CONNECTED;
    }

    @Override
    public String connectionId() {
      return "c1";
    }

    @Override
    public String remoteProcessId() {
      return "manager";
    }

    @Override
    public String remoteServiceId() {
      return "energy-manager";
    }

    @Override
    public String remoteInterfaceId() {
      return "energy-manager/observations";
    }
  }

  /** A wall clock that stands still until moved. */
  static final class HandClock extends Clock {
    Instant now = WALL;

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private final HandClock wall = new HandClock();
  private final ObservationSchedule<Setup> schedule = new ObservationSchedule<>(wall, s -> "details " + s.name(),
      (s, t) -> "measurement " + (t - DAY) / MINUTE, (s, hour) -> "forecast " + (hour - DAY) / HOUR);
  private final Sink sink = new Sink();

  /** The demo's day at 720× with the given wallClockStart (empty: the first configuration). */
  private static Setup setup(String wallClockStart, Instant firstConfigured) {
    return new Setup(SimulationClock.of("2026-06-21T00:00:00Z", wallClockStart, 720, 60, firstConfigured), "pv");
  }

  @Test
  void greetsANewConnectionWithTheDetailsAndTheForecastFromTheCurrentHour() {
    // 23 wall seconds at 720× are 04:36 simulated.
    schedule.configure(first -> setup("2026-11-26T09:59:37Z", first));
    schedule.connected(sink);
    assertThat(sink.sent()).containsExactly("details pv", "forecast 4");
  }

  @Test
  void sendsEveryStepsMeasurementAndAForecastAtTheFirstStepOfEachHour() {
    schedule.configure(first -> setup("", first));
    schedule.connected(sink);
    sink.sent().clear();
    schedule.step(DAY + 4 * HOUR + 59 * MINUTE);
    schedule.step(DAY + 5 * HOUR);
    schedule.step(DAY + 5 * HOUR + MINUTE);
    assertThat(sink.sent()).containsExactly("measurement 299", "measurement 300", "forecast 5", "measurement 301");
  }

  @Test
  void aDisconnectedConnectionIsSentNothingMore() {
    schedule.configure(first -> setup("", first));
    schedule.connected(sink);
    schedule.disconnected(sink);
    sink.sent().clear();
    schedule.step(DAY + 5 * HOUR);
    assertThat(sink.sent()).isEmpty();
  }

  @Test
  void everySetupIsMadeFromTheFirstConfiguration() {
    schedule.configure(first -> setup("", first));
    wall.now = WALL.plusSeconds(300);
    schedule.configure(first -> setup("", first));
    // Still the day that started at the first configuration: 5 min at 720× are 60 h in.
    assertThat(schedule.current().clock().wallClockStart()).isEqualTo(WALL);
    assertThat(schedule.current().clock().simulatedMillis(wall.instant())).isEqualTo(DAY + 60 * HOUR);
  }

  @Test
  void closingBeforeTheStepsStartedIsFine() {
    schedule.close();
  }
}
