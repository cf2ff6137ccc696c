package org.defpi.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Objects;
import picocli.CommandLine;

/**
 * The {@code defpi} command, runnable in-process: everything it touches (credentials file, standard
 * streams, HTTP client) is passed in, so tests run it as a user would without a child JVM.
 *
 * <p>Each resource of the API is one {@code …Commands} class with its verbs as subcommands
 * ({@link ServiceCommands}, {@link InterfaceCommands}, {@link ProcessCommands},
 * {@link ConnectionCommands}, {@link NodeCommands}, {@link PoolCommands}, {@link UserCommands},
 * {@link PendingCommands}, {@link EventCommands}), registered in {@link RootCommand}; lists extend
 * {@link ListCommand}. Commands that follow GET /events use {@link EventStream}.
 */
public final class Cli {
  final CredentialStore store;
  final InputStream in;
  final PrintStream out;
  final PrintStream err;
  final HttpClient http;
  /** How commands follow GET /events: {@link EventStream.Settings#STANDARD}, or a test's. */
  final EventStream.Settings following;

  public Cli(Path credentialsFile, InputStream in, PrintStream out, PrintStream err) {
    this(credentialsFile, in, out, err, Api.defaultHttp());
  }

  Cli(Path credentialsFile, InputStream in, PrintStream out, PrintStream err, HttpClient http) {
    this(credentialsFile, in, out, err, http, EventStream.Settings.STANDARD);
  }

  Cli(Path credentialsFile, InputStream in, PrintStream out, PrintStream err, HttpClient http,
      EventStream.Settings following) {
    this.store = new CredentialStore(Objects.requireNonNull(credentialsFile, "credentialsFile"));
    this.in = Objects.requireNonNull(in, "in");
    this.out = Objects.requireNonNull(out, "out");
    this.err = Objects.requireNonNull(err, "err");
    this.http = Objects.requireNonNull(http, "http");
    this.following = Objects.requireNonNull(following, "following");
  }

  /** The real terminal and {@link CredentialStore#defaultFile()}. */
  public static Cli standard() {
    return new Cli(CredentialStore.defaultFile(), System.in, System.out, System.err);
  }

  /** Runs one command line; returns its {@link Exit} code. Never calls {@code System.exit}. */
  public int run(String... args) {
    CommandLine commandLine = commandLine();
    return commandLine.execute(args);
  }

  CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new RootCommand(this));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setParameterExceptionHandler((e, args) -> {
      String name = e.getCommandLine().getCommandSpec().qualifiedName();
      err.println("defpi: " + CliException.oneLine(e.getMessage()) + " (see '" + name + " --help')");
      err.flush();
      return Exit.USAGE;
    });
    commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      int code = e instanceof CliException c ? c.exitCode() : Exit.INTERNAL;
      String message = e instanceof CliException ? e.getMessage() : "internal error: " + e;
      err.println("defpi: " + CliException.oneLine(message));
      err.flush();
      return code;
    });
    return commandLine;
  }

  Api api() throws CliException.NotLoggedIn {
    return new Api(http, store.require());
  }
}
