package org.defpi.cli;

import java.io.PrintStream;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The event stream (GET /events, followed by {@link EventStream}): {@code defpi events}, and what
 * other commands use it for: {@code --watch} on the lists of processes, connections and pending
 * changes ({@link #list}), and {@code processes delete --wait} ({@link #awaitPendingChange}).
 */
final class EventCommands {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
  /** The columns of {@code defpi events}: streamed lines cannot be measured, so each has a least width. */
  private static final int[] WIDTHS = {8, 13, 7, 24, 10};
  /** A pending change in one of these is over. */
  static final Set<String> OVER = Set.of("DONE", "FAILED", "CANCELLED");

  private EventCommands() {}

  @Command(name = "events", mixinStandardHelpOptions = true,
      description = {"Follow the changes to your processes, connections and pending changes (an admin's: everyone's)"
          + " until interrupted (Ctrl-C): one line each, or with --json each event's data.",
          "A cut stream is resumed where it stopped; when the orchestrator no longer knows where that was, a note on"
              + " stderr says changes may have been missed."})
  static final class Events extends ApiCommand {
    @Override
    void run() throws CliException, InterruptedException {
      PrintStream out = out();
      boolean[] header = {false};
      new EventStream(cli().api(), cli().err, cli().following).follow(new EventStream.Listener() {
        @Override
        public boolean ready(boolean reload) {
          if (!json && !header[0]) {
            header[0] = true;
            out.println(columns("TIME", "SUBJECT", "ACTION", "ID", "STATE", "REASON"));
            out.flush();
          }
          return false;
        }

        @Override
        public boolean change(EventStream.Change change) {
          out.println(json ? change.jsonLine() : columns(clock(change.at()), change.subject(), change.action(),
              change.id(), change.state(), change.reason()));
          out.flush();
          return false;
        }
      });
    }
  }

  /** {@code --watch} on a list. */
  static final class Watch {
    @Option(names = "--watch", description = {"Then follow the event stream until interrupted (Ctrl-C): print the list"
        + " again, under a line saying what changed, whenever one of these changes;",
        "with --json print each change's event data, one per line (and the list again after a reset of the stream)."})
    boolean on;
  }

  /** Prints a list once: a table, or its JSON. */
  interface Printer {
    void print() throws CliException, InterruptedException;
  }

  /**
   * A list, then with {@code --watch} the changes to items of {@code subject} ({@code process},
   * {@code connection}, {@code pendingchange}). The list is fetched once the stream listens, so no
   * change between the two is lost, and again after a reset of the stream.
   */
  static void list(ListCommand c, Watch watch, String subject, Printer printer)
      throws CliException, InterruptedException {
    if (watch == null || !watch.on) {
      printer.print();
      return;
    }
    PrintStream out = c.out();
    boolean[] printed = {false};
    new EventStream(c.cli().api(), c.cli().err, c.cli().following).follow(new EventStream.Listener() {
      @Override
      public boolean ready(boolean reload) throws CliException, InterruptedException {
        if (reload) {
          if (printed[0] && !c.json) {
            out.println();
          }
          printer.print();
          printed[0] = true;
          out.flush();
        }
        return false;
      }

      @Override
      public boolean change(EventStream.Change change) throws CliException, InterruptedException {
        if (!subject.equals(change.subject())) {
          return false;
        }
        if (c.json) {
          out.println(change.jsonLine());
        } else {
          out.println();
          out.println(summary(change));
          printer.print();
        }
        out.flush();
        return false;
      }
    });
  }

  /**
   * Follows the stream until pending change {@code id} is over (DONE, FAILED or CANCELLED); answers
   * its GET /pendingchange/{id} then. It is looked up each time the stream (re)starts without an
   * id, so an end that came before the stream listened is not missed.
   */
  static Api.Response awaitPendingChange(ApiCommand c, String id) throws CliException, InterruptedException {
    Api api = c.cli().api();
    String path = "pendingchange/" + ApiCommand.segment(id);
    Api.Response[] over = {null};
    boolean done = new EventStream(api, c.cli().err, c.cli().following).follow(new EventStream.Listener() {
      @Override
      public boolean ready(boolean reload) throws CliException, InterruptedException {
        return reload && lookUp();
      }

      @Override
      public boolean change(EventStream.Change change) throws CliException, InterruptedException {
        return "pendingchange".equals(change.subject()) && id.equals(change.id()) && OVER.contains(change.state())
            && lookUp();
      }

      private boolean lookUp() throws CliException, InterruptedException {
        Api.Response response = api.get(path);
        if (OVER.contains(ApiCommand.text(response.json(), "state"))) {
          over[0] = response;
          return true;
        }
        return false;
      }
    });
    if (!done) {
      throw new CliException.Unavailable("stopped following the event stream before pending change " + id + " was over");
    }
    return over[0];
  }

  /** {@code 12:03:04  process 65f0… changed: RUNNING (reason)}, above a list printed again. */
  static String summary(EventStream.Change c) {
    String reason = c.reason().isEmpty() ? "" : " (" + c.reason() + ")";
    return CliException.oneLine(clock(c.at()) + "  " + c.subject() + " " + c.id() + " " + c.action() + ": "
        + c.state() + reason);
  }

  /** An ISO-8601 instant as local {@code HH:mm:ss}; anything else as it came. */
  static String clock(String at) {
    try {
      return Instant.parse(at).atZone(ZoneId.systemDefault()).format(CLOCK);
    } catch (DateTimeException e) {
      return at;
    }
  }

  /** One line of {@code defpi events}: padded to {@link #WIDTHS}, {@code -} for a missing value. */
  static String columns(String... cells) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      String cell = cells[i] == null || cells[i].isEmpty() ? "-" : CliException.oneLine(cells[i]);
      line.append(cell);
      if (i < cells.length - 1) {
        int width = i < WIDTHS.length ? WIDTHS[i] : 0;
        line.append(" ".repeat(Math.max(0, width - cell.length()))).append("  ");
      }
    }
    return line.toString();
  }
}
