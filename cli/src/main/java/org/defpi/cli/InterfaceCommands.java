package org.defpi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code defpi interfaces [list]}: GET /interface, every interface of every service's default version,
 * one row per interface version with its hashes (two interfaces connect when one's receives-hash is
 * the other's sends-hash and back).
 */
@Command(name = "interfaces", mixinStandardHelpOptions = true,
    description = "Every service's interfaces, one row per interface version with its hashes.",
    subcommands = {InterfaceCommands.List.class})
final class InterfaceCommands extends ListCommand {
  @Mixin Filters filters;

  @Override
  void run() throws CliException, InterruptedException {
    list(this, filters);
  }

  static final class Filters {
    @Option(names = "--service", paramLabel = "SERVICE", description = "Only this service's interfaces (repeat for any of several).")
    java.util.List<String> services = new ArrayList<>();

    Query query() {
      return new Query("interface").addEach("serviceId", services);
    }
  }

  static void list(ListCommand c, Filters f) throws CliException, InterruptedException {
    Api.Response response = c.fetch(f.query());
    if (c.json) {
      c.printJson(response);
      return;
    }
    Table table = new Table("INTERFACE", "SERVICE", "VERSION", "RECEIVES-HASH", "SENDS-HASH", "MULTIPLE", "AUTO-CONNECT");
    JsonNode interfaces = response.json();
    rows(table, interfaces, true);
    table.print(c.out());
    c.footer(response, interfaces.size());
  }

  /**
   * One row per interface version, an interface without versions as one row of dashes; with
   * {@code service} the table has a SERVICE column after INTERFACE.
   */
  static void rows(Table table, JsonNode interfaces, boolean service) {
    for (JsonNode i : interfaces) {
      java.util.List<JsonNode> versions = new ArrayList<>();
      i.path("interfaceVersions").forEach(versions::add);
      if (versions.isEmpty()) {
        versions.add(Api.JSON.createObjectNode());
      }
      for (JsonNode v : versions) {
        java.util.List<Object> row = new ArrayList<>();
        row.add(text(i, "id"));
        if (service) {
          row.add(text(i, "serviceId"));
        }
        row.add(text(v, "versionName"));
        row.add(text(v, "receivesHash"));
        row.add(text(v, "sendsHash"));
        row.add(text(i, "allowMultiple"));
        row.add(text(i, "autoConnect"));
        table.row(row.toArray());
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the interfaces.")
  static final class List extends ListCommand {
    @Mixin Filters filters;

    @Override
    void run() throws CliException, InterruptedException {
      list(this, filters);
    }
  }
}
