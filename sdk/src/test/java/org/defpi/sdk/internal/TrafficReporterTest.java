package org.defpi.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.defpi.sdk.ConnectionState;
import org.defpi.sdk.ConnectionTraffic;
import org.defpi.sdk.DefPiParameters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class TrafficReporterTest {
  private static final Duration TWO_S = Duration.ofSeconds(2);

  static Stream<Arguments> outcomes() {
    return Stream.of(
        Arguments.of("204 without header: the default", Optional.of(204), null, TWO_S, 0,
            new TrafficReporter.Next.Again(TWO_S)),
        Arguments.of("204 asks for 20 s", Optional.of(204), "20", TWO_S, 3,
            new TrafficReporter.Next.Again(Duration.ofSeconds(20))),
        Arguments.of("204 with a fraction", Optional.of(204), "0.5", TWO_S, 0,
            new TrafficReporter.Next.Again(Duration.ofMillis(500))),
        Arguments.of("204 with garbage: the default", Optional.of(204), "soon", Duration.ofSeconds(9), 0,
            new TrafficReporter.Next.Again(TWO_S)),
        Arguments.of("404: an original orchestrator", Optional.of(404), null, TWO_S, 0,
            new TrafficReporter.Next.Stop(404)),
        Arguments.of("405: no PUT on that path", Optional.of(405), "5", TWO_S, 2,
            new TrafficReporter.Next.Stop(405)),
        Arguments.of("503, first failure: the interval", Optional.of(503), null, TWO_S, 0,
            new TrafficReporter.Next.Retry(TWO_S)),
        Arguments.of("no answer, third failure: doubled twice", Optional.empty(), null, TWO_S, 2,
            new TrafficReporter.Next.Retry(Duration.ofSeconds(8))),
        Arguments.of("many failures: capped at a minute", Optional.of(500), null, TWO_S, 20,
            new TrafficReporter.Next.Retry(Duration.ofMinutes(1))),
        Arguments.of("401 with a long interval: never sooner than it", Optional.of(401), null,
            Duration.ofMinutes(3), 5, new TrafficReporter.Next.Retry(Duration.ofMinutes(3))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outcomes")
  void whatFollowsAnAttempt(String name, Optional<Integer> status, String header, Duration interval, int failures,
      TrafficReporter.Next expected) {
    assertThat(TrafficReporter.next(status, header, interval, failures)).isEqualTo(expected);
  }

  @Test
  void theIntervalHeaderIsClampedToSaneBounds() {
    assertThat(TrafficReporter.interval("0")).contains(TrafficReporter.MIN_INTERVAL);
    assertThat(TrafficReporter.interval("-3")).contains(TrafficReporter.MIN_INTERVAL);
    assertThat(TrafficReporter.interval("0.001")).contains(TrafficReporter.MIN_INTERVAL);
    assertThat(TrafficReporter.interval("99999")).contains(TrafficReporter.MAX_INTERVAL);
    assertThat(TrafficReporter.interval(" 3 ")).contains(Duration.ofSeconds(3));
    assertThat(TrafficReporter.interval("")).isEmpty();
    assertThat(TrafficReporter.interval("NaN")).isEmpty();
  }

  @Test
  void theBodyListsEachConnectionWithItsCounters() {
    String json = TrafficReporter.json(List.of(
        new TrafficReporter.Entry("c1", ConnectionState.CONNECTED, new ConnectionTraffic(1, 2, 30, 40, 5, 6, 7), true),
        new TrafficReporter.Entry("we\"ird\\id\n", ConnectionState.SUSPENDED, ConnectionTraffic.NONE)));

    // "encrypted" came with TLS, after the counters: a plain connection's entry says false.
    assertThat(json).isEqualTo("{\"connections\":["
        + "{\"connectionId\":\"c1\",\"state\":\"CONNECTED\",\"messagesIn\":1,\"messagesOut\":2,\"bytesIn\":30,"
        + "\"bytesOut\":40,\"dropped\":5,\"errors\":6,\"stateChanges\":7,\"encrypted\":true},"
        + "{\"connectionId\":\"we\\\"ird\\\\id\\u000a\",\"state\":\"SUSPENDED\",\"messagesIn\":0,\"messagesOut\":0,"
        + "\"bytesIn\":0,\"bytesOut\":0,\"dropped\":0,\"errors\":0,\"stateChanges\":0,\"encrypted\":false}]}");
    assertThat(TrafficReporter.json(List.of())).isEqualTo("{\"connections\":[]}");
  }

  @Test
  void theUrlIsTheTriggersHostAndPortAndNeverShowsTheToken() {
    DefPiParameters p = new DefPiParameters("defpi-orchestrator", 8484, "s3cret-token", "p-42", "u1", "U", "u@x");
    TrafficReporter reporter = new TrafficReporter(p, List::of);

    assertThat(TrafficReporter.trafficUri(p)).hasToString("http://defpi-orchestrator:8484/process/p-42/traffic");
    assertThat(reporter.toString()).doesNotContain("s3cret-token");
  }
}
