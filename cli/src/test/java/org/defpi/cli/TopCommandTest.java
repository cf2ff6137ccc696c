package org.defpi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code defpi top}: its pure parts table-driven, the command against {@link FakeOrchestrator}. */
class TopCommandTest {
  private static final String PROCESSES = """
      [{"id":"p1","name":"meter","serviceId":"power-meter","state":"RUNNING"},
       {"id":"p2","name":"logger","serviceId":"power-logger","state":"RUNNING"},
       {"id":"p3","name":"old","serviceId":"legacy","state":"RUNNING"}]""";
  private static final String TRAFFIC = """
      [{"connectionId":"c1","userId":"u","ends":[
        {"processId":"p1","reportedAt":"2026-01-01T00:00:00Z","state":"CONNECTED","messagesIn":0,"messagesOut":100,
         "bytesIn":0,"bytesOut":20480,"dropped":0,"errors":0,"stateChanges":1,
         "rates":{"messagesInPerSecond":0,"messagesOutPerSecond":10,"bytesInPerSecond":0,"bytesOutPerSecond":2048}},
        {"processId":"p2","reportedAt":"2026-01-01T00:00:00Z","state":"CONNECTED","messagesIn":100,"messagesOut":0,
         "bytesIn":20480,"bytesOut":0,"dropped":3,"errors":1,"stateChanges":1,
         "rates":{"messagesInPerSecond":10,"messagesOutPerSecond":0,"bytesInPerSecond":2048,"bytesOutPerSecond":0}}]},
       {"connectionId":"c2","userId":"u","ends":[
        {"processId":"p1","reportedAt":"2026-01-01T00:00:00Z","state":"INTERRUPTED","messagesIn":5,"messagesOut":0,
         "bytesIn":100,"bytesOut":0,"dropped":1,"errors":2,"stateChanges":3,
         "rates":{"messagesInPerSecond":2.5,"messagesOutPerSecond":0,"bytesInPerSecond":512,"bytesOutPerSecond":0}}]}]""";
  private static final String TABLE = """
      NAME    SERVICE       STATE    CONNS  MSG IN/s  MSG OUT/s  KB IN/s  KB OUT/s  DROPPED  ERRORS
      meter   power-meter   RUNNING  2      2.5       10         0.5      2         1        2
      logger  power-logger  RUNNING  1      10        0          2        0         3        1
      old     legacy        RUNNING  -      -         -          -        -         -        -
      """;

  @TempDir Path dir;
  private FakeOrchestrator api;
  private Path credentials;

