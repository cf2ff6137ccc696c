package org.defpi.sdk;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.defpi.sdk.testing.TestInterface.text;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.defpi.sdk.testing.FakeOrchestrator;
import org.defpi.sdk.testing.FakeOrchestrator.TrafficReport;
import org.defpi.sdk.testing.ManagementClient;
import org.defpi.sdk.testing.RecordingHandler;
import org.defpi.sdk.testing.RecordingService;
import org.defpi.sdk.testing.TestInterface;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage.ModeType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each data connection counts what it carries, and the runtime reports the counts to the
 * orchestrator (an addition to WIRE.md): two real runtimes, alpha listening and beta connecting,
 * and the fake orchestrator's traffic route.
 */
class TrafficTest {
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream originalErr;
  private FakeOrchestrator orchestrator;
  private final TestInterface chatAlpha = new TestInterface();
  private final TestInterface chatBeta = new TestInterface();
  private ServiceProcess alpha;
  private ServiceProcess beta;
  private ManagementClient alphaManagement;
  private ManagementClient betaManagement;
  private int port;

  @BeforeEach
  void startTwoProcesses() throws Exception {
    // slf4j-simple writes each line to the System.err of the moment: everything the runtimes log
    // from here on is captured (and still shown).
    originalErr = System.err;
    System.setErr(new PrintStream(new Tee(originalErr, captured), true, StandardCharsets.UTF_8));
    orchestrator = new FakeOrchestrator();
    orchestrator.answerTraffic(204, "0.05");
    alpha = ServiceRunner.start(RecordingService.definition(new RecordingService(), chatAlpha),
        orchestrator.options("alpha"));
    beta = ServiceRunner.start(RecordingService.definition(new RecordingService(), chatBeta),
        orchestrator.options("beta"));
    alphaManagement = orchestrator.connect(alpha);
    betaManagement = orchestrator.connect(beta);
    alphaManagement.setConfig("alpha", Map.of(), false);
    betaManagement.setConfig("beta", Map.of(), false);
    port = ManagementProtocolTest.freePort();
  }

  @AfterEach
  void stopAll() throws Exception {
    alphaManagement.close();
    betaManagement.close();
    alpha.close();
    beta.close();
    orchestrator.close();
    System.setErr(originalErr);
  }

  @Test
  void eachConnectionCountsMessagesBytesAndStateChanges() throws Exception {
    RecordingHandler alphaHandler = create(chatAlpha, alphaManagement, TestInterface.A, "");
    RecordingHandler betaHandler = create(chatBeta, betaManagement, TestInterface.B, "127.0.0.1");
    await().atMost(5, SECONDS).until(() -> alphaHandler.connection().state() == ConnectionState.CONNECTED
        && betaHandler.connection().state() == ConnectionState.CONNECTED);

    for (int i = 0; i < 10; i++) {
      alphaHandler.connection().send(text("alpha", "message " + i));
    }
    betaHandler.connection().send(text("beta", "back"));
    await().atMost(5, SECONDS).until(() -> betaHandler.texts().size() == 10 && alphaHandler.texts().size() == 1);

    ConnectionTraffic a = alphaHandler.connection().traffic();
    ConnectionTraffic b = betaHandler.connection().traffic();
    assertThat(a.messagesOut()).isEqualTo(10);
    assertThat(a.messagesIn()).isEqualTo(1);
    assertThat(b.messagesIn()).isEqualTo(10);
    assertThat(b.messagesOut()).isEqualTo(1);
    // the same frames seen from both ends
    assertThat(b.bytesIn()).isEqualTo(a.bytesOut()).isGreaterThan(10 * "message 0".length());
    assertThat(a.bytesIn()).isEqualTo(b.bytesOut()).isPositive();
    assertThat(a.stateChanges()).isEqualTo(1); // STARTING → CONNECTED
    assertThat(a.dropped()).isZero();
    assertThat(a.errors()).isZero();
  }

  @Test
  void sendsThatTheConnectionDiscardsCountAsDropped() throws Exception {
    RecordingHandler alphaHandler = create(chatAlpha, alphaManagement, TestInterface.A, "");
    Connection connection = alphaHandler.connection();
    alphaManagement.connectionMode(ModeType.TERMINATE, "c1", TestInterface.A, "", port);
    await().atMost(5, SECONDS).until(() -> connection.state() == ConnectionState.TERMINATED);

    assertThatThrownBy(() -> connection.send(text("alpha", "too late"))).isInstanceOf(IllegalStateException.class);

    assertThat(connection.traffic().dropped()).isEqualTo(1);
    assertThat(connection.traffic().stateChanges()).isEqualTo(1); // STARTING → TERMINATED
  }

