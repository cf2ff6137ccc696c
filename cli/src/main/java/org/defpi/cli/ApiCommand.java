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
