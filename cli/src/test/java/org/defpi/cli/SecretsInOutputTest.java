package org.defpi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing the CLI writes holds a password or a token: a session of logins (password file, stdin,
 * a wrong password), commands on the stored token (the credentials file), users made and passwords
 * changed from files, a token the orchestrator no longer takes, and logout, each in tables and in
 * {@code --json}. Its own streams are read, and the JVM's System.out and System.err too, in case
 * anything in it (the JDK's HTTP client, picocli) wrote there.
 */
class SecretsInOutputTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;
  private String password;
  private FakeOrchestrator api;
  private Path credentials;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream systemOut = new ByteArrayOutputStream();
  private PrintStream stdout;
  private PrintStream stderr;

  private static String secret(String what) {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return what + "-" + HexFormat.of().formatHex(b);
  }

  @BeforeEach
  void start() throws Exception {
    password = secret("admin-password");
    api = new FakeOrchestrator(password, secret("dpt_token") + "-");
    credentials = dir.resolve("config/defpi/credentials.json");
    stdout = System.out;
    stderr = System.err;
    PrintStream captured = new PrintStream(systemOut, true, StandardCharsets.UTF_8);
    System.setOut(captured);
    System.setErr(captured);
  }

  @AfterEach
  void stop() {
    System.setOut(stdout);
    System.setErr(stderr);
    api.close();
  }

  /** Runs the CLI; its stdout and stderr both go to {@link #out}. The exit code. */
  private int run(String stdin, String... args) {
    PrintStream both = new PrintStream(out, true, StandardCharsets.UTF_8);
    return new Cli(credentials, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), both, both).run(args);
  }

  @Test
  void noPasswordOrTokenIsEverPrinted() throws Exception {
    String url = api.url().toString();
    String wrong = secret("wrong-password");
    String bobPassword = secret("bob-password");
    String newPassword = secret("new-password");
    Path passwordFile = Files.writeString(dir.resolve("pw"), password + "\n");
    Path bobFile = Files.writeString(dir.resolve("bob-pw"), bobPassword + "\n");
    Path newFile = Files.writeString(dir.resolve("new-pw"), newPassword + "\n");
    api.json("GET /process", 200, "[]");
    api.json("POST /user", 201, "{\"id\":\"u1\",\"name\":\"bob\",\"role\":\"user\",\"createdAt\":\"2026-01-01T00:00:00Z\"}");
    api.json("PUT /user/" + FakeOrchestrator.ADMIN_ID, 200, FakeOrchestrator.ADMIN);

    assertThat(run("", "login", "--url", url, "--user", "admin", "--password-file", passwordFile.toString())).isZero();
    String firstToken = Api.JSON.readTree(Files.readString(credentials)).path("token").asText();
    assertThat(firstToken).as("the token file holds the token").isNotBlank();
    assertThat(run("", "whoami")).isZero();
    assertThat(run("", "whoami", "--json")).isZero();
    assertThat(run("", "processes")).isZero();
    assertThat(run(password + "\n", "login", "--url", url, "--password-stdin", "--json")).isZero(); // revokes the first
    String secondToken = Api.JSON.readTree(Files.readString(credentials)).path("token").asText();
    assertThat(run(wrong + "\n", "login", "--url", url, "--password-stdin")).isEqualTo(Exit.REFUSED);
    assertThat(run("", "users", "create", "bob", "--role", "user", "--password-file", bobFile.toString())).isZero();
    assertThat(run("", "users", "passwd", "me", "--password-file", newFile.toString(), "--current-password-file",
        passwordFile.toString())).isZero();
    assertThat(run("", "logout")).isZero();
    // a token the orchestrator no longer takes, still in a credentials file
    Files.createDirectories(credentials.getParent());
    Files.writeString(credentials, "{\"url\":\"" + url + "\",\"user\":\"admin\",\"token\":\"" + firstToken
        + "\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}");
    assertThat(run("", "processes")).isEqualTo(Exit.NOT_LOGGED_IN);
    assertThat(run("", "whoami", "--json")).isEqualTo(Exit.NOT_LOGGED_IN);

    String printed = out.toString(StandardCharsets.UTF_8) + systemOut.toString(StandardCharsets.UTF_8);
    assertThat(printed).as("the session printed something").contains("logged in to " + url);
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("the password", password);
    secrets.put("a wrong password", wrong);
    secrets.put("bob's password", bobPassword);
    secrets.put("the new password", newPassword);
    secrets.put("the first token", firstToken);
    secrets.put("the second token", secondToken);
    List<String> leaks = new ArrayList<>();
    secrets.forEach((what, secret) -> {
      if (printed.contains(secret)) {
        leaks.add(what);
      }
    });
    assertThat(leaks).as(printed).isEmpty();
  }
}
