package org.defpi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A command that calls the API: reaches the {@link Cli} through the root, prints a table or JSON. */
abstract class ApiCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print the API's JSON instead of a table.")
  boolean json;

  @Override
  public final Integer call() throws Exception {
    run();
    cli().out.flush();
    return Exit.OK;
  }

  abstract void run() throws CliException, InterruptedException, java.io.IOException;

  Cli cli() {
    return ((RootCommand) spec.root().userObject()).cli;
  }

  PrintStream out() {
    return cli().out;
  }

  /** --json: the API's body as it came, one document on stdout. */
  void printJson(Api.Response response) {
    out().println(response.body().strip());
  }

  /**
   * A process as the API shows it, named by what the user typed: its id, or else its name when
   * exactly one process the caller sees has that name (names need not be unique, so an ambiguous
   * name is refused with the ids to choose from).
   */
  JsonNode process(String idOrName) throws CliException, InterruptedException {
    try {
      return cli().api().get("process/" + segment(idOrName)).json();
    } catch (CliException.Refused e) {
      if (e.status() != 404) {
        throw e;
      }
    }
    JsonNode named = cli().api().get("process?name=" + segment(idOrName) + "&limit=6").json();
    if (named.size() == 1) {
      return named.get(0);
    }
    if (named.isEmpty()) {
      throw new CliException.Refused(404, "no process has the id or the name '" + idOrName + "'");
    }
    List<String> ids = new ArrayList<>();
    named.forEach(p -> ids.add(text(p, "id")));
    throw new CliException.Refused(409, named.size() + (named.size() > 5 ? " or more" : "") + " processes are named '"
        + idOrName + "' (" + String.join(", ", ids.subList(0, Math.min(5, ids.size()))) + "): give the id");
  }

  /** {@link #process}'s id. */
  String processId(String idOrName) throws CliException, InterruptedException {
    return process(idOrName).path("id").asText();
  }

  static String segment(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isMissingNode() || v.isNull() ? "" : v.asText();
  }

  static String joined(JsonNode array, String field) {
    List<String> parts = new ArrayList<>();
    array.forEach(n -> parts.add(field == null ? n.asText() : text(n, field)));
    return String.join(",", parts);
  }

  /** {@code name:  value} lines, the values aligned; empty values are left out. */
  static void fields(PrintStream out, String... namesAndValues) {
    int width = 0;
    for (int i = 0; i < namesAndValues.length; i += 2) {
      width = Math.max(width, namesAndValues[i].length());
    }
    for (int i = 0; i < namesAndValues.length; i += 2) {
      String value = namesAndValues[i + 1];
      if (value != null && !value.isEmpty()) {
        out.println(namesAndValues[i] + ":" + " ".repeat(width - namesAndValues[i].length() + 2)
            + CliException.oneLine(value));
      }
    }
  }
}
