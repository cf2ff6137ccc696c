package org.defpi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.defpi.cli.Cli;
import org.defpi.cli.Exit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The defpi CLI, run in-process, against the orchestrator deployed by the project's scripts. */
class CliTest {
  @TempDir static Path home;

  @BeforeAll
  static void deploy() throws Exception {
    Platform.up();
  }

  record Result(int code, String out, String err) {}

  private static Result defpi(String stdin, String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int code = new Cli(home.resolve("defpi/credentials.json"),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
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
}
