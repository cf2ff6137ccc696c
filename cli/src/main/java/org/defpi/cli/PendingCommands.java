package org.defpi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code defpi pending [list|show|cancel]}: the /pendingchange routes, the orchestrator's queue of
 * changes it retries (PENDING, RUNNING, DONE, FAILED, CANCELLED). Only a PENDING one can be cancelled.
 */
@Command(name = "pending", mixinStandardHelpOptions = true,
    description = "Pending changes the orchestrator is carrying out or retrying (list when no verb is given).",
    subcommands = {PendingCommands.List.class, PendingCommands.Show.class, PendingCommands.Cancel.class,
        PendingCommands.Retry.class})
final class PendingCommands extends ListCommand {
  @Mixin Filters filters;
    @Mixin EventCommands.Watch watch;

  @Override
  void run() throws CliException, InterruptedException {
    list(this, filters, watch);
  }

  static final class Filters {
    @Option(names = "--state", paramLabel = "STATE",
        description = "Only changes in STATE: PENDING, RUNNING, DONE, FAILED or CANCELLED (repeat for any of several).")
    java.util.List<String> states = new ArrayList<>();

    @Option(names = "--kind", paramLabel = "KIND", description = "Only changes of KIND (repeat for any of several).")
    java.util.List<String> kinds = new ArrayList<>();

    @Option(names = "--process", paramLabel = "PROCESS", description = "Only the changes of this process id.")
    String process;

    @Option(names = "--connection", paramLabel = "CONNECTION", description = "Only the changes of this connection id.")
    String connection;

    Query query() {
      return new Query("pendingchange").addEach("state", states).addEach("kind", kinds).add("processId", process)
          .add("connectionId", connection);
    }
  }

  static void list(ListCommand c, Filters f, EventCommands.Watch watch) throws CliException, InterruptedException {
    EventCommands.list(c, watch, "pendingchange", () -> print(c, f));
  }

  static void print(ListCommand c, Filters f) throws CliException, InterruptedException {
    Api.Response response = c.fetch(f.query());
    if (c.json) {
      c.printJson(response);
      return;
    }
    Table table = new Table("ID", "KIND", "STATE", "TARGET", "ATTEMPTS", "NOT-BEFORE", "LAST-ERROR");
    JsonNode changes = response.json();
    for (JsonNode x : changes) {
      table.row(text(x, "id"), text(x, "kind"), text(x, "state"), target(x), attempts(x), text(x, "notBefore"),
          text(x, "lastError"));
    }
    table.print(c.out());
    c.footer(response, changes.size());
  }

  static void show(ApiCommand c, Api.Response response) throws CliException {
    if (c.json) {
      c.printJson(response);
      return;
    }
    JsonNode x = response.json();
    fields(c.out(), "id", text(x, "id"), "kind", text(x, "kind"), "state", text(x, "state"),
        "process", text(x, "processId"), "connection", text(x, "connectionId"), "user", text(x, "userId"),
        "attempts", attempts(x), "not before", text(x, "notBefore"), "last error", text(x, "lastError"),
        "created", text(x, "createdAt"), "updated", text(x, "updatedAt"));
  }

  /** What the change is about: {@code process:ID} or {@code connection:ID}. */
  private static String target(JsonNode x) {
    if (!text(x, "processId").isEmpty()) {
      return "process:" + text(x, "processId");
    }
    return text(x, "connectionId").isEmpty() ? "" : "connection:" + text(x, "connectionId");
  }

  private static String attempts(JsonNode x) {
    String max = text(x, "maxAttempts");
    return text(x, "attempts") + (max.isEmpty() ? "" : "/" + max);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the pending changes.")
  static final class List extends ListCommand {
    @Mixin Filters filters;
    @Mixin EventCommands.Watch watch;

    @Override
    void run() throws CliException, InterruptedException {
      list(this, filters, watch);
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One pending change.")
  static final class Show extends ApiCommand {
    @Parameters(paramLabel = "CHANGE", description = "The pending change's id.")
    String id;

    @Override
    void run() throws CliException, InterruptedException {
      show(this, cli().api().get("pendingchange/" + segment(id)));
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true,
      description = "Cancel a PENDING change (refused once it is running or over).")
  static final class Cancel extends ApiCommand {
    @Parameters(paramLabel = "CHANGE", description = "The pending change's id.")
    String id;

    @Override
    void run() throws CliException, InterruptedException {
      cli().api().delete("pendingchange/" + segment(id));
      if (!json) {
        out().println("cancelled pending change " + id);
      }
    }
  }

  @Command(name = "retry", mixinStandardHelpOptions = true,
      description = "Run a FAILED change again (attempts from zero), or a PENDING one now rather than after its back-off.")
  static final class Retry extends ApiCommand {
    @Parameters(paramLabel = "CHANGE", description = "The pending change's id.")
    String id;

    @Override
    void run() throws CliException, InterruptedException {
      Api.Response response = cli().api().post("pendingchange/" + segment(id) + "/retry");
      if (json) {
        show(this, response);
      } else {
        out().println("pending change " + id + " is PENDING again and due now");
      }
    }
  }
}
