package org.defpi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code defpi services [list]}, {@code defpi services show ID}: GET /service, GET /service/{id}. The
 * list names the interfaces; {@code show} has each interface version with its receives and sends
 * hashes (as {@code defpi interfaces} has them for every service).
 */
@Command(name = "services", mixinStandardHelpOptions = true,
    description = "Services in the registry (list when no verb is given).",
    subcommands = {ServiceCommands.List.class, ServiceCommands.Show.class})
final class ServiceCommands extends ListCommand {
  @Override
  void run() throws CliException, InterruptedException {
    list(this);
  }

  static void list(ListCommand c) throws CliException, InterruptedException {
    Api.Response response = c.fetch(new Query("service"));
    if (c.json) {
      c.printJson(response);
      return;
    }
    Table table = new Table("ID", "NAME", "VERSION", "INTERFACES", "VERSIONS");
    JsonNode services = response.json();
    for (JsonNode s : services) {
      table.row(text(s, "id"), text(s, "name"), text(s, "version"), joined(s.path("interfaces"), "id"),
          joined(s.path("versions"), "version"));
    }
    table.print(c.out());
    c.footer(response, services.size());
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the services.")
  static final class List extends ListCommand {
    @Override
    void run() throws CliException, InterruptedException {
      list(this);
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "One service: its interfaces with their versions' hashes, parameters and image versions.")
  static final class Show extends ApiCommand {
    @Parameters(paramLabel = "SERVICE", description = "The service id, like power-meter.")
    String id;

    @Override
    void run() throws CliException, InterruptedException {
      Api.Response response = cli().api().get("service/" + segment(id));
      if (json) {
        printJson(response);
        return;
      }
      JsonNode s = response.json();
      PrintStream out = out();
      fields(out, "id", text(s, "id"), "name", text(s, "name"), "version", text(s, "version"));
      Table interfaces = new Table("INTERFACE", "VERSION", "RECEIVES-HASH", "SENDS-HASH", "MULTIPLE", "AUTO-CONNECT");
      InterfaceCommands.rows(interfaces, s.path("interfaces"), false);
      out.println();
      interfaces.print(out);
      if (!s.path("parameters").isEmpty()) {
        Table parameters = new Table("PARAMETER", "TYPE", "ARRAY", "OPTIONAL", "DEFAULT");
        for (JsonNode p : s.path("parameters")) {
          parameters.row(text(p, "id"), text(p, "type"), text(p, "isArray"), text(p, "isOptional"), text(p, "default"));
        }
        out.println();
        parameters.print(out);
      }
      Table versions = new Table("IMAGE-VERSION", "DIGEST", "VALID", "REASON");
      for (JsonNode v : s.path("versions")) {
        versions.row(text(v, "version"), text(v, "digest"), text(v, "valid"), text(v, "reason"));
      }
      out.println();
      versions.print(out);
    }
  }
}
