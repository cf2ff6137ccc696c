package org.defpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.StreamSupport;
import org.defpi.cli.Cli;
import org.defpi.cli.Exit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defpi CLI, run in-process, against the orchestrator deployed by the project's scripts.
 *
 * <p>The orchestrator's database outlives a run (it is in a volume), so what a test makes has a name
 * unique to the run ({@link #RUN}) and is deleted again; leftovers of an aborted run (users and pools
 * named {@value #PREFIX}…, older than {@link #STALE}) are deleted at the start.
 */
class CliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "e2e-cli-";
  private static final Duration STALE = Duration.ofMinutes(10);
  /** Unique to this run: user and pool names end with it. */
  private static final String RUN = random(4);
  private static final String USER = PREFIX + RUN;
  private static final String USER_PASSWORD = "pw-" + random(12);

  @TempDir static Path home;

  /** The admin's credentials file, logged in once for the whole class. */
  private static Path admin;
  private static String userId;

  @BeforeAll
  static void deploy() throws Exception {
    Platform.up();
    admin = home.resolve("admin/defpi/credentials.json");
    Result login = defpiAs(admin, "", "login", "--url", Platform.ORCHESTRATOR.toString(), "--user", "admin",
        "--password-file", Platform.ADMIN_PASSWORD.toString());
    assertThat(login.code()).as(login.err()).isEqualTo(Exit.OK);
    deleteLeftovers();

    Result created = defpiAs(admin, USER_PASSWORD + "\n", "users", "create", USER, "--role", "user",
        "--password-stdin", "--json");
    assertThat(created.code()).as(created.err()).isEqualTo(Exit.OK);
    JsonNode user = json(created.out());
    assertThat(user.path("name").asText()).isEqualTo(USER);
    assertThat(user.path("role").asText()).isEqualTo("user");
    assertThat(created.out()).doesNotContain(USER_PASSWORD);
    userId = user.path("id").asText();
    assertThat(userId).matches("[0-9a-f]{24}");
  }

  /** Deletes this run's user, so the next run starts as clean as this one did; their tokens stop working. */
  @AfterAll
  static void deleteTheUser() {
    if (userId == null) {
      return;
    }
    Path stillLoggedIn = userLogin("user-deleted");
    Result deleted = defpiAs(admin, "", "users", "delete", userId);
    assertThat(deleted.code()).as(deleted.err()).isEqualTo(Exit.OK);
    assertThat(deleted.out()).isEqualTo("deleted user " + userId + "\n");
    Result gone = defpiAs(admin, "", "users", "show", userId);
    assertThat(gone.code()).as(gone.out()).isEqualTo(Exit.REFUSED);
    assertThat(names(json(defpiAs(admin, "", "users", "list", "--json").out()))).doesNotContain(USER);
    // A deleted user's tokens go with them.
    Result orphan = defpiAs(stillLoggedIn, "", "whoami");
    assertThat(orphan.code()).as(orphan.err()).isEqualTo(Exit.NOT_LOGGED_IN);
  }

  record Result(int code, String out, String err) {}

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static Result defpi(String stdin, String... args) {
    return defpiAs(home.resolve("defpi/credentials.json"), stdin, args);
  }

  /** One command line with its own credentials file: one file per logged-in user, as separate homes would have. */
  private static Result defpiAs(Path credentials, String stdin, String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code = new Cli(credentials,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs a command that must succeed and returns its standard output. */
  private static String ok(Path credentials, String... args) {
    Result r = defpiAs(credentials, "", args);
    assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(Exit.OK);
    assertThat(r.err()).as(String.join(" ", args)).isEmpty();
    return r.out();
  }

  /** The run's user, logged in with a credentials file of their own under {@code dir}. */
  private static Path userLogin(String dir) {
    Path file = home.resolve(dir).resolve("defpi/credentials.json");
    Result login = defpiAs(file, USER_PASSWORD + "\n", "login", "--url", Platform.ORCHESTRATOR.toString(),
        "--user", USER, "--password-stdin");
    assertThat(login.code()).as(login.err()).isEqualTo(Exit.OK);
    return file;
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private static List<String> names(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(n -> n.path("name").asText()).toList();
  }

  private static List<String> ids(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(n -> n.path("id").asText()).toList();
  }

  /** Users and pools an aborted earlier run left behind (not a concurrent run's: those are younger). */
  private static void deleteLeftovers() {
    Instant before = Instant.now().minus(STALE);
    for (JsonNode u : json(ok(admin, "users", "list", "--json"))) {
      if (u.path("name").asText().startsWith(PREFIX) && Instant.parse(u.path("createdAt").asText()).isBefore(before)) {
        defpiAs(admin, "", "users", "delete", u.path("id").asText()); // refused if it still owns something: left
      }
    }
    for (JsonNode p : json(ok(admin, "pools", "list", "--json"))) {
      // Pools have no creation time; their names carry the run, so only names of the form are touched.
      if (p.path("name").asText().startsWith(PREFIX + "pool-")) {
        defpiAs(admin, "", "pools", "delete", p.path("id").asText());
      }
    }
  }

  @Test
  void theAdminLogsInAndListsTheServicesAsJson() throws Exception {
    Result login = defpi("", "login", "--url", Platform.ORCHESTRATOR.toString(), "--user", "admin",
        "--password-file", Platform.ADMIN_PASSWORD.toString());
    assertThat(login.code()).as(login.err()).isEqualTo(Exit.OK);

    Result services = defpi("", "services", "--json");

    assertThat(services.code()).as(services.err()).isEqualTo(Exit.OK);
    List<String> ids = new ArrayList<>();
    new ObjectMapper().readTree(services.out()).forEach(s -> ids.add(s.get("id").asText()));
    assertThat(ids).contains("power-meter");
  }

  @Test
  void aWrongPasswordExitsOneWithOneLine() {
    Result login = defpi("not-the-password\n", "login", "--url", Platform.ORCHESTRATOR.toString(),
        "--user", "admin", "--password-stdin");

    assertThat(login.code()).isEqualTo(Exit.REFUSED);
    assertThat(login.err()).isEqualTo("defpi: wrong user name or password\n");
  }

  @Test
  void theCredentialsFileHoldsATokenNotThePasswordReadableByItsOwnerOnly() throws Exception {
    Path file = home.resolve("admin-file/defpi/credentials.json");
    Result login = defpiAs(file, "", "login", "--url", Platform.ORCHESTRATOR.toString(), "--user", "admin",
        "--password-file", Platform.ADMIN_PASSWORD.toString(), "--json");
    assertThat(login.code()).as(login.err()).isEqualTo(Exit.OK);
    JsonNode answer = json(login.out());
    assertThat(answer.has("token")).as("login --json prints no token: " + login.out()).isFalse();
    assertThat(answer.path("user").path("role").asText()).isEqualTo("admin");

    String password = Files.readString(Platform.ADMIN_PASSWORD).strip();
    String text = Files.readString(file);
    assertThat(text).doesNotContain(password);
    JsonNode stored = json(text);
    assertThat(stored.has("password")).isFalse();
    assertThat(stored.path("user").asText()).isEqualTo("admin");
    assertThat(stored.path("url").asText()).isEqualTo(Platform.ORCHESTRATOR.toString());
    assertThat(stored.path("token").asText()).startsWith("dpt_").hasSizeGreaterThan("dpt_".length() + 16);
    assertThat(Instant.parse(stored.path("expiresAt").asText())).isAfter(Instant.now());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");

    JsonNode me = json(ok(file, "whoami", "--json"));
    assertThat(me.path("name").asText()).isEqualTo("admin");
    assertThat(me.path("role").asText()).isEqualTo("admin");
    assertThat(me.has("password")).isFalse();
    assertThat(ok(file, "whoami")).doesNotContain(stored.path("token").asText()).contains("role:", "admin");
  }

  @Test
  void aUserSeesOnlyTheirOwnEnvironment() throws Exception {
    Path user = userLogin("user");
    JsonNode me = json(ok(user, "whoami", "--json"));
    assertThat(me.path("name").asText()).isEqualTo(USER);
    assertThat(me.path("role").asText()).isEqualTo("user");
    assertThat(me.path("id").asText()).isEqualTo(userId);
    assertThat(ok(user, "whoami")).containsPattern("(?m)^role: +user$");

    Result users = defpiAs(user, "", "users", "list");
    assertThat(users.code()).isEqualTo(Exit.REFUSED);
    assertThat(users.out()).isEmpty();
    assertThat(users.err()).startsWith("defpi: ").endsWith("\n").containsIgnoringCase("admin");
    assertThat(users.err().lines()).hasSize(1);

    // The admin's process is not the user's: their list is empty, and the process is not revealed.
    String process = json(ok(admin, "processes", "create", "--service", "power-meter", "--name", PREFIX + "process",
        "--config", "count=0", "--json")).path("id").asText();
    try {
      assertThat(ids(json(ok(admin, "processes", "list", "--json")))).contains(process);
      assertThat(ok(user, "processes", "list", "--json").strip()).isEqualTo("[]");
      Result show = defpiAs(user, "", "processes", "show", process);
      assertThat(show.code()).as(show.err()).isEqualTo(Exit.REFUSED);
    } finally {
      Result deleted = defpiAs(admin, "", "processes", "delete", process);
      assertThat(deleted.code()).as(deleted.err()).isEqualTo(Exit.OK);
    }

    // The machine's own node is public (Platform.up makes it so): a user sees it; never an unidentified one.
    String nodeId;
    try (var docker = Platform.docker()) {
      nodeId = docker.infoCmd().exec().getSwarm().getNodeID();
    }
    JsonNode nodes = json(ok(user, "nodes", "list", "--json"));
    assertThat(ids(nodes)).contains(nodeId);
    assertThat(nodes.findValuesAsText("kind")).doesNotContain("unidentified");
    assertThat(json(ok(user, "nodes", "list", "--kind", "public", "--json")).findValuesAsText("id")).contains(nodeId);
    assertThat(json(ok(user, "nodes", "list", "--kind", "unidentified", "--json"))).isEmpty();

    assertThat(ok(user, "pools", "list")).startsWith("ID");
    assertThat(json(ok(user, "pools", "list", "--json")).isArray()).isTrue();
  }

  @Test
  void theAdminCreatesRenamesAndDeletesAPool() {
    String name = PREFIX + "pool-" + RUN;
    JsonNode pool = json(ok(admin, "pools", "create", name, "--json"));
    String id = pool.path("id").asText();
    assertThat(pool.path("name").asText()).isEqualTo(name);
    assertThat(id).matches("[0-9a-f]{24}");
    try {
      assertThat(ok(admin, "pools", "list")).contains(id, name);
      assertThat(ok(admin, "pools", "rename", id, name + "-renamed")).containsPattern("(?m)^name: +" + name + "-renamed$");
      assertThat(json(ok(admin, "pools", "show", id, "--json")).path("name").asText()).isEqualTo(name + "-renamed");
      Result empty = defpiAs(admin, "", "pools", "rename", id, "");
      assertThat(empty.code()).as("an empty pool name: " + empty.out()).isEqualTo(Exit.REFUSED);
    } finally {
      Result deleted = defpiAs(admin, "", "pools", "delete", id);
      assertThat(deleted.code()).as(deleted.err()).isEqualTo(Exit.OK);
      assertThat(deleted.out()).isEqualTo("deleted pool " + id + "\n");
    }
    Result gone = defpiAs(admin, "", "pools", "show", id);
    assertThat(gone.code()).as(gone.out()).isEqualTo(Exit.REFUSED);
    assertThat(names(json(ok(admin, "pools", "list", "--json")))).doesNotContain(name, name + "-renamed");
  }

  @Test
  void theAdminSeesThisMachinesNodeTheInterfacesAndThePendingChanges() throws Exception {
    String nodeId;
    String hostname;
    try (var docker = Platform.docker()) {
      var info = docker.infoCmd().exec();
      nodeId = info.getSwarm().getNodeID();
      hostname = info.getName();
    }
    JsonNode node = StreamSupport.stream(json(ok(admin, "nodes", "list", "--json")).spliterator(), false)
        .filter(n -> n.path("id").asText().equals(nodeId)).findFirst()
        .orElseThrow(() -> new AssertionError("no node " + nodeId + " in the admin's nodes list"));
    assertThat(node.path("architecture").asText()).isEqualTo(architecture());
    assertThat(node.path("hostname").asText()).isEqualTo(hostname);
    assertThat(node.path("status").asText()).isEqualToIgnoringCase("ready");
    assertThat(ok(admin, "nodes", "show", nodeId)).containsPattern("(?m)^architecture: +" + architecture() + "$");

    // power-meter sends what power-logger receives, and back: the hashes that make them connectable.
    JsonNode interfaces = json(ok(admin, "interfaces", "--json"));
    JsonNode meter = version(interfaces, "power-meter/power-measurement");
    JsonNode logger = version(interfaces, "power-logger/power-measurement");
    String receives = meter.path("receivesHash").asText();
    String sends = meter.path("sendsHash").asText();
    assertThat(receives).matches("[0-9a-f]{64}");
    assertThat(sends).matches("[0-9a-f]{64}");
    assertThat(logger.path("receivesHash").asText()).isEqualTo(sends);
    assertThat(logger.path("sendsHash").asText()).isEqualTo(receives);
    assertThat(ok(admin, "interfaces")).containsPattern("(?m)^power-meter/power-measurement +power-meter +"
        + meter.path("versionName").asText() + " +" + receives + " +" + sends + " ");
    assertThat(ok(admin, "interfaces", "list", "--service", "power-meter").lines().skip(1).toList())
        .singleElement().asString().startsWith("power-meter/power-measurement ");

    Result pending = defpiAs(admin, "", "pending", "list");
    assertThat(pending.code()).as(pending.err()).isEqualTo(Exit.OK);
    assertThat(pending.out()).startsWith("ID").contains("KIND", "STATE");
    assertThat(json(ok(admin, "pending", "--json")).isArray()).isTrue();
  }

  @Test
  void threeWrongPasswordsThenTheRightOneLogsIn() {
    Path file = home.resolve("user-wrong/defpi/credentials.json");
    for (int i = 0; i < 3; i++) {
      Result wrong = defpiAs(file, "wrong-" + i + "\n", "login", "--url", Platform.ORCHESTRATOR.toString(),
          "--user", USER, "--password-stdin");
      assertThat(wrong.code()).as(wrong.err()).isEqualTo(Exit.REFUSED);
      assertThat(wrong.err()).isEqualTo("defpi: wrong user name or password\n");
    }
    assertThat(file).doesNotExist();
    Path user = userLogin("user-wrong");
    assertThat(user).isEqualTo(file).exists();
    assertThat(json(ok(user, "whoami", "--json")).path("name").asText()).isEqualTo(USER);
  }

  @Test
  void afterLogoutTheOldTokenIsRefused() throws Exception {
    Path file = userLogin("user-logout");
    Path copy = home.resolve("user-logout-copy/credentials.json");
    Files.createDirectories(copy.getParent());
    Files.copy(file, copy);
    assertThat(ok(copy, "whoami", "--json")).contains(USER);

    assertThat(ok(file, "logout")).isEqualTo("logged out\n");
    assertThat(file).doesNotExist();
    Result notLoggedIn = defpiAs(file, "", "whoami");
    assertThat(notLoggedIn.code()).isEqualTo(Exit.NOT_LOGGED_IN);

    Result revoked = defpiAs(copy, "", "whoami");
    assertThat(revoked.code()).as(revoked.err()).isEqualTo(Exit.NOT_LOGGED_IN);
    assertThat(revoked.out()).isEmpty();
    assertThat(revoked.err().lines()).hasSize(1);
    assertThat(revoked.err()).startsWith("defpi: your login as " + USER + " to " + Platform.ORCHESTRATOR)
        .contains("run 'defpi login --url " + Platform.ORCHESTRATOR + " --user " + USER + "' again");
    Result list = defpiAs(copy, "", "services", "list");
    assertThat(list.code()).as(list.err()).isEqualTo(Exit.NOT_LOGGED_IN);
  }

  @Test
  void aPageOfTheServicesEndsWithWhereItIsInTheWhole() {
    JsonNode all = json(ok(admin, "services", "--json"));
    int total = all.size();
    assertThat(total).as("the registry holds several services").isGreaterThan(1);

    List<String> first = ok(admin, "services", "list", "--limit", "1").lines().toList();
    assertThat(first).hasSize(3);
    assertThat(first.get(0)).startsWith("ID");
    assertThat(first.get(1)).startsWith(all.get(0).path("id").asText() + " ");
    assertThat(first.get(2)).isEqualTo("showing 1-1 of " + total + "; --offset 1 for more");

    List<String> second = ok(admin, "services", "list", "--limit", "1", "--offset", "1").lines().toList();
    assertThat(second.get(1)).startsWith(all.get(1).path("id").asText() + " ");
    assertThat(second.get(2)).startsWith("showing 2-2 of " + total);

    assertThat(json(ok(admin, "services", "list", "--limit", "1", "--json"))).hasSize(1);
    assertThat(ok(admin, "services", "list")).doesNotContain("showing");
  }

  private static JsonNode version(JsonNode interfaces, String id) {
    JsonNode i = StreamSupport.stream(interfaces.spliterator(), false).filter(n -> n.path("id").asText().equals(id))
        .findFirst().orElseThrow(() -> new AssertionError("no interface " + id + " in " + interfaces));
    assertThat(i.path("interfaceVersions")).as(id).hasSize(1);
    return i.path("interfaceVersions").get(0);
  }

  /** The architecture as Docker names it, of the machine the test runs on (which is the Swarm's node). */
  private static String architecture() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch;
    };
  }
}
