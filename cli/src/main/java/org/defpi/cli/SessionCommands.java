package org.defpi.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * login, logout, whoami. The API has HTTP Basic only, so the stored credentials are the URL, user
 * and password (see {@link CredentialStore}); nothing here ever prints the password.
 */
final class SessionCommands {
  /** A cheap route that needs the admin's credentials: proves them without side effects. */
  static final String PROBE = "connection";

  private SessionCommands() {}

  @Command(name = "login", mixinStandardHelpOptions = true,
      description = "Check the credentials against the orchestrator and store them (mode 0600).")
  static final class Login extends ApiCommand {
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8484", description = "The orchestrator (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--user", defaultValue = "admin", description = "The user name (default: ${DEFAULT-VALUE}).")
    String user;

    @ArgGroup(exclusive = true)
    PasswordSource source;

    static final class PasswordSource {
      @Option(names = "--password-file", paramLabel = "FILE", description = "Read the password from FILE (its first line).")
      Path file;

      @Option(names = "--password-stdin", description = "Read the password from standard input (its first line).")
      boolean stdin;
    }

    @Override
    void run() throws CliException, InterruptedException, IOException {
      Credentials credentials;
      try {
        credentials = new Credentials(url, user, password());
      } catch (IllegalArgumentException e) {
        throw new CliException.Usage(e.getMessage());
      }
      new Api(cli().http, credentials).get(PROBE);
      cli().store.write(credentials);
      if (json) {
        out().println(identity(credentials));
      } else {
        out().println("logged in to " + credentials.url() + " as " + credentials.user()
            + " (credentials in " + cli().store.file() + ")");
      }
    }

    private String password() throws CliException.Usage, IOException {
      String password;
      if (source != null && source.file != null) {
        try {
          password = firstLine(Files.newBufferedReader(source.file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
          throw new CliException.Usage("no password file " + source.file);
        }
      } else if (source != null && source.stdin) {
        password = firstLine(new BufferedReader(new InputStreamReader(cli().in, StandardCharsets.UTF_8)));
      } else {
        Console console = System.console();
        if (console == null) {
          throw new CliException.Usage("no terminal to ask for the password: use --password-file FILE or --password-stdin");
        }
        char[] typed = console.readPassword("password for %s at %s: ", user, url);
        password = typed == null ? "" : new String(typed);
      }
      if (password.isEmpty()) {
        throw new CliException.Usage("the password is empty");
      }
      return password;
    }

    private static String firstLine(BufferedReader reader) throws IOException {
      try (reader) {
        String line = reader.readLine();
        return line == null ? "" : line.strip();
      }
    }
  }

  @Command(name = "logout", mixinStandardHelpOptions = true, description = "Forget the stored credentials.")
  static final class Logout extends ApiCommand {
    @Override
    void run() throws IOException {
      boolean deleted = cli().store.delete();
      if (!json) {
        out().println(deleted ? "logged out" : "not logged in");
      }
    }
  }

  @Command(name = "whoami", mixinStandardHelpOptions = true,
      description = "Show the stored URL and user, after checking them against the orchestrator.")
  static final class Whoami extends ApiCommand {
    @Override
    void run() throws CliException, InterruptedException {
      Credentials credentials = cli().store.require();
      new Api(cli().http, credentials).get(PROBE);
      out().println(json ? identity(credentials) : credentials.user() + " at " + credentials.url());
    }
  }

  static String identity(Credentials c) {
    ObjectNode o = Api.JSON.createObjectNode();
    o.put("url", c.url().toString());
    o.put("user", c.user());
    return o.toString();
  }
}
