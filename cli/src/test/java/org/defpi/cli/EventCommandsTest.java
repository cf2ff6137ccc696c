package org.defpi.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.defpi.cli.FakeOrchestrator.at;
import static org.defpi.cli.FakeOrchestrator.change;
import static org.defpi.cli.FakeOrchestrator.eventData;
import static org.defpi.cli.FakeOrchestrator.ready;
import static org.defpi.cli.FakeOrchestrator.reset;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code defpi events}, {@code --watch} and {@code processes delete --wait} against
 * {@link FakeOrchestrator}'s scripted GET /events. Following ends on its own: after the test's
 * number of changes ({@link EventStream.Settings#maxEvents}), or when the command is done; reconnect
 * waits are recorded, not slept. The timeout only catches a CLI that would follow forever.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventCommandsTest {
  private static final String P1 = "65f0c0de1a2b3c4d5e6f7a01";
  private static final String C1 = "65f0c0de1a2b3c4d5e6f7a02";
  private static final String X1 = "65f0c0de1a2b3c4d5e6f7a03";
  private static final String X2 = "65f0c0de1a2b3c4d5e6f7a04";
  private static final String PROCESS = """
      {"id":"p1","serviceId":"power-meter","name":"meter","version":"1.0","userId":"admin","state":"%s",
      "configuration":{},"createdAt":"2026-01-01T00:00:00Z"}""";
  private static final String HEADER = "TIME      SUBJECT        ACTION   ID                        STATE       REASON\n";

  @TempDir Path dir;
  private FakeOrchestrator api;
  private Path credentials;
  private final List<Duration> waits = new CopyOnWriteArrayList<>();

  record Result(int code, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    api = new FakeOrchestrator();
    credentials = dir.resolve("credentials.json");
    Result login = run(1, Duration.ofSeconds(30), "login", "--url", api.url().toString(), "--password-stdin");
    assertThat(login.code()).as(login.err()).isZero();
    api.requests.clear();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  /** Runs until the command is done or has seen {@code maxEvents} changes. */
  private Result run(long maxEvents, String... args) {
    return run(maxEvents, Duration.ofSeconds(30), args);
  }

  private Result run(long maxEvents, Duration idleTimeout, String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    var settings = new EventStream.Settings(waits::add, maxEvents, idleTimeout);
    int code = new Cli(credentials, new ByteArrayInputStream("secret\n".getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        Api.defaultHttp(), settings).run(args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The event time as the CLI shows it: local HH:mm:ss. */
  private static String clock(long seq) {
    return Instant.parse(at(seq)).atZone(ZoneId.systemDefault()).format(DateTimeFormatter.ofPattern("HH:mm:ss"));
  }

  private List<String> lastEventIds() {
    return api.eventRequests().stream().map(FakeOrchestrator.Request::lastEventId).toList();
  }

  private static String pendingChange(String id, String state, String lastError) {
    return "{\"id\":\"" + id + "\",\"kind\":\"TERMINATE_PROCESS\",\"processId\":\"p1\",\"userId\":\"u1\",\"state\":\""
        + state + "\",\"attempts\":1,\"maxAttempts\":5" + (lastError == null ? "" : ",\"lastError\":\"" + lastError + "\"")
        + ",\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":\"2026-01-01T00:00:00Z\",\"notBefore\":\"2026-01-01T00:00:00Z\"}";
  }

  // --- defpi events

  @Test
  void eventsPrintsOneAlignedLinePerChangeUnderAHeaderWithTheBearerToken() {
    String process = change("r1", 1, "process", "created", P1, "STARTING", null);
    api.stream(ready("r1", 0), process.substring(0, 10), process.substring(10), ": keep-alive\n\n",
        change("r1", 2, "connection", "changed", C1, "FAILED", "port\n7000 taken"),
        change("r1", 3, "pendingchange", "changed", X1, "RUNNING", null));

    Result r = run(3, "events");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(HEADER
        + clock(1) + "  process        created  " + P1 + "  STARTING    -\n"
        + clock(2) + "  connection     changed  " + C1 + "  FAILED      port 7000 taken\n"
        + clock(3) + "  pendingchange  changed  " + X1 + "  RUNNING     -\n");
    assertThat(r.err()).isEmpty();
    assertThat(api.eventRequests()).extracting(FakeOrchestrator.Request::authorization).containsExactly("Bearer token-1");
    assertThat(lastEventIds()).containsExactly((String) null);
  }

  @Test
  void eventsWithJsonPrintsEachEventsDataOnItsOwnLine() {
    api.stream(ready("r1", 0), change("r1", 1, "process", "removed", P1, "TERMINATED", null),
        "event: connection\nid: r1-2\ndata: {\"seq\":2,\ndata: \"subject\":\"connection\"}\n\n",
        change("r1", 3, "pendingchange", "changed", X1, "FAILED", "no node fits"));

    Result r = run(3, "events", "--json");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(eventData(1, "process", "removed", P1, "TERMINATED", null) + "\n"
        + "{\"seq\":2,\"subject\":\"connection\"}\n"
        + eventData(3, "pendingchange", "changed", X1, "FAILED", "no node fits") + "\n");
  }

  @Test
  void aCutStreamIsResumedWithLastEventIdBackingOffWhileReconnectsFail() {
    api.streamThenDrop(ready("r1", 0), change("r1", 1, "process", "created", P1, "STARTING", null));
    api.streamRefused(503, "restarting");
    api.stream(ready("r1", 1), change("r1", 2, "process", "changed", P1, "RUNNING", null));

    Result r = run(2, "events");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(HEADER
        + clock(1) + "  process        created  " + P1 + "  STARTING    -\n"
        + clock(2) + "  process        changed  " + P1 + "  RUNNING     -\n");
    assertThat(lastEventIds()).containsExactly(null, "r1-1", "r1-1");
    assertThat(waits).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
    assertThat(r.err()).isEqualTo("""
        defpi: the event stream was cut (the orchestrator ended it); reconnecting in 0.5 s after event r1-1
        defpi: the event stream was cut (the orchestrator failed (503): restarting); reconnecting in 1 s after event r1-1
        """);
  }

  @Test
  void aResetIsNotedAndTheStreamOpenedAgainAtOnceWithoutAnId() {
    api.streamThenDrop(ready("r1", 0), change("r1", 1, "process", "created", P1, "STARTING", null));
    api.streamThenDrop(reset("r2", 0, "the events after r1-1 are not known here; reload and listen again"));
    api.stream(ready("r2", 0), change("r2", 1, "process", "changed", P1, "RUNNING", null));

    Result r = run(2, "events", "--json");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).hasLineCount(2);
    assertThat(lastEventIds()).containsExactly(null, "r1-1", null);
    assertThat(waits).containsExactly(Duration.ofMillis(500));
    assertThat(r.err()).endsWith("defpi: the orchestrator reset the event stream (the events after r1-1 are not known"
        + " here; reload and listen again); listening again from now, changes in between may be missed\n")
        .hasLineCount(2);
  }

  @Test
  void aStreamSilentForLongerThanTheIdleTimeoutIsTakenForCut() {
    api.stream(ready("r1", 4));
    api.stream(ready("r1", 4), change("r1", 5, "process", "changed", P1, "RUNNING", null));

    Result r = run(1, Duration.ofMillis(200), "events", "--json");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).hasLineCount(1);
    assertThat(lastEventIds()).containsExactly(null, "r1-4");
    assertThat(r.err()).isEqualTo(
        "defpi: the event stream was cut (nothing came for 0.2 s); reconnecting in 0.5 s after event r1-4\n");
  }

  @Test
  void a401ExitsFourWithTheLoginLineEvenAfterACut() {
    api.streamThenDrop(ready("r1", 0), change("r1", 1, "process", "created", P1, "STARTING", null));
    api.streamRefused(401, "the token has expired or was revoked");

    Result r = run(5, "events");

    assertThat(r.code()).isEqualTo(Exit.NOT_LOGGED_IN);
    assertThat(r.out()).hasLineCount(2);
    assertThat(r.err()).endsWith("defpi: your login as admin to " + api.url() + " is no longer accepted (the token"
        + " expired or was revoked): run 'defpi login --url " + api.url() + " --user admin' again\n");
  }

  @Test
  void anOrchestratorThatFailsTheFirstConnectExitsThreeAndOneWithoutEventsExitsOne() {
    api.streamRefused(503, "starting up");
    assertThat(run(1, "events")).isEqualTo(new Result(Exit.UNAVAILABLE, "",
        "defpi: the orchestrator failed (503): starting up\n"));
    api.streamRefused(404, "no route /events");
    assertThat(run(1, "events")).isEqualTo(new Result(Exit.REFUSED, "", "defpi: no route /events\n"));
    assertThat(waits).isEmpty();
  }

  @Test
  void theBackOffStartsAtHalfASecondAndDoublesUpToTenSeconds() {
    assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 100).stream().map(EventStream::backoff).map(EventStream::seconds))
        .containsExactly("0.5 s", "1 s", "2 s", "4 s", "8 s", "10 s", "10 s", "10 s");
  }

  // --- --watch

  @Test
  void watchPrintsTheListOnceTheStreamListensThenAgainUnderEachChangeOfItsSubject() {
    api.jsonInTurn("GET /process", "[" + PROCESS.formatted("STARTING") + "]", "[" + PROCESS.formatted("RUNNING") + "]");
    api.stream(ready("r1", 0), change("r1", 1, "connection", "created", C1, "PENDING", null),
        change("r1", 2, "process", "changed", "p1", "RUNNING", null));

    Result r = run(2, "processes", "list", "--watch");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        ID  NAME   SERVICE      VERSION  STATE     REASON
        p1  meter  power-meter  1.0      STARTING  -

        %s  process p1 changed: RUNNING
        ID  NAME   SERVICE      VERSION  STATE    REASON
        p1  meter  power-meter  1.0      RUNNING  -
        """.formatted(clock(2)));
    assertThat(api.requests).extracting(FakeOrchestrator.Request::route)
        .containsExactly("GET /events", "GET /process", "GET /process");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      processes --watch              | /process       | process       | connection
      connections list --watch       | /connection    | connection    | pendingchange
      pending --state PENDING --watch | /pendingchange?state=PENDING | pendingchange | process
      """)
  void watchWithJsonPrintsTheListThenTheDataOfEachChangeOfItsSubjectOnly(String line, String path, String subject,
      String other) {
    api.jsonInTurn("GET " + path, "[]");
    api.stream(ready("r1", 0), change("r1", 1, other, "created", C1, "PENDING", null),
        change("r1", 2, subject, "changed", X1, "RUNNING", null));

    Result r = run(2, (line + " --json").split(" +"));

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("[]\n" + eventData(2, subject, "changed", X1, "RUNNING", null) + "\n");
  }

  @Test
  void watchLoadsTheListAgainAfterAReset() {
    api.jsonInTurn("GET /pendingchange", "[\"before\"]", "[\"after\"]");
    api.streamThenDrop(ready("r1", 0), change("r1", 1, "pendingchange", "created", X1, "PENDING", null),
        reset("r1", 9, "this stream fell too far behind; reload and listen again"));
    api.stream(ready("r1", 9), change("r1", 10, "pendingchange", "changed", X1, "RUNNING", null));

    Result r = run(2, "pending", "--watch", "--json");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("[\"before\"]\n" + eventData(1, "pendingchange", "created", X1, "PENDING", null) + "\n"
        + "[\"after\"]\n" + eventData(10, "pendingchange", "changed", X1, "RUNNING", null) + "\n");
    assertThat(lastEventIds()).containsExactly(null, null);
    assertThat(waits).isEmpty();
    assertThat(r.err()).contains("reset the event stream (this stream fell too far behind").hasLineCount(1);
  }

  // --- processes delete: 202 and --wait

  @Test
  void deleteSaysWhenTheTeardownGoesOnAsAPendingChange() {
    api.process("p1", "a").process("p2", "a");
    api.json("DELETE /process/p1", 202, pendingChange(X1, "RUNNING", null));
    api.json("DELETE /process/p2", 204, "");

    assertThat(run(1, "processes", "delete", "p1")).isEqualTo(new Result(0, "the teardown of process p1 goes on as"
        + " pending change " + X1 + " (RUNNING); 'defpi pending show " + X1 + "' shows how it does\n", ""));
    assertThat(run(1, "processes", "delete", "p1", "--json"))
        .isEqualTo(new Result(0, pendingChange(X1, "RUNNING", null) + "\n", ""));
    assertThat(run(1, "processes", "delete", "p2")).isEqualTo(new Result(0, "deleted process p2\n", ""));
    assertThat(api.eventRequests()).isEmpty();
  }

  @Test
  void deleteWithWaitFollowsThePendingChangeUntilItIsDone() {
    api.process("p1", "a").json("DELETE /process/p1", 202, pendingChange(X1, "PENDING", null));
    api.jsonInTurn("GET /pendingchange/" + X1, pendingChange(X1, "RUNNING", null), pendingChange(X1, "DONE", null));
    api.stream(ready("r1", 0), change("r1", 1, "pendingchange", "changed", X2, "DONE", null),
        change("r1", 2, "pendingchange", "changed", X1, "RUNNING", null),
        change("r1", 3, "process", "removed", "p1", "TERMINATED", null),
        change("r1", 4, "pendingchange", "changed", X1, "DONE", null));

    Result r = run(100, "processes", "delete", "p1", "--wait");

    assertThat(r).isEqualTo(new Result(0, "the teardown of process p1 goes on as pending change " + X1
        + " (PENDING); waiting for it to end\ndeleted process p1\n", ""));
    assertThat(api.requests).extracting(FakeOrchestrator.Request::route).containsExactly("GET /process/p1",
        "DELETE /process/p1", "GET /events", "GET /pendingchange/" + X1, "GET /pendingchange/" + X1);
  }

  @Test
  void deleteWithWaitExitsOneWithTheLastErrorWhenTheTeardownFailed() {
    api.process("p1", "a").json("DELETE /process/p1", 202, pendingChange(X1, "RUNNING", null));
    api.jsonInTurn("GET /pendingchange/" + X1, pendingChange(X1, "RUNNING", null),
        pendingChange(X1, "FAILED", "swarm: no such service"));
    api.stream(ready("r1", 0), change("r1", 1, "pendingchange", "changed", X1, "FAILED", "swarm: no such service"));

    Result r = run(100, "processes", "delete", "p1", "--wait");

    assertThat(r.code()).isEqualTo(Exit.REFUSED);
    assertThat(r.err()).isEqualTo("defpi: the teardown of process p1 (pending change " + X1
        + ") failed: swarm: no such service\n");
  }

  @Test
  void deleteWithWaitLooksThePendingChangeUpOnceTheStreamListensSoAnEarlyEndIsNotMissed() {
    api.process("p1", "a").json("DELETE /process/p1", 202, pendingChange(X1, "RUNNING", null));
    api.json("GET /pendingchange/" + X1, 200, pendingChange(X1, "DONE", null));
    api.stream(ready("r1", 7));

    Result r = run(100, "processes", "delete", "p1", "--wait", "--json");

    assertThat(r).isEqualTo(new Result(0, pendingChange(X1, "DONE", null) + "\n", ""));
  }
}
