package org.defpi.cli;

import java.util.OptionalLong;
import java.util.Stack;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * A command that prints a list: {@code --limit}, {@code --offset} and {@code --sort} go to the API as
 * query parameters (after the resource's filters), and a table ends with "showing 21-40 of 134" when
 * the API's {@code X-Total-Count} says more matched than the table shows. {@code --json} prints the
 * body alone, as it came; the total stays in the header.
 */
abstract class ListCommand extends ApiCommand {
  @Option(names = "--limit", paramLabel = "N", description = "At most N items (the API's default is 100, its maximum 1000).")
  Integer limit;

  @Option(names = "--offset", paramLabel = "N", description = "Skip the first N matching items.")
  Integer offset;

  @Option(names = "--sort", paramLabel = "FIELDS", parameterConsumer = SortFields.class,
      description = "Sort by these comma-separated fields; a leading - sorts descending, like --sort -createdAt.")
  String sort;

  /**
   * {@code --sort -hostname} would otherwise be read as the clustered short options {@code -h…}: the
   * value after {@code --sort} is taken as is, unless it is missing or a long option.
   */
  static final class SortFields implements IParameterConsumer {
    @Override
    public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
      if (args.isEmpty() || args.peek().startsWith("--")) {
        throw new MissingParameterException(commandSpec.commandLine(), argSpec,
            "Missing required parameter for option '--sort' (FIELDS)");
      }
      argSpec.setValue(args.pop());
    }
  }

  /** GET the filtered list, a page of it when asked. */
  Api.Response fetch(Query filters) throws CliException, InterruptedException {
    if (limit != null && limit < 1) {
      throw new CliException.Usage("--limit must be 1 or more, not " + limit);
    }
    if (offset != null && offset < 0) {
      throw new CliException.Usage("--offset must be 0 or more, not " + offset);
    }
    if (sort != null && sort.isBlank()) {
      throw new CliException.Usage("--sort needs at least one field");
    }
    return cli().api().get(filters.add("offset", offset).add("limit", limit).add("sort", sort).path());
  }

  /** After a table of {@code shown} items: where they are in the whole, if the whole is larger. */
  void footer(Api.Response response, int shown) {
    OptionalLong total = response.totalCount();
    if (total.isEmpty() || total.getAsLong() <= shown) {
      return;
    }
    long first = offset == null ? 0 : offset;
    long end = first + shown;
    String range = shown == 0 ? "0" : (first + 1) + "-" + end;
    String more = shown > 0 && end < total.getAsLong() ? "; --offset " + end + " for more" : "";
    out().println("showing " + range + " of " + total.getAsLong() + more);
  }
}