  @Test
  void theOrchestratorGetsEachConnectionsCountersAtTheIntervalItAsks() throws Exception {
    RecordingHandler alphaHandler = create(chatAlpha, alphaManagement, TestInterface.A, "");
    RecordingHandler betaHandler = create(chatBeta, betaManagement, TestInterface.B, "127.0.0.1");
    await().atMost(5, SECONDS).until(() -> alphaHandler.connection().state() == ConnectionState.CONNECTED);
    for (int i = 0; i < 3; i++) {
      alphaHandler.connection().send(text("alpha", "m" + i));
    }
    await().atMost(5, SECONDS).until(() -> betaHandler.texts().size() == 3);

    // Reports keep coming every 50 ms (as asked); one of beta's soon has all three messages.
    TrafficReport report;
    do {
      report = orchestrator.trafficReports().poll(5, SECONDS);
      assertThat(report).as("a traffic report within 5 s").isNotNull();
    } while (!(report.processId().equals("beta") && report.body().contains("\"messagesIn\":3,")));

    assertThat(report.body()).startsWith("{\"connections\":[{\"connectionId\":\"c1\",\"state\":\"CONNECTED\",");
    assertThat(counter(report.body(), "bytesIn")).isEqualTo(alphaHandler.connection().traffic().bytesOut());
  }

  @Test
  void anOrchestratorWithoutTheRouteIsLeftAloneAndTheTokenIsNeverLogged() throws Exception {
    create(chatAlpha, alphaManagement, TestInterface.A, "");
    // Failures first (quiet back-off), then an orchestrator that has no such route (404): reporting stops.
    orchestrator.answerTraffic(503, "0.05");
    int before = orchestrator.trafficCalls();
    await().atMost(5, SECONDS).until(() -> orchestrator.trafficCalls() >= before + 4);
    orchestrator.answerTraffic(404, "0.05");
    await().atMost(10, SECONDS).until(() -> log().contains("not reporting traffic")
        && count(log(), "not reporting traffic") == 2); // one line for each process

    int stoppedAt = orchestrator.trafficCalls();
    // Nothing more comes: the process that would report next has long passed its 50 ms interval,
    // and the trigger of a third process is a later, observable event to wait for.
    ServiceProcess third = ServiceRunner.start(RecordingService.definition(new RecordingService(), new TestInterface()),
        orchestrator.options("third"));
    await().atMost(5, SECONDS).until(() -> count(log(), "not reporting traffic") == 3);
    third.close();
    assertThat(orchestrator.trafficCalls()).isEqualTo(stoppedAt + 1); // the third's one call

    String log = log();
    assertThat(log).contains("traffic report to").contains("answered HTTP 503"); // the DEBUG lines were seen
    for (String process : new String[] {"alpha", "beta", "third"}) {
      assertThat(log).doesNotContain(orchestrator.parameters(process).orchestratorToken());
    }
  }

  private String log() {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }

  private static int count(String haystack, String needle) {
    return haystack.split(Pattern.quote(needle), -1).length - 1;
  }

  private static long counter(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
    assertThat(m.find()).as(name + " in " + json).isTrue();
    return Long.parseLong(m.group(1));
  }

  private RecordingHandler create(TestInterface chat, ManagementClient management, TestInterface.Side side,
      String target) throws Exception {
    management.create("c1", side, target, port);
    RecordingHandler handler = chat.handlers().poll(5, SECONDS);
    assertThat(handler).as("handler built").isNotNull();
    return handler;
  }

  /** Writes to two streams; the capture is guarded so the test reads whole lines. */
  private static final class Tee extends OutputStream {
    private final OutputStream shown;
    private final ByteArrayOutputStream kept;

    Tee(OutputStream shown, ByteArrayOutputStream kept) {
      this.shown = shown;
      this.kept = kept;
    }

    @Override
    public void write(int b) throws java.io.IOException {
      shown.write(b);
      synchronized (kept) {
        kept.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      shown.write(b, off, len);
      synchronized (kept) {
        kept.write(b, off, len);
      }
    }
  }
}
