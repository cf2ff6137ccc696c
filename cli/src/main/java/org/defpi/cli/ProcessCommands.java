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
    String place = !text(p, "nodeId").isEmpty() ? "node " + text(p, "nodeId")
        : !text(p, "nodePoolId").isEmpty() ? "pool " + text(p, "nodePoolId") : "";
    java.util.List<String> mounts = new ArrayList<>();
    p.path("mounts").forEach(m -> mounts.add(text(m, "source") + ":" + text(m, "target")
        + (m.path("readOnly").asBoolean(false) ? ":ro" : "")));
    java.util.List<String> ports = new ArrayList<>();
    p.path("ports").forEach(port -> ports.add(text(port, "published") + ":" + text(port, "target") + "/"
        + text(port, "protocol")));
    fields(c.out(), "id", text(p, "id"), "name", text(p, "name"), "service", text(p, "serviceId"),
        "version", text(p, "version"), "user", text(p, "userId"), "state", text(p, "state"),
        "reason", text(p, "reason"), "created", text(p, "createdAt"), "placed", place,
        "memory", text(p, "memoryMb").isEmpty() ? "" : text(p, "memoryMb") + " MiB", "cpus", text(p, "cpus"),
        "volumes", String.join(", ", mounts), "ports", String.join(", ", ports), "runs on", text(p, "runsOn"),
        "tls", tls(p));
    if (!p.path("configuration").isEmpty()) {
      Table config = new Table("KEY", "VALUE");
      p.path("configuration").properties().forEach(e -> config.row(e.getKey(), e.getValue().asText()));
      c.out().println();
      config.print(c.out());
    }
  }

  /**
   * yes: its last trigger said it holds a certificate, so the orchestrator reaches it in TLS; no:
   * plain TCP (built with the original SDK, or TLS off); empty from an orchestrator that does not say.
   */
  static String tls(JsonNode p) {
    JsonNode v = p.path("tls");
    return v.isBoolean() ? (v.asBoolean() ? "yes" : "no") : "";
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
    @Parameters(paramLabel = "PROCESS", description = "The process id, or its name if no other process has it.")
    String id;

    @Override
    void run() throws CliException, InterruptedException {
      show(this, cli().api().get("process/" + segment(processId(id))));
    }
  }

  // --version is the service's version here, so picocli's standard -V/--version cannot be mixed in,
  // and with it went -h/--help: declared by hand.
  @Command(name = "create", description = "Start a process of a service.")
  static final class Create extends ApiCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--service", required = true, paramLabel = "SERVICE", description = "The service id, like power-meter.")
    String service;

    @Option(names = "--name", description = "A name for the process (default: the service id).")
    String name;

    @Option(names = "--version", description = "The service's image version (default: the latest).")
    String version;

    @Option(names = "--config", paramLabel = "KEY=VALUE", description = "A configuration parameter; repeat for more.")
    Map<String, String> config = new LinkedHashMap<>();

    @Option(names = "--node", paramLabel = "NODE", description = "Run it on this private node of yours.")
    String node;

    @Option(names = "--pool", paramLabel = "POOL", description = "Run it on a public node of this pool (the pool id)."
        + " Without --node and --pool: any public node.")
    String pool;

    @Option(names = "--memory", paramLabel = "MIB", description = "Memory to reserve and limit it to, in MiB.")
    Long memory;

    @Option(names = "--cpus", paramLabel = "CPUS", description = "CPUs to reserve and limit it to, like 0.5.")
    Double cpus;

    @Option(names = "--volume", paramLabel = "SOURCE:TARGET[:ro]", description = {"Mount a volume of yours (SOURCE a"
        + " name) or, admins only, a path of the host (SOURCE starting with /) at TARGET; repeat for more."})
    java.util.List<String> volumes = new ArrayList<>();

    @Option(names = "--publish", paramLabel = "HOST:CONTAINER[/PROTOCOL]", description = "Publish a container port on"
        + " the node's host port (tcp unless udp or sctp is named); repeat for more.")
    java.util.List<String> publish = new ArrayList<>();

    @Override
    void run() throws CliException, InterruptedException {
      if (node != null && pool != null) {
        throw new CliException.Usage("--node or --pool, not both");
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("serviceId", service);
      if (name != null) {
        body.put("name", name);
      }
      if (version != null) {
        body.put("version", version);
      }
      body.put("configuration", config);
      if (node != null) {
        body.put("nodeId", node);
      }
      if (pool != null) {
        body.put("nodePoolId", pool);
      }
      if (memory != null) {
        body.put("memoryMb", memory);
      }
      if (cpus != null) {
        body.put("cpus", cpus);
      }
      if (!volumes.isEmpty()) {
        java.util.List<Map<String, Object>> mounts = new ArrayList<>();
        for (String v : volumes) {
          mounts.add(mount(v));
        }
        body.put("mounts", mounts);
      }
      if (!publish.isEmpty()) {
        java.util.List<Map<String, Object>> ports = new ArrayList<>();
        for (String p : publish) {
          ports.add(port(p));
        }
        body.put("ports", ports);
      }
      show(this, cli().api().post("process", body));
    }

    /** {@code SOURCE:TARGET[:ro]} as docker -v says it: a volume, or a bind when SOURCE is a path. */
    static Map<String, Object> mount(String spec) throws CliException.Usage {
      String[] parts = spec.split(":", -1);
      if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()
          || parts.length == 3 && !parts[2].equals("ro")) {
        throw new CliException.Usage("--volume takes SOURCE:TARGET or SOURCE:TARGET:ro, not '" + spec + "'");
      }
      Map<String, Object> mount = new LinkedHashMap<>();
      mount.put("type", parts[0].startsWith("/") ? "bind" : "volume");
      mount.put("source", parts[0]);
      mount.put("target", parts[1]);
      if (parts.length == 3) {
        mount.put("readOnly", true);
      }
      return mount;
    }

    /** {@code HOST:CONTAINER[/PROTOCOL]} as docker -p says it. */
    static Map<String, Object> port(String spec) throws CliException.Usage {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,5}):(\\d{1,5})(?:/(tcp|udp|sctp))?").matcher(spec);
      if (!m.matches()) {
        throw new CliException.Usage("--publish takes HOST:CONTAINER or HOST:CONTAINER/PROTOCOL (tcp, udp, sctp), not '"
            + spec + "'");
      }
      Map<String, Object> port = new LinkedHashMap<>();
      port.put("target", Integer.parseInt(m.group(2)));
      port.put("published", Integer.parseInt(m.group(1)));
      port.put("protocol", m.group(3) == null ? "tcp" : m.group(3));
      return port;
    }
  }

  /**
   * PUT /process/{id}. The API takes the whole configuration; {@code --config} changes single keys,
   * so the command reads the process first and sends its configuration with those keys changed.
   */
  @Command(name = "update", description = {
      "Rename, reconfigure, upgrade or move a process.",
      "--config changes the keys given and keeps the others. --version upgrades (or downgrades) the process and"
          + " --node or --pool moves it, with its state: it is suspended, started anew and resumed from the state it"
          + " saved."})
  static final class Update extends ApiCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(paramLabel = "PROCESS", description = "The process id, or its name if no other process has it.")
    String id;

    @Option(names = "--name", description = "A new name.")
    String name;

    @Option(names = "--config", paramLabel = "KEY=VALUE", description = "Set a configuration parameter; repeat for more.")
    Map<String, String> config = new LinkedHashMap<>();

    @Option(names = "--version", description = "Another version of the process's service.")
    String version;

    @Option(names = "--node", paramLabel = "NODE", description = "Move it to this private node of its user.")
    String node;

    @Option(names = "--pool", paramLabel = "POOL", description = "Move it to this pool of public nodes.")
    String pool;

    @Option(names = "--any-public-node", description = "Move it to any public node.")
    boolean anyPublicNode;

    @Override
    void run() throws CliException, InterruptedException {
      if (name == null && config.isEmpty() && version == null && node == null && pool == null && !anyPublicNode) {
        throw new CliException.Usage("say what to change: --name, --config, --version, --node, --pool or --any-public-node");
      }
      if ((node != null ? 1 : 0) + (pool != null ? 1 : 0) + (anyPublicNode ? 1 : 0) > 1) {
        throw new CliException.Usage("--node, --pool or --any-public-node: one place, not several");
      }
      String id = processId(this.id);
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
      if (node != null) {
        body.put("nodeId", node);
      }
      if (pool != null) {
        body.put("nodePoolId", pool);
      }
      if (anyPublicNode) {
        body.put("anyPublicNode", true);
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
    @Parameters(paramLabel = "PROCESS", description = "The process id, or its name if no other process has it.")
    String id;

    @Option(names = "--wait", description = "If the teardown goes on as a pending change, follow the event stream until"
        + " that is DONE, FAILED or CANCELLED (with --json print it then, not when it started).")
    boolean await;

    @Override
    void run() throws CliException, InterruptedException {
      id = processId(id); // from here on the id, also in what is printed
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
  static class Log extends ApiCommand {
    @Parameters(paramLabel = "PROCESS", description = "The process id, or its name if no other process has it.")
    String id;

    @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines (the API's default when absent).")
    Integer tail;

    @Option(names = {"-f", "--follow"}, description = "Keep printing the output as the process writes it (Ctrl-C ends).")
    boolean follow;

    @Option(names = {"-g", "--grep"}, paramLabel = "REGEX",
        description = "Only the lines in which this regular expression is found (case-insensitive).")
    String grep;

    @Override
    void run() throws CliException, InterruptedException {
      java.util.function.Predicate<String> wanted = lineFilter(grep);
      id = processId(id);
      if (follow) {
        try (java.util.stream.Stream<String> lines = cli().api().followText("process/" + segment(id) + "/log?follow=true"
            + (tail == null ? "" : "&tail=" + tail))) {
          lines.filter(wanted).forEach(line -> {
            out().println(line);
            out().flush();
          });
        } catch (java.io.UncheckedIOException e) {
          throw new CliException.Unavailable("the log stream of process " + id + " broke off: " + e.getCause().getMessage());
        }
        return;
      }
      Api.Response response = cli().api().get("process/" + segment(id) + "/log" + (tail == null ? "" : "?tail=" + tail));
      // Text either way: the API answers text/plain, and --json has no JSON to show.
      if (grep != null) {
        response.body().lines().filter(wanted).forEach(out()::println);
        return;
      }
      out().print(response.body());
      if (!response.body().isEmpty() && !response.body().endsWith("\n")) {
        out().println();
      }
    }

    /** Every line, or those where {@code regex} is found ignoring case; a regex that does not compile is a usage error. */
    static java.util.function.Predicate<String> lineFilter(String regex) throws CliException.Usage {
      if (regex == null) {
        return line -> true;
      }
      try {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex,
            java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.UNICODE_CASE);
        return line -> p.matcher(line).find();
      } catch (java.util.regex.PatternSyntaxException e) {
        throw new CliException.Usage("--grep '" + regex + "' is not a regular expression: " + e.getDescription());
      }
    }
  }

  /** {@code defpi logs PROCESS}: the same as {@code defpi processes log}, where people look for it first. */
  @Command(name = "logs", mixinStandardHelpOptions = true, description = "A process's container output (--follow to keep"
      + " printing it).")
  static final class Logs extends Log {}
}
