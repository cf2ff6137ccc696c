package org.defpi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code defpi users [list|show|create|set-role|set-email|passwd|delete]}: the /user routes. Where a
 * user id is asked for, {@code me} is the logged-in user. Passwords come from a file or standard
 * input, never from the command line, and are never printed.
 */
@Command(name = "users", mixinStandardHelpOptions = true,
    description = "User accounts (list when no verb is given; admins see everyone, a user only themselves).",
    subcommands = {UserCommands.List.class, UserCommands.Show.class, UserCommands.Create.class,
        UserCommands.SetRole.class, UserCommands.SetEmail.class, UserCommands.Passwd.class, UserCommands.Delete.class})
final class UserCommands extends ListCommand {
  static final String ME = "me";

  @Mixin Filters filters;

  @Override
  void run() throws CliException, InterruptedException {
    list(this, filters);
  }

  static final class Filters {
    @Option(names = "--role", paramLabel = "ROLE", converter = RoleConverter.class,
        description = "Only users with ROLE (user or admin).")
    String role;

    Query query() {
      return new Query("user").add("role", role);
    }
  }

  /** {@code user} or {@code admin}, the API's roles; any case on the command line. */
  static final class RoleConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      String role = value.toLowerCase(Locale.ROOT);
      if (!role.equals("user") && !role.equals("admin")) {
        throw new TypeConversionException("a role is user or admin, not '" + value + "'");
      }
      return role;
    }
  }

  /** The user in an answer: the object itself, or its {@code user} field if the API wrapped it. */
  static JsonNode user(JsonNode answer) {
    return answer.path("user").isObject() ? answer.path("user") : answer;
  }

  static void list(ListCommand c, Filters f) throws CliException, InterruptedException {
    Api.Response response = c.fetch(f.query());
    if (c.json) {
      c.printJson(response);
      return;
    }
    Table table = new Table("ID", "NAME", "ROLE", "EMAIL", "CREATED");
    JsonNode users = response.json();
    for (JsonNode u : users) {
      table.row(text(u, "id"), text(u, "name"), text(u, "role"), text(u, "email"), text(u, "createdAt"));
    }
    table.print(c.out());
    c.footer(response, users.size());
  }

  static void show(ApiCommand c, Api.Response response) throws CliException {
    if (c.json) {
      c.printJson(response);
      return;
    }
    JsonNode u = user(response.json());
    fields(c.out(), "id", text(u, "id"), "name", text(u, "name"), "role", text(u, "role"), "email", text(u, "email"),
        "created", text(u, "createdAt"));
  }

  /** The path of a user: {@code me} is asked for first (GET /user/me), since the write routes take an id. */
  static String path(ApiCommand c, String id) throws CliException, InterruptedException {
    if (ME.equals(id)) {
      String own = text(user(c.cli().api().get("user/me").json()), "id");
      if (own.isEmpty()) {
        throw new CliException.Unavailable("the orchestrator's answer to GET /user/me has no id");
      }
      return "user/" + segment(own);
    }
    return "user/" + segment(id);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users (admins only).")
  static final class List extends ListCommand {
    @Mixin Filters filters;

    @Override
    void run() throws CliException, InterruptedException {
      list(this, filters);
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One user; 'me' is the logged-in user.")
  static final class Show extends ApiCommand {
    @Parameters(paramLabel = "USER", description = "The user id, or me.")
    String id;

    @Override
    void run() throws CliException, InterruptedException {
      show(this, cli().api().get(ME.equals(id) ? "user/me" : "user/" + segment(id)));
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a user (admins only).")
  static final class Create extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "The new user's name.")
    String name;

    @Option(names = "--role", required = true, paramLabel = "ROLE", converter = RoleConverter.class,
        description = "user or admin.")
    String role;

    @Option(names = "--email", paramLabel = "EMAIL", description = "The user's e-mail address.")
    String email;

    @ArgGroup(exclusive = true, multiplicity = "1")
    PasswordSource source;

    @Override
    void run() throws CliException, InterruptedException, IOException {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("name", name);
      body.put("password", source.read(cli()));
      body.put("role", role);
      if (email != null) {
        body.put("email", email);
      }
      show(this, cli().api().post("user", body));
    }
  }

  @Command(name = "set-role", mixinStandardHelpOptions = true, description = "Change a user's role (admins only).")
  static final class SetRole extends ApiCommand {
    @Parameters(index = "0", paramLabel = "USER", description = "The user id, or me.")
    String id;

    @Parameters(index = "1", paramLabel = "ROLE", converter = RoleConverter.class, description = "user or admin.")
    String role;

    @Override
    void run() throws CliException, InterruptedException {
      show(this, cli().api().put(path(this, id), Map.of("role", role)));
    }
  }

  @Command(name = "set-email", mixinStandardHelpOptions = true, description = "Change a user's e-mail address.")
  static final class SetEmail extends ApiCommand {
    @Parameters(index = "0", paramLabel = "USER", description = "The user id, or me.")
    String id;

    @Parameters(index = "1", paramLabel = "EMAIL", description = "The new address.")
    String email;

    @Override
    void run() throws CliException, InterruptedException {
      show(this, cli().api().put(path(this, id), Map.of("email", email)));
    }
  }

  @Command(name = "passwd", mixinStandardHelpOptions = true,
      description = {"Change a user's password; it revokes all of that user's tokens.",
          "Changing your own needs --current-password-file; an admin changing another user's does not."})
  static final class Passwd extends ApiCommand {
    @Parameters(paramLabel = "USER", description = "The user id, or me.")
    String id;

    @ArgGroup(exclusive = true, multiplicity = "1")
    PasswordSource source;

    @Option(names = "--current-password-file", paramLabel = "FILE",
        description = "Read your current password from FILE (its first line); needed to change your own.")
    Path currentPasswordFile;

    @Override
    void run() throws CliException, InterruptedException, IOException {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("password", source.read(cli()));
      if (currentPasswordFile != null) {
        body.put("currentPassword", PasswordSource.fromFile(currentPasswordFile));
      }
      Api.Response response = cli().api().put(path(this, id), body);
      if (json) {
        printJson(response);
        return;
      }
      String name = text(user(response.json()), "name");
      Credentials own = cli().store.require();
      if (name.equals(own.user())) {
        out().println("changed your password; your tokens are revoked: " + own.loginHint());
      } else {
        out().println("changed the password of " + (name.isEmpty() ? id : name) + "; their tokens are revoked");
      }
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete a user (admins only; refused while they own processes or private nodes).")
  static final class Delete extends ApiCommand {
    @Parameters(paramLabel = "USER", description = "The user id.")
    String id;

    @Override
    void run() throws CliException, InterruptedException {
      cli().api().delete(path(this, id));
      if (!json) {
        out().println("deleted user " + id);
      }
    }
  }
}
