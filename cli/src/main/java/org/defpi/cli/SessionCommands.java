package org.defpi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Console;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * login, logout, whoami. {@code login} trades the name and password for a bearer token (POST /login)
 * and stores the URL, user, token and its expiry (see {@link CredentialStore}); the password is sent
 * once and never stored or printed, and nothing prints the token.
 */
final class SessionCommands {
  private SessionCommands() {}

  @Command(name = "login", mixinStandardHelpOptions = true,
      description = "Log in to the orchestrator and store the token it answers with (mode 0600), never the password.")
  static final class Login extends ApiCommand {
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8484", description = "The orchestrator (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--user", defaultValue = "admin", description = "The user name (default: ${DEFAULT-VALUE}).")
    String user;

    @ArgGroup(exclusive = true)
    PasswordSource source;

    @Override
    void run() throws CliException, InterruptedException, IOException {
      try {
        Credentials.checkUrl(url);
        Credentials.checkUser(user);
      } catch (IllegalArgumentException e) {
        throw new CliException.Usage(e.getMessage());
      }
      Map<String, String> body = new LinkedHashMap<>();
      body.put("name", user);
      body.put("password", password());
      Api.Response response = Api.anonymous(cli().http, url).post("login", body);
      JsonNode answer = response.json();
      Credentials credentials;
      try {
        String name = text(answer.path("user"), "name");
        String expiresAt = text(answer, "expiresAt");
        credentials = new Credentials(url, name.isEmpty() ? user : name, text(answer, "token"),
            expiresAt.isEmpty() ? null : expiresAt);
      } catch (IllegalArgumentException e) {
        throw new CliException.Unavailable("the orchestrator's login answer is not usable: " + e.getMessage());
      }
      Optional<Credentials> previous = previous();
      cli().store.write(credentials);
      if (previous.isPresent() && previous.get().url().equals(url) && !previous.get().token().equals(credentials.token())) {
        revokeQuietly(previous.get());
      }
      if (json) {
        // The API's answer, but never the token: that stays in the credentials file.
        ObjectNode shown = answer.isObject() ? ((ObjectNode) answer).deepCopy() : Api.JSON.createObjectNode();
        shown.remove("token");
        shown.put("url", url.toString());
        out().println(shown);
      } else {
        String role = text(answer.path("user"), "role");
        out().println("logged in to " + url + " as " + credentials.user() + (role.isEmpty() ? "" : " (" + role + ")")
            + (credentials.expiresAt() == null ? "" : " until " + credentials.expiresAt())
            + "; token stored in " + cli().store.file());
      }
    }

    private String password() throws CliException.Usage, IOException {
      String password = source == null ? null : source.read(cli());
      if (password != null) {
        return password;
      }
      Console console = System.console();
      if (console == null) {
        throw new CliException.Usage("no terminal to ask for the password: use --password-file FILE or --password-stdin");
      }
      char[] typed = console.readPassword("password for %s at %s: ", user, url);
      return PasswordSource.nonEmpty(typed == null ? "" : new String(typed));
    }

    /** The token this login replaces, if the file held a usable one. */
    private Optional<Credentials> previous() {
      try {
        return cli().store.read();
      } catch (CliException.NotLoggedIn unusable) {
        return Optional.empty();
      }
    }

    /** The replaced token would otherwise stay valid, unreachable, until it expires: revoke it if we can. */
    private void revokeQuietly(Credentials old) throws InterruptedException {
      try {
        new Api(cli().http, old).post("logout");
      } catch (CliException gone) {
        // expired, revoked or unreachable: nothing more to do for a token nobody holds any longer
      }
    }
  }

  @Command(name = "logout", mixinStandardHelpOptions = true,
      description = "Revoke the stored token (POST /logout) and delete the credentials file.")
  static final class Logout extends ApiCommand {
    @Override
    void run() throws IOException, InterruptedException {
      Optional<Credentials> stored;
      try {
        stored = cli().store.read();
      } catch (CliException.NotLoggedIn unusable) {
        cli().store.delete();
        if (!json) {
          out().println("logged out (deleted " + cli().store.file() + ", which held no usable token)");
        }
        return;
      }
      if (stored.isEmpty()) {
        if (!json) {
          out().println("not logged in");
        }
        return;
      }
      String notRevoked = null;
      try {
        new Api(cli().http, stored.get()).post("logout");
      } catch (CliException.NotLoggedIn alreadyInvalid) {
        // the orchestrator no longer takes the token: there is nothing left to revoke
      } catch (CliException e) {
        notRevoked = e.getMessage();
      }
      cli().store.delete();
      if (!json) {
        out().println(notRevoked == null ? "logged out" : "logged out locally");
      }
      if (notRevoked != null) {
        Credentials c = stored.get();
        cli().err.println("defpi: " + CliException.oneLine("the token was not revoked (" + notRevoked + ")"
            + (c.expiresAt() == null ? "; it stays valid until it expires" : "; it stays valid until " + c.expiresAt())));
        cli().err.flush();
      }
    }
  }

  @Command(name = "whoami", mixinStandardHelpOptions = true,
      description = "The logged-in user (GET /user/me): name, role, the orchestrator's URL and the token's expiry.")
  static final class Whoami extends ApiCommand {
    @Override
    void run() throws CliException, InterruptedException {
      Credentials credentials = cli().store.require();
      Api.Response response = new Api(cli().http, credentials).get("user/me");
      if (json) {
        printJson(response);
        return;
      }
      JsonNode u = UserCommands.user(response.json());
      fields(out(), "user", text(u, "name"), "role", text(u, "role"), "id", text(u, "id"), "email", text(u, "email"),
          "url", credentials.url().toString(), "expires", credentials.expiresAt());
    }
  }
}
