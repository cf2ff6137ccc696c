package org.defpi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code defpi processes [list|show|create|update|delete|log]}: the /process routes. */
@Command(name = "processes", mixinStandardHelpOptions = true,
    description = "Processes: running instances of services (list when no verb is given).",
    subcommands = {ProcessCommands.List.class, ProcessCommands.Show.class, ProcessCommands.Create.class,
        ProcessCommands.Update.class, ProcessCommands.Delete.class, ProcessCommands.Log.class})
final class ProcessCommands extends ListCommand {
  @Mixin Filters filters;
    @Mixin EventCommands.Watch watch;

  @Override
  void run() throws CliException, InterruptedException {
    list(this, filters, watch);
  }

  static final class Filters {
    @Option(names = "--state", paramLabel = "STATE", description = "Only processes in STATE, like RUNNING (repeat for any of several).")
    java.util.List<String> states = new ArrayList<>();

    @Option(names = "--service", paramLabel = "SERVICE", description = "Only processes of this service id (repeat for any of several).")
    java.util.List<String> services = new ArrayList<>();

    @Option(names = "--user", paramLabel = "USER", description = "Only this user id's processes (an admin's filter).")
    String user;

    Query query() {
      return new Query("process").addEach("state", states).addEach("serviceId", services).add("userId", user);
    }
  }

  static void list(ListCommand c, Filters f, EventCommands.Watch watch) throws CliException, InterruptedException {
    EventCommands.list(c, watch, "process", () -> print(c, f));
  }

  static void print(ListCommand c, Filters f) throws CliException, InterruptedException {
    Api.Response response = c.fetch(f.query());
    if (c.json) {
      c.printJson(response);
      return;
    }
    Table table = new Table("ID", "NAME", "SERVICE", "VERSION", "STATE", "REASON");
    JsonNode processes = response.json();
    for (JsonNode p : processes) {
      table.row(text(p, "id"), text(p, "name"), text(p, "serviceId"), text(p, "version"), text(p, "state"),
          text(p, "reason"));
    }
    table.print(c.out());
    c.footer(response, processes.size());
  }

