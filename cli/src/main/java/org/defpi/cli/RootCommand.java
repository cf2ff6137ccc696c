package org.defpi.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "defpi", mixinStandardHelpOptions = true,
    versionProvider = RootCommand.Version.class,
    description = "The dEF-Pi orchestrator from a shell. Tables by default, --json for scripts.",
    footer = {"", "Exit codes: 0 ok, 1 the API refused (4xx) or a change waited for failed, 2 usage error,",
        "3 orchestrator unreachable or failed (5xx), 4 not logged in (or the login expired or was revoked)."},
    subcommands = {
        SessionCommands.Login.class, SessionCommands.Logout.class, SessionCommands.Whoami.class,
        ServiceCommands.class, InterfaceCommands.class, ProcessCommands.class, ProcessCommands.Logs.class,
        ConnectionCommands.class,
        NodeCommands.class, PoolCommands.class, UserCommands.class, PendingCommands.class,
        EventCommands.Events.class, TopCommand.class})
final class RootCommand implements Callable<Integer> {
  final Cli cli;
  @Spec CommandSpec spec;

  RootCommand(Cli cli) {
    this.cli = cli;
  }

  /** {@code defpi} alone: the usage, on stderr since nothing was done. */
  @Override
  public Integer call() {
    spec.commandLine().usage(cli.err);
    return Exit.USAGE;
  }

  static final class Version implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = RootCommand.class.getPackage().getImplementationVersion();
      return new String[] {"defpi " + (v == null ? "(development build)" : v)};
    }
  }
}
