package org.defpi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CLI run in-process against {@link FakeOrchestrator}: what it prints and which exit code. */
class CliTest {
  private static final String METER = """
      {"id":"power-meter","name":"Power Meter","version":"1.0","interfaces":[{"id":"power-meter/pm","name":"PM",
      "serviceId":"power-meter","interfaceVersions":[{"versionName":"v1","receivesHash":"aaa","sendsHash":"bbb"}],
      "allowMultiple":true,"autoConnect":false}],"parameters":[],
      "versions":[{"version":"1.0","digest":"sha256:d1","valid":true},{"version":"0.9","digest":"sha256:d0","valid":false,"reason":"no labels"}]}""";
  private static final String PROCESS = """
      {"id":"p1","serviceId":"power-meter","name":"meter","version":"1.0","userId":"admin","state":"STARTING",
      "configuration":{"count":"3"},"createdAt":"2026-01-01T00:00:00Z"}""";

  @TempDir Path dir;
  private FakeOrchestrator api;
  private Path credentials;

  record Result(int code, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    api = new FakeOrchestrator();
    credentials = dir.resolve("config/defpi/credentials.json");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private Result runWithStdin(String stdin, String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code = new Cli(credentials, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Result run(String... args) {
    return runWithStdin("", args);
  }

  private void login() {
    api.json("GET /connection", 200, "[]");
    assertThat(runWithStdin("secret\n", "login", "--url", api.url().toString(), "--password-stdin").code()).isZero();
  }

  @Test
  void loginChecksTheCredentialsThenStoresThemReadableOnlyByTheUser() throws Exception {
    api.json("GET /connection", 200, "[]");
    Path passwordFile = Files.writeString(dir.resolve("pw"), "secret\n");

    Result r = run("login", "--url", api.url().toString(), "--user", "admin", "--password-file", passwordFile.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("logged in to " + api.url() + " as admin").doesNotContain("secret");
    assertThat(api.requests).extracting(FakeOrchestrator.Request::path).containsExactly("/connection");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials.getParent()))).isEqualTo("rwx------");
    assertThat(Api.JSON.readTree(credentials.toFile()).path("url").asText()).isEqualTo(api.url().toString());
  }

  @Test
  void aWrongPasswordIsRefusedInOneLineAndNothingIsStored() {
    Result r = runWithStdin("wrong\n", "login", "--url", api.url().toString(), "--password-stdin");

    assertThat(r.code()).isEqualTo(Exit.REFUSED);
    assertThat(r.err()).isEqualTo("defpi: wrong user name or password\n");
    assertThat(r.out()).isEmpty();
    assertThat(credentials).doesNotExist();
  }

  @Test
  void withoutLoginEveryApiCommandExitsFour() {
    Result r = run("services");
    assertThat(r.code()).isEqualTo(Exit.NOT_LOGGED_IN);
    assertThat(r.err()).startsWith("defpi: not logged in").hasLineCount(1);
    assertThat(api.requests).isEmpty();
  }

  @Test
  void servicesAreATableByDefaultAndTheApisJsonWithJson() {
    login();
    api.json("GET /service", 200, "[" + METER + "]");

    Result table = run("services");
    assertThat(table.out()).isEqualTo("""
        ID           NAME         VERSION  INTERFACES      VERSIONS
        power-meter  Power Meter  1.0      power-meter/pm  1.0,0.9
        """);
    Result json = run("services", "list", "--json");
    assertThat(json.code()).isZero();
    assertThat(json.out().strip()).isEqualTo("[" + METER + "]");
  }

  @Test
  void serviceShowListsEachInterfaceVersionWithItsHashes() {
    login();
    api.json("GET /service/power-meter", 200, METER);

    Result r = run("services", "show", "power-meter");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("""
        INTERFACE       VERSION  RECEIVES-HASH  SENDS-HASH  MULTIPLE  AUTO-CONNECT
        power-meter/pm  v1       aaa            bbb         true      false
        """).contains("0.9            sha256:d0  false  no labels");
  }

  @Test
  void processCreateSendsServiceNameVersionAndConfiguration() throws Exception {
    login();
    api.json("POST /process", 201, PROCESS);

    Result r = run("processes", "create", "--service", "power-meter", "--name", "meter", "--version", "1.0",
        "--config", "count=3", "--config", "intervalMillis=50");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Api.JSON.readTree(api.requests.getLast().body())).isEqualTo(Api.JSON.readTree("""
        {"serviceId":"power-meter","name":"meter","version":"1.0","configuration":{"count":"3","intervalMillis":"50"}}"""));
    assertThat(r.out()).contains("id:       p1").contains("state:    STARTING").contains("count  3");
  }

