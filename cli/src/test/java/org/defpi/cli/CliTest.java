package org.defpi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
    Result r = runWithStdin("secret\n", "login", "--url", api.url().toString(), "--password-stdin");
    assertThat(r.code()).as(r.err()).isZero();
  }

  private static JsonNode json(String text) throws Exception {
    return Api.JSON.readTree(text);
  }

  // --- login, tokens, logout, whoami

  @Test
  void loginPostsNameAndPasswordThenStoresTheTokenNeverThePasswordReadableOnlyByTheUser() throws Exception {
    Path passwordFile = Files.writeString(dir.resolve("pw"), "secret\n");

    Result r = run("login", "--url", api.url().toString(), "--user", "admin", "--password-file", passwordFile.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("logged in to " + api.url() + " as admin (admin) until " + FakeOrchestrator.EXPIRES_AT)
        .doesNotContain("secret").doesNotContain("token-1");
    assertThat(api.requests).extracting(FakeOrchestrator.Request::route).containsExactly("POST /login");
    assertThat(json(api.requests.getFirst().body())).isEqualTo(json("{\"name\":\"admin\",\"password\":\"secret\"}"));
    assertThat(api.requests.getFirst().authorization()).isNull();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials.getParent()))).isEqualTo("rwx------");
    assertThat(json(Files.readString(credentials))).isEqualTo(json("{\"url\":\"" + api.url()
        + "\",\"user\":\"admin\",\"token\":\"token-1\",\"expiresAt\":\"" + FakeOrchestrator.EXPIRES_AT + "\"}"));
    assertThat(Files.readString(credentials)).doesNotContain("secret").doesNotContain("password");
  }

  @Test
  void loginWithJsonPrintsTheAnswerWithoutTheToken() throws Exception {
    Result r = runWithStdin("secret\n", "login", "--url", api.url().toString(), "--password-stdin", "--json");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(json(r.out())).isEqualTo(json("{\"expiresAt\":\"" + FakeOrchestrator.EXPIRES_AT + "\",\"user\":"
        + FakeOrchestrator.ADMIN + ",\"url\":\"" + api.url() + "\"}"));
  }

  @Test
  void everyRequestAfterLoginCarriesTheBearerToken() {
    login();
    api.json("GET /process", 200, "[]");

    assertThat(run("processes").code()).isZero();

    assertThat(api.requests("GET /process")).extracting(FakeOrchestrator.Request::authorization)
        .containsExactly("Bearer token-1");
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
  void aRateLimitedLoginSaysHowLongToWait() {
    api.rateLimitLogins(42);

    Result r = runWithStdin("secret\n", "login", "--url", api.url().toString(), "--password-stdin");

    assertThat(r.code()).isEqualTo(Exit.REFUSED);
    assertThat(r.err()).isEqualTo("defpi: too many failed logins for admin (retry after 42 seconds)\n");
    assertThat(credentials).doesNotExist();
  }

  @Test
  void aRevokedTokenExitsFourWithOneLineSayingHowToLogInAgain() {
    login();
    api.revokeAll();

    Result r = run("processes", "list");

    assertThat(r.code()).isEqualTo(Exit.NOT_LOGGED_IN);
    assertThat(r.err()).isEqualTo("defpi: your login as admin to " + api.url() + " is no longer accepted (the token"
        + " expired or was revoked): run 'defpi login --url " + api.url() + " --user admin' again\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aTokenPastItsExpiryExitsFourNamingWhenItExpired() throws Exception {
    Files.createDirectories(credentials.getParent());
    Files.writeString(credentials, "{\"url\":\"" + api.url() + "\",\"user\":\"admin\",\"token\":\"old\","
        + "\"expiresAt\":\"2020-01-01T00:00:00Z\"}");

    Result r = run("services");

    assertThat(r.code()).isEqualTo(Exit.NOT_LOGGED_IN);
    assertThat(r.err()).isEqualTo("defpi: your login as admin to " + api.url() + " expired at 2020-01-01T00:00:00Z: run"
        + " 'defpi login --url " + api.url() + " --user admin' again\n");
  }

  @Test
  void anOldCredentialsFileWithAPasswordIsNeverSentAndLogoutDeletesIt() throws Exception {
    Files.createDirectories(credentials.getParent());
    Files.writeString(credentials, "{\"url\":\"" + api.url() + "\",\"user\":\"admin\",\"password\":\"secret\"}");

    Result r = run("services");

    assertThat(r.code()).isEqualTo(Exit.NOT_LOGGED_IN);
    assertThat(r.err()).hasLineCount(1).contains("older defpi").contains("run 'defpi login' again")
        .doesNotContain("secret");
    assertThat(api.requests).isEmpty();
    assertThat(run("logout").out()).startsWith("logged out (deleted ");
    assertThat(credentials).doesNotExist();
    assertThat(api.requests).isEmpty();
  }

  @Test
  void logingInAgainRevokesTheTokenItReplaces() {
    login();
    login();

    assertThat(api.requests("POST /logout")).extracting(FakeOrchestrator.Request::authorization)
        .containsExactly("Bearer token-1");
    assertThat(api.accepts("token-1")).isFalse();
    assertThat(api.accepts("token-2")).isTrue();
  }

  @Test
  void logoutRevokesTheTokenThenDeletesTheFileAndIsSafeTwice() {
    login();

    assertThat(run("logout")).isEqualTo(new Result(0, "logged out\n", ""));

    assertThat(api.requests("POST /logout")).extracting(FakeOrchestrator.Request::authorization)
        .containsExactly("Bearer token-1");
    assertThat(api.accepts("token-1")).isFalse();
    assertThat(credentials).doesNotExist();
    assertThat(run("logout")).isEqualTo(new Result(0, "not logged in\n", ""));
    assertThat(run("whoami").code()).isEqualTo(Exit.NOT_LOGGED_IN);
  }

  @Test
  void logoutWithAnAlreadyRevokedTokenJustForgetsIt() {
    login();
    api.revokeAll();
    assertThat(run("logout")).isEqualTo(new Result(0, "logged out\n", ""));
    assertThat(credentials).doesNotExist();
  }

  @Test
  void logoutWhenTheOrchestratorIsGoneForgetsLocallyAndSaysTheTokenWasNotRevoked() {
    login();
    api.close();

    Result r = run("logout");

    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("logged out locally\n");
    assertThat(r.err()).startsWith("defpi: the token was not revoked (cannot reach the orchestrator at " + api.url())
        .endsWith("it stays valid until " + FakeOrchestrator.EXPIRES_AT + "\n").hasLineCount(1);
    assertThat(credentials).doesNotExist();
  }

  @Test
  void whoamiAsksTheOrchestratorAndShowsNameRoleUrlAndExpiry() throws Exception {
    login();

    Result r = run("whoami");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("user:     admin\nrole:     admin\nid:       " + FakeOrchestrator.ADMIN_ID + "\n"
        + "url:      " + api.url() + "\nexpires:  " + FakeOrchestrator.EXPIRES_AT + "\n");
    assertThat(api.requests.getLast().route()).isEqualTo("GET /user/me");
    assertThat(json(run("whoami", "--json").out())).isEqualTo(json(FakeOrchestrator.ADMIN));
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
  void processUpdateChangesTheGivenConfigurationKeysKeepsTheOthersAndUpgrades() throws Exception {
    login();
    api.json("GET /process/p1", 200, PROCESS);
    api.json("PUT /process/p1", 200, PROCESS);

    Result r = run("processes", "update", "p1", "--config", "intervalMillis=50", "--version", "2.0");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Api.JSON.readTree(api.requests("PUT /process/p1").getLast().body())).isEqualTo(Api.JSON.readTree("""
        {"configuration":{"count":"3","intervalMillis":"50"},"version":"2.0"}"""));
    assertThat(run("processes", "update", "p1").err()).contains("say what to change");

    assertThat(run("processes", "update", "p1", "--pool", "pool2").code()).isZero();
    assertThat(Api.JSON.readTree(api.requests("PUT /process/p1").getLast().body()))
        .isEqualTo(Api.JSON.readTree("{\"nodePoolId\":\"pool2\"}"));
    assertThat(run("processes", "update", "p1", "--any-public-node").code()).isZero();
    assertThat(Api.JSON.readTree(api.requests("PUT /process/p1").getLast().body()))
        .isEqualTo(Api.JSON.readTree("{\"anyPublicNode\":true}"));
    assertThat(run("processes", "update", "p1", "--pool", "a", "--node", "b").err()).contains("one place, not several");
    assertThat(run("processes", "update", "p1", "--pool", "a", "--any-public-node").err())
        .contains("one place, not several");
  }

  @Test
  void processCreateSaysWhereItRunsAndWithWhat() throws Exception {
    login();
    api.json("POST /process", 201, """
        {"id":"p1","serviceId":"power-meter","name":"meter","version":"1.0","userId":"admin","state":"STARTING",
        "configuration":{},"createdAt":"2026-01-01T00:00:00Z","nodePoolId":"pool1","memoryMb":256,"cpus":0.5,
        "mounts":[{"type":"volume","source":"data","target":"/data","readOnly":false},
        {"type":"bind","source":"/srv","target":"/srv","readOnly":true}],
        "ports":[{"target":80,"published":8080,"protocol":"tcp"}],"runsOn":"node1"}""");

    Result r = run("processes", "create", "--service", "power-meter", "--pool", "pool1", "--memory", "256",
        "--cpus", "0.5", "--volume", "data:/data", "--volume", "/srv:/srv:ro", "--publish", "8080:80",
        "--publish", "5353:53/udp");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(json(api.requests.getLast().body())).isEqualTo(json("""
        {"serviceId":"power-meter","configuration":{},"nodePoolId":"pool1","memoryMb":256,"cpus":0.5,
        "mounts":[{"type":"volume","source":"data","target":"/data"},
        {"type":"bind","source":"/srv","target":"/srv","readOnly":true}],
        "ports":[{"target":80,"published":8080,"protocol":"tcp"},{"target":53,"published":5353,"protocol":"udp"}]}"""));
    assertThat(r.out()).contains("placed:   pool pool1").contains("memory:   256 MiB").contains("cpus:     0.5")
        .contains("volumes:  data:/data, /srv:/srv:ro").contains("ports:    8080:80/tcp").contains("runs on:  node1");
  }

  @Test
  void processCreateOnANodeSendsItsId() throws Exception {
    login();
    api.json("POST /process", 201, PROCESS);
    assertThat(run("processes", "create", "--service", "power-meter", "--node", "n1").code()).isZero();
    assertThat(json(api.requests.getLast().body()).path("nodeId").asText()).isEqualTo("n1");
    assertThat(json(api.requests.getLast().body()).has("nodePoolId")).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      --node n1 --pool p1      | --node or --pool, not both
      --volume data            | --volume takes SOURCE:TARGET or SOURCE:TARGET:ro, not 'data'
      --volume data:/d:rw      | --volume takes SOURCE:TARGET or SOURCE:TARGET:ro, not 'data:/d:rw'
      --publish 8080           | --publish takes HOST:CONTAINER or HOST:CONTAINER/PROTOCOL (tcp, udp, sctp), not '8080'
      --publish 8080:80/icmp   | not '8080:80/icmp'
      --memory lots            | Invalid value for option '--memory'
      --cpus half              | Invalid value for option '--cpus'
      """)
  void processCreateRefusesAWrongPlacementBeforeAsking(String options, String message) {
    login();
    int before = api.requests.size();
    java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("processes", "create", "--service", "m"));
    args.addAll(java.util.List.of(options.split(" ")));
    Result r = run(args.toArray(String[]::new));
    assertThat(r.code()).isEqualTo(Exit.USAGE);
    assertThat(r.err()).contains(message);
    assertThat(api.requests).hasSize(before);
  }

  @Test
  void logsFollowPrintsTheLinesAsTheyComeAndIsAlsoATopLevelCommand() {
    login();
    api.process("p1", "a").text("GET /process/p1/log?follow=true&tail=5", 200, "line 1\nline 2\n");

    Result r = run("logs", "p1", "--follow", "--tail", "5");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("line 1\nline 2\n");
    assertThat(run("processes", "log", "p1", "-f", "--tail", "5").out()).isEqualTo("line 1\nline 2\n");
    api.problem("GET /process/p9", 404, "process 'p9' does not exist").json("GET /process?name=p9&limit=6", 200, "[]");
    assertThat(run("logs", "p9", "--follow").err()).isEqualTo("defpi: no process has the id or the name 'p9'\n");
  }

  @Test
  void logsGrepKeepsTheMatchingLinesFollowedOrNot() {
    login();
    api.process("p1", "a").text("GET /process/p1/log", 200, "sent 1\nERROR lost\nsent 2\nan error again");
    api.text("GET /process/p1/log?follow=true", 200, "sent 1\nERROR lost\nsent 2\n");

    Result r = run("logs", "p1", "--grep", "error");
    Result followed = run("logs", "p1", "-f", "-g", "^sent");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("ERROR lost\nan error again\n");
    assertThat(followed.out()).isEqualTo("sent 1\nsent 2\n");
  }

  @Test
  void logsGrepRefusesARegexThatDoesNotCompileBeforeAsking() {
    login();
    int before = api.requests.size();

    Result r = run("logs", "p1", "--grep", "(unclosed");

    assertThat(r.code()).isEqualTo(Exit.USAGE);
    assertThat(r.err()).startsWith("defpi: --grep '(unclosed' is not a regular expression: Unclosed group").hasLineCount(1);
    assertThat(api.requests).hasSize(before);
  }

  @Test
  void processLogAsksForTheTailAndPrintsTheText() {
    login();
    api.process("p1", "a").text("GET /process/p1/log?tail=5", 200, "line 1\nline 2");

    Result r = run("processes", "log", "p1", "--tail", "5");

    assertThat(r.out()).isEqualTo("line 1\nline 2\n");
  }

  @Test
  void connectionCreateSplitsEachEndpointAtItsFirstColon() throws Exception {
    login();
    api.process("p1", "a").process("p2", "b");
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
  void connectionsSayWhetherTheyAreEncrypted() {
    login();
    String plain = """
        {"id":"c1","userId":"u1","endpoint1":{"processId":"p1","interfaceId":"a/pm","listenPort":7000},
        "endpoint2":{"processId":"p2","interfaceId":"b/pm","listenPort":7000},
        "interfaceVersions":{"endpoint1":"v1","endpoint2":"v1"},"state":"ACTIVE","encrypted":false,
        "createdAt":"2026-01-01T00:00:00Z"}""";
    String tls = plain.replace("\"c1\"", "\"c2\"").replace("\"encrypted\":false", "\"encrypted\":true");
    // an orchestrator from before the TLS addition does not say
    String silent = plain.replace("\"c1\"", "\"c3\"").replace("\"encrypted\":false,", "");
    api.page("GET /connection", "[" + plain + "," + tls + "," + silent + "]", 3);
    api.json("GET /connection/c2", 200, tls);

    assertThat(run("connections").out()).isEqualTo("""
        ID  ENDPOINT1  ENDPOINT2  VERSIONS  STATE   ENCRYPTED  REASON
        c1  p1:a/pm    p2:b/pm    v1/v1     ACTIVE  no         -
        c2  p1:a/pm    p2:b/pm    v1/v1     ACTIVE  yes        -
        c3  p1:a/pm    p2:b/pm    v1/v1     ACTIVE  -          -
        """);
    assertThat(run("connections", "show", "c2").out()).contains("state:        ACTIVE\nencrypted:    yes\n");
  }

  @Test
  void aProcessShowsWhetherItHoldsACertificate() {
    login();
    api.json("GET /process/p1", 200, PROCESS.replace("\"configuration\"", "\"tls\":true,\"configuration\""));
    api.json("GET /process/p2", 200, PROCESS.replace("\"p1\"", "\"p2\"")
        .replace("\"configuration\"", "\"tls\":false,\"configuration\""));

    assertThat(run("processes", "show", "p1").out()).contains("tls:      yes\n");
    assertThat(run("processes", "show", "p2").out()).contains("tls:      no\n");
  }

  @Test
  void aProcessMayBeNamedAndAnInterfaceByThePartAfterItsServiceId() throws Exception {
    login();
    api.problem("GET /process/my-meter", 404, "process 'my-meter' does not exist")
        .json("GET /process?name=my-meter&limit=6", 200, "[{\"id\":\"p1\",\"serviceId\":\"power-meter\",\"name\":\"my-meter\"}]")
        .process("p2", "power-logger")
        .json("POST /connection", 201, "{\"id\":\"c1\",\"state\":\"PENDING\"}");

    Result r = run("connections", "create", "my-meter:power-measurement", "p2:power-logger/power-measurement");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Api.JSON.readTree(api.requests.getLast().body())).isEqualTo(Api.JSON.readTree("""
        {"endpoint1":{"processId":"p1","interfaceId":"power-meter/power-measurement"},
         "endpoint2":{"processId":"p2","interfaceId":"power-logger/power-measurement"}}"""));
  }

  @ParameterizedTest
  @CsvSource({"processes create", "processes update", "connections create"})
  void helpIsShownEvenWhereRequiredOptionsAreMissingOrVersionMeansAServiceVersion(String command) {
    Result r = run((command + " --help").split(" "));

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("Usage: defpi " + command);
  }

  @Test
  void aNameSeveralProcessesHaveIsRefusedWithTheirIds() {
    login();
    api.problem("GET /process/twin", 404, "process 'twin' does not exist")
        .json("GET /process?name=twin&limit=6", 200, "[{\"id\":\"p1\",\"name\":\"twin\"},{\"id\":\"p2\",\"name\":\"twin\"}]");

    Result r = run("logs", "twin");

    assertThat(r.code()).isEqualTo(Exit.REFUSED);
    assertThat(r.err()).isEqualTo("defpi: 2 processes are named 'twin' (p1, p2): give the id\n");
  }

  @Test
  void deleteIsQuietWithJsonAndSaysWhatItDidWithout() {
    login();
    api.json("DELETE /connection/c1", 204, "");
    assertThat(run("connections", "delete", "c1")).isEqualTo(new Result(0, "deleted connection c1\n", ""));
    assertThat(run("connections", "delete", "c1", "--json")).isEqualTo(new Result(0, "", ""));
  }

  @Test
  void aConnectionWhoseRemovalGoesOnSaysWhichPendingChangeCarriesItOn() {
    login();
    api.json("DELETE /connection/c1", 202, """
        {"id":"ch1","kind":"DELETE_CONNECTION","connectionId":"c1","userId":"u1","state":"PENDING","attempts":0,
        "maxAttempts":10,"createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:00:00Z",
        "notBefore":"2026-01-01T00:00:00Z"}""");
    assertThat(run("connections", "delete", "c1")).isEqualTo(new Result(0, "the removal of connection c1 goes on as"
        + " pending change ch1 (PENDING); 'defpi pending show ch1' shows how it does\n", ""));
    assertThat(run("connections", "delete", "c1", "--json").out()).contains("\"kind\":\"DELETE_CONNECTION\"");
  }

  @ParameterizedTest(name = "{0} -> exit {1}")
  @CsvSource(delimiter = '|', textBlock = """
      403 | 1 | only an admin may do this
      404 | 1 | no process has the id or the name 'p9'
      409 | 1 | the interface is already connected
      422 | 1 | no service 'x'
      500 | 3 | the orchestrator failed (500): boom
      502 | 3 | the orchestrator failed (502): registry unavailable
      """)
  void apiErrorsMapToExitCodesWithTheProblemsDetailOnOneLine(int status, int code, String line) {
    login();
    String detail = line.startsWith("the orchestrator failed") ? line.substring(line.indexOf("): ") + 3) : line;
    api.problem("GET /process/p9", status, detail);

    api.json("GET /process?name=p9&limit=6", 200, "[]"); // a 404 by id looks for the name

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
      processes list --limit -1
      processes list --limit 0
      processes list --offset -5
      processes list --sort
      processes list --sort --json
      nodes make-public n1
      users create bob --role god --password-stdin
      users create bob --role user
      users set-role u1 root
      users passwd u1 --password-file f --password-stdin
      pending cancel
      pending retry
      """)
  void usageErrorsExitTwoWithOneLine(String line) {
    login();
    Result r = run(line.split(" "));
    assertThat(r.code()).as(r.err()).isEqualTo(Exit.USAGE);
    assertThat(r.err()).startsWith("defpi: ").hasLineCount(1);
    assertThat(r.out()).isEmpty();
  }

  // --- lists: paging, filters, the footer

  @Test
  void aListSendsFiltersThenPagingAndEndsWithWhereThePageIs() {
    login();
    api.page("GET /process?state=RUNNING&state=STARTING&serviceId=power-meter&offset=2&limit=2&sort=-createdAt,name",
        "[" + PROCESS + "," + PROCESS.replace("\"p1\"", "\"p2\"") + "]", 134);

    Result r = run("processes", "list", "--state", "RUNNING", "--state", "STARTING", "--service", "power-meter",
        "--limit", "2", "--offset", "2", "--sort", "-createdAt,name");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        ID  NAME   SERVICE      VERSION  STATE     REASON
        p1  meter  power-meter  1.0      STARTING  -
        p2  meter  power-meter  1.0      STARTING  -
        showing 3-4 of 134; --offset 4 for more
        """);
  }

  @Test
  void theLastPageHasNoHintAndAWholeListNoFooter() {
    login();
    api.page("GET /nodepool?offset=133", "[{\"id\":\"pool1\",\"name\":\"lab\"}]", 134);
    api.page("GET /nodepool", "[{\"id\":\"pool1\",\"name\":\"lab\"}]", 1);
    api.page("GET /nodepool?offset=200", "[]", 134);

    assertThat(run("pools", "--offset", "133").out()).endsWith("lab\nshowing 134-134 of 134\n");
    assertThat(run("pools").out()).isEqualTo("ID     NAME\npool1  lab\n");
    assertThat(run("pools", "list", "--offset", "200").out()).isEqualTo("ID  NAME\nshowing 0 of 134\n");
  }

  @Test
  void jsonPrintsAListsBodyUnchangedWithoutAFooter() {
    login();
    String body = "[ " + PROCESS + " ]";
    api.page("GET /process?limit=1", body, 134);

    Result r = run("processes", "--limit", "1", "--json");

    assertThat(r).isEqualTo(new Result(0, body.strip() + "\n", ""));
  }

  // --- interfaces, nodes, pools, users, pending changes

  @Test
  void interfacesAreOneRowPerVersionWithItsHashes() {
    login();
    api.page("GET /interface?serviceId=power-meter", """
        [{"id":"power-meter/pm","name":"PM","serviceId":"power-meter","interfaceVersions":[
        {"versionName":"v1","receivesHash":"aaa","sendsHash":"bbb"},{"versionName":"v2","receivesHash":"ccc","sendsHash":"ddd"}],
        "allowMultiple":true,"autoConnect":false},
        {"id":"power-meter/none","name":"None","serviceId":"power-meter","interfaceVersions":[],"allowMultiple":false,"autoConnect":true}]""", 2);

    Result r = run("interfaces", "--service", "power-meter");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        INTERFACE         SERVICE      VERSION  RECEIVES-HASH  SENDS-HASH  MULTIPLE  AUTO-CONNECT
        power-meter/pm    power-meter  v1       aaa            bbb         true      false
        power-meter/pm    power-meter  v2       ccc            ddd         true      false
        power-meter/none  power-meter  -        -              -           false     true
        """);
  }

  @Test
  void nodesAreListedByKindAndMadePublicPrivateOrForgotten() throws Exception {
    login();
    String node = """
        {"id":"n1","hostname":"pi-1","architecture":"arm64","status":"READY","kind":"%s"%s,"lastSeen":"2026-01-01T00:00:00Z"}""";
    api.page("GET /node?kind=unidentified", "[" + node.formatted("unidentified", "") + "]", 1);
    api.json("PUT /node/n1", 200, node.formatted("public", ",\"poolId\":\"pool1\""));
    api.page("GET /node?sort=-hostname", "[]", 0);

    assertThat(run("nodes", "list", "--kind", "unidentified").out()).isEqualTo("""
        ID  HOSTNAME  ARCH   STATUS  KIND          POOL  USER  LAST-SEEN
        n1  pi-1      arm64  READY   unidentified  -     -     2026-01-01T00:00:00Z
        """);
    // -hostname is a descending sort, not the short options -h -o -s …
    assertThat(run("nodes", "--sort", "-hostname").code()).isZero();
    Result r = run("nodes", "make-public", "n1", "--pool", "pool1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("kind:          public").contains("pool:          pool1");
    assertThat(run("nodes", "make-private", "n1", "--user", "u1").code()).isZero();
    assertThat(run("nodes", "forget", "n1").code()).isZero();
    assertThat(api.requests("PUT /node/n1")).extracting(q -> json(q.body())).containsExactly(
        json("{\"kind\":\"public\",\"poolId\":\"pool1\"}"), json("{\"kind\":\"private\",\"userId\":\"u1\"}"),
        json("{\"kind\":\"unidentified\"}"));
  }

  @Test
  void poolsAreCreatedRenamedAndDeleted() throws Exception {
    login();
    api.json("POST /nodepool", 201, "{\"id\":\"pool1\",\"name\":\"lab\"}");
    api.json("PUT /nodepool/pool1", 200, "{\"id\":\"pool1\",\"name\":\"attic\"}");
    api.json("DELETE /nodepool/pool1", 204, "");
    api.problem("DELETE /nodepool/pool2", 409, "pool 'pool2' still has 2 nodes");

    assertThat(run("pools", "create", "lab").out()).isEqualTo("id:    pool1\nname:  lab\n");
    assertThat(run("pools", "rename", "pool1", "attic", "--json").out()).isEqualTo("{\"id\":\"pool1\",\"name\":\"attic\"}\n");
    assertThat(run("pools", "delete", "pool1").out()).isEqualTo("deleted pool pool1\n");
    assertThat(run("pools", "delete", "pool2")).isEqualTo(new Result(Exit.REFUSED, "", "defpi: pool 'pool2' still has 2 nodes\n"));
    assertThat(json(api.requests("POST /nodepool").getFirst().body())).isEqualTo(json("{\"name\":\"lab\"}"));
    assertThat(json(api.requests("PUT /nodepool/pool1").getFirst().body())).isEqualTo(json("{\"name\":\"attic\"}"));
  }

  @Test
  void userCreateReadsThePasswordFromAFileAndNeverPrintsIt() throws Exception {
    login();
    Path passwordFile = Files.writeString(dir.resolve("bob-pw"), "hunter2\n");
    api.json("POST /user", 201, "{\"id\":\"u1\",\"name\":\"bob\",\"role\":\"user\",\"email\":\"bob@example.org\",\"createdAt\":\"2026-01-01T00:00:00Z\"}");

    Result r = run("users", "create", "bob", "--role", "USER", "--email", "bob@example.org", "--password-file", passwordFile.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("name:     bob").contains("role:     user").doesNotContain("hunter2");
    assertThat(json(api.requests("POST /user").getFirst().body())).isEqualTo(json(
        "{\"name\":\"bob\",\"password\":\"hunter2\",\"role\":\"user\",\"email\":\"bob@example.org\"}"));
  }

  @Test
  void usersAreListedByRoleAndTheirRoleAndEmailChanged() throws Exception {
    login();
    String bob = "{\"id\":\"u1\",\"name\":\"bob\",\"role\":\"%s\",\"createdAt\":\"2026-01-01T00:00:00Z\"}";
    api.page("GET /user?role=admin&sort=-name", "[" + FakeOrchestrator.ADMIN + "]", 1);
    api.json("PUT /user/u1", 200, bob.formatted("admin"));

    assertThat(run("users", "--role", "admin", "--sort", "-name").out()).isEqualTo("""
        ID                        NAME   ROLE   EMAIL  CREATED
        0123456789abcdef01234567  admin  admin  -      2026-01-01T00:00:00Z
        """);
    assertThat(run("users", "set-role", "u1", "admin").out()).contains("role:     admin");
    assertThat(run("users", "set-email", "u1", "bob@example.org").code()).isZero();
    assertThat(api.requests("PUT /user/u1")).extracting(q -> json(q.body())).containsExactly(
        json("{\"role\":\"admin\"}"), json("{\"email\":\"bob@example.org\"}"));
    assertThat(run("users", "show", "me").out()).contains("name:     admin");
  }

  @Test
  void passwdForMeFindsTheIdSendsTheCurrentPasswordAndSaysToLogInAgain() throws Exception {
    login();
    Path current = Files.writeString(dir.resolve("current"), "secret\n");
    api.json("PUT /user/" + FakeOrchestrator.ADMIN_ID, 200, FakeOrchestrator.ADMIN);

    Result r = runWithStdin("n3w-secret\n", "users", "passwd", "me", "--password-stdin",
        "--current-password-file", current.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("changed your password; your tokens are revoked: run 'defpi login --url "
        + api.url() + " --user admin' again\n");
    assertThat(api.requests).extracting(FakeOrchestrator.Request::route).endsWith("GET /user/me",
        "PUT /user/" + FakeOrchestrator.ADMIN_ID);
    assertThat(json(api.requests.getLast().body())).isEqualTo(json("{\"password\":\"n3w-secret\",\"currentPassword\":\"secret\"}"));
  }

  @Test
  void pendingChangesAreListedByStateAndCancelledWhileStillPending() {
    login();
    api.page("GET /pendingchange?state=PENDING", """
        [{"id":"c1","kind":"START_PROCESS","processId":"p1","userId":"u1","state":"PENDING","attempts":2,"maxAttempts":5,
        "lastError":"no node\\nfits","createdAt":"2026-01-01T00:00:00Z","updatedAt":"2026-01-01T00:01:00Z","notBefore":"2026-01-01T00:02:00Z"}]""", 1);
    api.json("DELETE /pendingchange/c1", 204, "");
    api.problem("DELETE /pendingchange/c2", 409, "pending change 'c2' is RUNNING, not PENDING");

    assertThat(run("pending", "list", "--state", "PENDING").out()).isEqualTo("""
        ID  KIND           STATE    TARGET      ATTEMPTS  NOT-BEFORE            LAST-ERROR
        c1  START_PROCESS  PENDING  process:p1  2/5       2026-01-01T00:02:00Z  no node fits
        """);
    assertThat(run("pending", "cancel", "c1")).isEqualTo(new Result(0, "cancelled pending change c1\n", ""));
    assertThat(run("pending", "cancel", "c2"))
        .isEqualTo(new Result(Exit.REFUSED, "", "defpi: pending change 'c2' is RUNNING, not PENDING\n"));
  }

  @Test
  void aFailedPendingChangeIsRetriedAndARefusalSaysWhy() {
    login();
    api.json("POST /pendingchange/c1/retry", 200, "{\"id\":\"c1\",\"state\":\"PENDING\",\"attempts\":0}");
    api.problem("POST /pendingchange/c2/retry", 409, "pending change c2 is DONE: there is nothing to run again");

    assertThat(run("pending", "retry", "c1")).isEqualTo(new Result(0, "pending change c1 is PENDING again and due now\n", ""));
    assertThat(run("pending", "retry", "c2"))
        .isEqualTo(new Result(Exit.REFUSED, "", "defpi: pending change c2 is DONE: there is nothing to run again\n"));
  }
}