  static void show(ApiCommand c, Api.Response response) throws CliException {
    if (c.json) {
      c.printJson(response);
      return;
    }
    JsonNode p = response.json();
    fields(c.out(), "id", text(p, "id"), "name", text(p, "name"), "service", text(p, "serviceId"),
        "version", text(p, "version"), "user", text(p, "userId"), "state", text(p, "state"),
        "reason", text(p, "reason"), "created", text(p, "createdAt"));
    if (!p.path("configuration").isEmpty()) {
      Table config = new Table("KEY", "VALUE");
      p.path("configuration").properties().forEach(e -> config.row(e.getKey(), e.getValue().asText()));
      c.out().println();
      config.print(c.out());
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the processes.")
  static final class List extends ListCommand {
    @Mixin Filters filters;
    @Mixin EventCommands.Watch watch;

    @Override
    void run() throws CliException, InterruptedException {
      list(this, filters, watch);
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One process and its configuration.")
  static final class Show extends ApiCommand {
    @Parameters(paramLabel = "PROCESS", description = "The process id.")
    String id;

    @Override
    void run() throws CliException, InterruptedException {
      show(this, cli().api().get("process/" + segment(id)));
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Start a process of a service.")
  static final class Create extends ApiCommand {
    @Option(names = "--service", required = true, paramLabel = "SERVICE", description = "The service id, like power-meter.")
    String service;

    @Option(names = "--name", description = "A name for the process (default: the service id).")
    String name;

    @Option(names = "--version", description = "The service's image version (default: the latest).")
    String version;

    @Option(names = "--config", paramLabel = "KEY=VALUE", description = "A configuration parameter; repeat for more.")
    Map<String, String> config = new LinkedHashMap<>();

    @Override
    void run() throws CliException, InterruptedException {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("serviceId", service);
      if (name != null) {
        body.put("name", name);
      }
      if (version != null) {
        body.put("version", version);
      }
      body.put("configuration", config);
      show(this, cli().api().post("process", body));
    }
  }

  /**
   * PUT /process/{id}. The API takes the whole configuration; {@code --config} changes single keys,
   * so the command reads the process first and sends its configuration with those keys changed.
   */
  @Command(name = "update", mixinStandardHelpOptions = true, description = {
      "Rename, reconfigure or upgrade a process.",
      "--config changes the keys given and keeps the others; --version upgrades (or downgrades) the process"
          + " with its state: it is suspended, its new version started and resumed from the state it saved."})
  static final class Update extends ApiCommand {
    @Parameters(paramLabel = "PROCESS", description = "The process id.")
    String id;

    @Option(names = "--name", description = "A new name.")
    String name;

    @Option(names = "--config", paramLabel = "KEY=VALUE", description = "Set a configuration parameter; repeat for more.")
    Map<String, String> config = new LinkedHashMap<>();

    @Option(names = "--version", description = "Another version of the process's service.")
    String version;

    @Override
    void run() throws CliException, InterruptedException {
      if (name == null && config.isEmpty() && version == null) {
        throw new CliException.Usage("say what to change: --name, --config or --version");
      }
      Map<String, Object> body = new LinkedHashMap<>();
      if (name != null) {
        body.put("name", name);
      }
      if (!config.isEmpty()) {
        Map<String, String> configuration = new LinkedHashMap<>();
        cli().api().get("process/" + segment(id)).json().path("configuration").properties()
            .forEach(e -> configuration.put(e.getKey(), e.getValue().asText()));
        configuration.putAll(config);
        body.put("configuration", configuration);
      }
      if (version != null) {
        body.put("version", version);
      }
      show(this, cli().api().put("process/" + segment(id), body));
    }
  }

  /**
   * DELETE /process/{id}: 204 when the process is gone; 202 with a pending change when its teardown
   * takes longer and goes on, which {@code --wait} follows on the event stream to its end.
   */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = {"Terminate a process.",
      "When its teardown takes longer it goes on as a pending change: the command says which, and with --wait"
          + " follows it until it is over (exit 1 if it FAILED or was CANCELLED)."})
  static final class Delete extends ApiCommand {
    @Parameters(paramLabel = "PROCESS", description = "The process id.")
    String id;

    @Option(names = "--wait", description = "If the teardown goes on as a pending change, follow the event stream until"
        + " that is DONE, FAILED or CANCELLED (with --json print it then, not when it started).")
    boolean await;

    @Override
    void run() throws CliException, InterruptedException {
      Api.Response response = cli().api().delete("process/" + segment(id));
      if (response.status() != 202) {
        if (!json) {
          out().println("deleted process " + id);
        }
        return;
      }
      JsonNode change = response.json();
      String changeId = text(change, "id");
      if (!await) {
        if (json) {
          printJson(response);
        } else {
          out().println("the teardown of process " + id + " goes on as pending change " + changeId + " ("
              + text(change, "state") + "); 'defpi pending show " + changeId + "' shows how it does");
        }
        return;
      }
      if (!json) {
        out().println("the teardown of process " + id + " goes on as pending change " + changeId + " ("
            + text(change, "state") + "); waiting for it to end");
        out().flush();
      }
      Api.Response over = EventCommands.awaitPendingChange(this, changeId);
      JsonNode end = over.json();
      String state = text(end, "state");
      if (json) {
        printJson(over);
        out().flush();
      }
      if (state.equals("DONE")) {
        if (!json) {
          out().println("deleted process " + id);
        }
        return;
      }
      String error = text(end, "lastError");
      throw new CliException.Failed("the teardown of process " + id + " (pending change " + changeId + ") "
          + (state.equals("FAILED") ? "failed" : "was " + state.toLowerCase(java.util.Locale.ROOT))
          + (error.isEmpty() ? "" : ": " + error));
    }
  }

  @Command(name = "log", mixinStandardHelpOptions = true, description = "The process's container output.")
  static final class Log extends ApiCommand {
    @Parameters(paramLabel = "PROCESS", description = "The process id.")
    String id;

    @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines (the API's default when absent).")
    Integer tail;

    @Override
    void run() throws CliException, InterruptedException {
      Api.Response response = cli().api().get("process/" + segment(id) + "/log" + (tail == null ? "" : "?tail=" + tail));
      // Text either way: the API answers text/plain, and --json has no JSON to show.
      out().print(response.body());
      if (!response.body().isEmpty() && !response.body().endsWith("\n")) {
        out().println();
      }
    }
  }
}