  @Test
  void processLogAsksForTheTailAndPrintsTheText() {
    login();
    api.text("GET /process/p1/log?tail=5", 200, "line 1\nline 2");

    Result r = run("processes", "log", "p1", "--tail", "5");

    assertThat(r.out()).isEqualTo("line 1\nline 2\n");
  }

  @Test
  void connectionCreateSplitsEachEndpointAtItsFirstColon() throws Exception {
    login();
    api.json("POST /connection", 201, """
        {"id":"c1","endpoint1":{"processId":"p1","interfaceId":"a/pm","listenPort":7000},
        "endpoint2":{"processId":"p2","interfaceId":"b/pm","listenPort":7000},
        "interfaceVersions":{"endpoint1":"v1","endpoint2":"v1"},"state":"PENDING","createdAt":"2026-01-01T00:00:00Z"}""");

    Result r = run("connections", "create", "p1:a/pm", "p2:b/pm");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Api.JSON.readTree(api.requests.getLast().body())).isEqualTo(Api.JSON.readTree("""
        {"endpoint1":{"processId":"p1","interfaceId":"a/pm"},"endpoint2":{"processId":"p2","interfaceId":"b/pm"}}"""));
    assertThat(r.out()).contains("endpoint1:    p1:a/pm");
  }

  @Test
  void deleteIsQuietWithJsonAndSaysWhatItDidWithout() {
    login();
    api.json("DELETE /connection/c1", 204, "");
    assertThat(run("connections", "delete", "c1")).isEqualTo(new Result(0, "deleted connection c1\n", ""));
    assertThat(run("connections", "delete", "c1", "--json")).isEqualTo(new Result(0, "", ""));
  }

  @ParameterizedTest(name = "{0} -> exit {1}")
  @CsvSource(delimiter = '|', textBlock = """
      404 | 1 | process 'p9' does not exist
      409 | 1 | the interface is already connected
      422 | 1 | no service 'x'
      500 | 3 | the orchestrator failed (500): boom
      502 | 3 | the orchestrator failed (502): registry unavailable
      """)
  void apiErrorsMapToExitCodesWithTheProblemsDetailOnOneLine(int status, int code, String line) {
    login();
    String detail = line.startsWith("the orchestrator failed") ? line.substring(line.indexOf("): ") + 3) : line;
    api.problem("GET /process/p9", status, detail);

    Result r = run("processes", "show", "p9");

    assertThat(r.code()).isEqualTo(code);
    assertThat(r.err()).isEqualTo("defpi: " + line + "\n");
  }

  @Test
  void aMultiLineDetailIsPrintedOnOneLine() {
    login();
    api.problem("GET /process/p9", 422, "first\nsecond");
    assertThat(run("processes", "show", "p9").err()).isEqualTo("defpi: first second\n");
  }

  @Test
  void anOrchestratorThatIsNotThereExitsThree() throws Exception {
    int closedPort;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Result r = runWithStdin("secret\n", "login", "--url", "http://127.0.0.1:" + closedPort, "--password-stdin");
    assertThat(r.code()).isEqualTo(Exit.UNAVAILABLE);
    assertThat(r.err()).startsWith("defpi: cannot reach the orchestrator at http://127.0.0.1:" + closedPort)
        .hasLineCount(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      bogus
      services show
      processes create --name x
      processes log p1 --tail many
      processes create --service s --config novalue
      connections create p1 p2:b/pm
      login --password-file f --password-stdin
      """)
  void usageErrorsExitTwoWithOneLine(String line) {
    login();
    Result r = run(line.split(" "));
    assertThat(r.code()).as(r.err()).isEqualTo(Exit.USAGE);
    assertThat(r.err()).startsWith("defpi: ").hasLineCount(1);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void logoutForgetsTheCredentialsAndIsSafeTwice() {
    login();
    assertThat(run("logout").out()).isEqualTo("logged out\n");
    assertThat(credentials).doesNotExist();
    assertThat(run("logout")).isEqualTo(new Result(0, "not logged in\n", ""));
    assertThat(run("whoami").code()).isEqualTo(Exit.NOT_LOGGED_IN);
  }

  @Test
  void whoamiNamesTheUserAndUrlButNeverThePassword() {
    login();
    Result r = run("whoami", "--json");
    assertThat(r.out().strip()).isEqualTo("{\"url\":\"" + api.url() + "\",\"user\":\"admin\"}");
    assertThat(new Credentials(api.url(), "admin", "secret").toString()).doesNotContain("secret");
  }
}
