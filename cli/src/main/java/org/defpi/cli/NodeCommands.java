package org.defpi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code defpi nodes [list|show|make-public|make-private|forget]}: the /node routes. A node is
 * unidentified until an admin makes it public (in a pool, for everyone's processes) or private (one
 * user's); {@code forget} makes it unidentified again. The three verbs are PUT /node/{id}.
 */
@Command(name = "nodes", mixinStandardHelpOptions = true,
    description = "Swarm nodes: public ones and your private ones (list when no verb is given).",
    subcommands = {NodeCommands.List.class, NodeCommands.Show.class, NodeCommands.MakePublic.class,
        NodeCommands.MakePrivate.class, NodeCommands.Forget.class})
final class NodeCommands extends ListCommand {
  @Mixin Filters filters;

  @Override
  void run() throws CliException, InterruptedException {
    list(this, filters);
  }

  static final class Filters {
    @Option(names = "--kind", paramLabel = "KIND", description = "Only nodes of KIND: unidentified, public or private (repeat for any of several).")
    java.util.List<String> kinds = new ArrayList<>();

    @Option(names = "--status", paramLabel = "STATUS", description = "Only nodes in STATUS, like READY (repeat for any of several).")
    java.util.List<String> statuses = new ArrayList<>();

    @Option(names = "--pool", paramLabel = "POOL", description = "Only the public nodes of this pool id.")
    String pool;

    @Option(names = "--user", paramLabel = "USER", description = "Only the private nodes of this user id.")
    String user;

    Query query() {
      return new Query("node").addEach("kind", kinds).addEach("status", statuses).add("poolId", pool).add("userId", user);
    }
  }

  static void list(ListCommand c, Filters f) throws CliException, InterruptedException {
    Api.Response response = c.fetch(f.query());
    if (c.json) {
      c.printJson(response);
      return;
    }
    Table table = new Table("ID", "HOSTNAME", "ARCH", "STATUS", "KIND", "POOL", "USER", "LAST-SEEN");
    JsonNode nodes = response.json();
    for (JsonNode n : nodes) {
      table.row(text(n, "id"), text(n, "hostname"), text(n, "architecture"), text(n, "status"), text(n, "kind"),
          text(n, "poolId"), text(n, "userId"), text(n, "lastSeen"));
    }
    table.print(c.out());
    c.footer(response, nodes.size());
  }

  static void show(ApiCommand c, Api.Response response) throws CliException {
    if (c.json) {
      c.printJson(response);
      return;
    }
    JsonNode n = response.json();
    fields(c.out(), "id", text(n, "id"), "hostname", text(n, "hostname"), "architecture", text(n, "architecture"),
        "status", text(n, "status"), "kind", text(n, "kind"), "pool", text(n, "poolId"), "user", text(n, "userId"),
        "last seen", text(n, "lastSeen"));
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the nodes.")
  static final class List extends ListCommand {
    @Mixin Filters filters;

    @Override
    void run() throws CliException, InterruptedException {
      list(this, filters);
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One node.")
  static final class Show extends ApiCommand {
    @Parameters(paramLabel = "NODE", description = "The Swarm node id.")
    String id;

    @Override
    void run() throws CliException, InterruptedException {
      show(this, cli().api().get("node/" + segment(id)));
    }
  }

  /** The three verbs that say what a node is: PUT /node/{id}, then the node as the API answers it. */
  abstract static class Identify extends ApiCommand {
    @Parameters(paramLabel = "NODE", description = "The Swarm node id.")
    String id;

    /** The PUT's body: the kind, and the pool or the user where the kind takes one. */
    abstract Map<String, String> body();

    @Override
    final void run() throws CliException, InterruptedException {
      show(this, cli().api().put("node/" + segment(id), body()));
    }
  }

  @Command(name = "make-public", mixinStandardHelpOptions = true,
      description = "Make a node public, in a pool, for everyone's processes (admins only).")
  static final class MakePublic extends Identify {
    @Option(names = "--pool", required = true, paramLabel = "POOL", description = "The node pool's id.")
    String pool;

    @Override
    Map<String, String> body() {
      return Map.of("kind", "public", "poolId", pool);
    }
  }

  @Command(name = "make-private", mixinStandardHelpOptions = true,
      description = "Make a node private to one user, for their processes only (admins only).")
  static final class MakePrivate extends Identify {
    @Option(names = "--user", required = true, paramLabel = "USER", description = "The owner's user id.")
    String user;

    @Override
    Map<String, String> body() {
      return Map.of("kind", "private", "userId", user);
    }
  }

  @Command(name = "forget", mixinStandardHelpOptions = true,
      description = "Make a node unidentified again: no longer public or private (admins only).")
  static final class Forget extends Identify {
    @Override
    Map<String, String> body() {
      return Map.of("kind", "unidentified");
    }
  }
}