  record Result(int code, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    api = new FakeOrchestrator();
    credentials = dir.resolve("credentials.json");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private Result run(String stdin, String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code = new Cli(credentials, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private void login() {
    Result r = run("secret\n", "login", "--url", api.url().toString(), "--password-stdin");
    assertThat(r.code()).as(r.err()).isZero();
  }

  private static List<JsonNode> list(String json) throws Exception {
    List<JsonNode> items = new ArrayList<>();
    Api.JSON.readTree(json).forEach(items::add);
    return items;
  }

  // ---- pure parts

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({"0, 0", "12, 12", "12.5, 12.5", "0.25, 0.3", "0.24, 0.2", "1234.56, 1234.6", "0.04, 0"})
  void numbersHaveOneDecimalAndNoneWhenWhole(double value, String shown) {
    assertThat(TopCommand.number(value)).isEqualTo(shown);
  }

  static Stream<Arguments> summed() {
    return Stream.of(
        Arguments.of("no traffic at all: every process '-', by name", "[]", List.of("logger -", "meter -", "old -")),
        Arguments.of("both connections of the meter add up, ends count for their own process", TRAFFIC,
            List.of("meter 2 2.5/10 1/2", "logger 1 10/0 3/1", "old -")),
        Arguments.of("a connection whose other end never reported counts for the end that did", """
            [{"connectionId":"c9","userId":"u","ends":[{"processId":"p3","dropped":0,"errors":0,
              "rates":{"messagesInPerSecond":1,"messagesOutPerSecond":0,"bytesInPerSecond":0,"bytesOutPerSecond":0}}]}]""",
            List.of("old 1 1/0 0/0", "logger -", "meter -")),
        Arguments.of("an end of a process not in the list (another user's) is ignored", """
            [{"connectionId":"c9","userId":"u","ends":[{"processId":"elsewhere","dropped":0,"errors":0,
              "rates":{"messagesInPerSecond":1,"messagesOutPerSecond":0,"bytesInPerSecond":0,"bytesOutPerSecond":0}}]}]""",
            List.of("logger -", "meter -", "old -")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("summed")
  void eachProcessSumsItsReportedConnectionsBusiestFirst(String name, String traffic, List<String> expected)
      throws Exception {
    List<TopCommand.Row> rows = TopCommand.rows(list(PROCESSES), Api.JSON.readTree(traffic));

    // A row as "name conns in/out dropped/errors", or "name -" when nothing was reported.
    assertThat(rows).extracting(r -> r.name() + " " + r.traffic().map(t -> t.connections() + " "
        + TopCommand.number(t.messagesIn()) + "/" + TopCommand.number(t.messagesOut()) + " " + t.dropped() + "/"
        + t.errors()).orElse("-")).containsExactlyElementsOf(expected);
  }

  @Test
  void aProcessWithoutReportsShowsDashesInEveryTrafficColumn() {
    String table = TopCommand.table(List.of(new TopCommand.Row("p", "quiet", "svc", "STARTING", Optional.empty())))
        .render();

    assertThat(table.lines().skip(1)).containsExactly("quiet  svc      STARTING  -      -         -          -        -"
        + "         -        -");
  }

  // ---- the command

  @Test
  void onceprintsOneTableOfEveryProcessAndExits() {
    login();
    api.page("GET /process?limit=1000&offset=0", PROCESSES, 3).json("GET /traffic", 200, TRAFFIC);

    Result r = run("", "top", "--once");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(TABLE).doesNotContain("\033");
    assertThat(api.requests).extracting(FakeOrchestrator.Request::route)
        .containsExactly("POST /login", "GET /process?limit=1000&offset=0", "GET /traffic");
  }

  @Test
  void manyProcessesArePagedThrough() {
    login();
    List<String> first = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      first.add("{\"id\":\"p" + i + "\",\"name\":\"meter-" + i + "\",\"serviceId\":\"m\",\"state\":\"RUNNING\"}");
    }
    api.page("GET /process?limit=1000&offset=0", "[" + String.join(",", first) + "]", 1001)
        .page("GET /process?limit=1000&offset=1000", "[{\"id\":\"px\",\"name\":\"logger\",\"serviceId\":\"l\",\"state\":\"RUNNING\"}]", 1001)
        .json("GET /traffic", 200, "[]");

    Result r = run("", "top", "--once");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines()).hasSize(1002).anyMatch(l -> l.startsWith("logger")).anyMatch(l -> l.startsWith("meter-999"));
    assertThat(api.requests("GET /process?limit=1000&offset=1000")).hasSize(1);
  }

  @Test
  void jsonPrintsEachProcessWithItsSummedTrafficOrNull() throws Exception {
    login();
    api.page("GET /process?limit=1000&offset=0", PROCESSES, 3).json("GET /traffic", 200, TRAFFIC);

    Result r = run("", "top", "--once", "--json");

    assertThat(r.code()).as(r.err()).isZero();
    JsonNode rows = Api.JSON.readTree(r.out());
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).path("processId").asText()).isEqualTo("p1");
    assertThat(rows.get(0).at("/traffic/connections").asInt()).isEqualTo(2);
    assertThat(rows.get(0).at("/traffic/bytesOutPerSecond").asDouble()).isEqualTo(2048);
    assertThat(rows.get(2).path("traffic").isNull()).isTrue();
  }

  @Test
  void anAdminsUserFilterGoesToBothRequests() {
    login();
    api.page("GET /process?userId=u7&limit=1000&offset=0", "[]", 0).json("GET /traffic?userId=u7", 200, "[]");

    Result r = run("", "top", "--once", "--user", "u7");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("NAME");
  }

  @Test
  void itRefreshesInPlaceUntilToldToStop() {
    login();
    api.page("GET /process?limit=1000&offset=0", PROCESSES, 3).jsonInTurn("GET /traffic", "[]", TRAFFIC);

    Result r = run("", "top", "-n", "2", "--delay", "0.1");

    assertThat(r.code()).as(r.err()).isZero();
    String[] screens = r.out().split("\033\\[H\033\\[2J", -1);
    assertThat(screens).hasSize(3); // nothing before the first clear, then two screens
    assertThat(screens[1]).contains("processes, every 0.1 s; q or Ctrl-C quits").contains("meter   power-meter   RUNNING  -");
    assertThat(screens[2]).endsWith(TABLE);
  }

  @Test
  void qQuits() {
    login();
    api.page("GET /process?limit=1000&offset=0", PROCESSES, 3).json("GET /traffic", 200, TRAFFIC);

    // Without q this would run for ever (no -n); q arrives while the first screen waits for the next.
    Result r = run("q", "top", "--delay", "60");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).endsWith(TABLE);
  }

  @Test
  void refusalsAndAMissingLoginExitAsEveryCommandDoes() {
    Result notLoggedIn = run("", "top", "--once");
    assertThat(notLoggedIn.code()).isEqualTo(Exit.NOT_LOGGED_IN);

    login();
    api.page("GET /process?limit=1000&offset=0", "[]", 0).problem("GET /traffic", 403, "only an admin can see that");
    Result refused = run("", "top", "--once");
    assertThat(refused.code()).isEqualTo(Exit.REFUSED);
    assertThat(refused.err()).isEqualTo("defpi: only an admin can see that\n");

    assertThat(run("", "top", "--delay", "0").code()).isEqualTo(Exit.USAGE);
  }
}
