package org.defpi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code defpi pools [list|show|create|rename|delete]}: the /nodepool routes. */
@Command(name = "pools", mixinStandardHelpOptions = true,
    description = "Node pools, the groups public nodes are in (list when no verb is given).",
    subcommands = {PoolCommands.List.class, PoolCommands.Show.class, PoolCommands.Create.class,
        PoolCommands.Rename.class, PoolCommands.Delete.class})
final class PoolCommands extends ListCommand {
  @Override
  void run() throws CliException, InterruptedException {
    list(this);
  }

  static void list(ListCommand c) throws CliException, InterruptedException {
    Api.Response response = c.fetch(new Query("nodepool"));
    if (c.json) {
      c.printJson(response);
      return;
    }
    Table table = new Table("ID", "NAME");
    JsonNode pools = response.json();
    for (JsonNode p : pools) {
      table.row(text(p, "id"), text(p, "name"));
    }
    table.print(c.out());
    c.footer(response, pools.size());
  }

  static void show(ApiCommand c, Api.Response response) throws CliException {
    if (c.json) {
      c.printJson(response);
      return;
    }
    JsonNode p = response.json();
    fields(c.out(), "id", text(p, "id"), "name", text(p, "name"));
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the node pools.")
  static final class List extends ListCommand {
    @Override
    void run() throws CliException, InterruptedException {
      list(this);
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One node pool.")
  static final class Show extends ApiCommand {
    @Parameters(paramLabel = "POOL", description = "The pool id.")
    String id;

    @Override
    void run() throws CliException, InterruptedException {
      show(this, cli().api().get("nodepool/" + segment(id)));
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a node pool (admins only).")
  static final class Create extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "The pool's name.")
    String name;

    @Override
    void run() throws CliException, InterruptedException {
      show(this, cli().api().post("nodepool", Map.of("name", name)));
    }
  }

  @Command(name = "rename", mixinStandardHelpOptions = true, description = "Rename a node pool (admins only).")
  static final class Rename extends ApiCommand {
    @Parameters(index = "0", paramLabel = "POOL", description = "The pool id.")
    String id;

    @Parameters(index = "1", paramLabel = "NAME", description = "The new name.")
    String name;

    @Override
    void run() throws CliException, InterruptedException {
      show(this, cli().api().put("nodepool/" + segment(id), Map.of("name", name)));
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete a node pool (admins only; refused while nodes are in it).")
  static final class Delete extends ApiCommand {
    @Parameters(paramLabel = "POOL", description = "The pool id.")
    String id;

    @Override
    void run() throws CliException, InterruptedException {
      cli().api().delete("nodepool/" + segment(id));
      if (!json) {
        out().println("deleted pool " + id);
      }
    }
  }
}
