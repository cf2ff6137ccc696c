package org.defpi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code defpi top}: the traffic of each process's data connections, summed over them, refreshed in
 * place like {@code top}. Two requests a round whatever the number of processes: the processes
 * (paged through, 1000 at a time) and GET /traffic. {@link #rows} is the pure part.
 */
@Command(name = "top", mixinStandardHelpOptions = true,
    description = {"Show each process's traffic (its data connections summed: messages and KB per second in and"
        + " out, dropped messages, errors), refreshed every 2 s in place until q or Ctrl-C.",
        "'-' marks a process with no reported connection (built with the original dEF-Pi SDK, not running, or"
            + " unconnected). Busiest first."})
final class TopCommand extends ApiCommand {
  private static final String CLEAR = "\033[H\033[2J";
  private static final int PAGE = 1000;
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  @Option(names = "--once", description = "Print one table (or with --json one array) and exit.")
  boolean once;

  @Option(names = {"-n", "--iterations"}, paramLabel = "N", description = "Exit after N refreshes.")
  Integer iterations;

  @Option(names = {"-d", "--delay"}, paramLabel = "SECONDS", description = "Seconds between refreshes (default 2).")
  double delay = 2;

  @Option(names = "--user", paramLabel = "USER", description = "Only this user id's processes (an admin's filter).")
  String user;

  /** One line of the table: a process and its connections' traffic summed; empty traffic when none reported. */
  record Row(String id, String name, String serviceId, String state, Optional<Traffic> traffic) {}

  /** A process's connections summed: rates per second, totals since their processes started. */
  record Traffic(int connections, double messagesIn, double messagesOut, double bytesIn, double bytesOut,
      long dropped, long errors) {
    double messages() {
      return messagesIn + messagesOut;
    }
  }

  @Override
  void run() throws CliException, InterruptedException, IOException {
    if (delay < 0.1) {
      throw new CliException.Usage("--delay must be at least 0.1 seconds, not " + delay);
    }
    if (iterations != null && iterations < 1) {
      throw new CliException.Usage("--iterations must be 1 or more, not " + iterations);
    }
    Api api = cli().api();
    PrintStream out = out();
    if (once) {
      print(out, rows(processes(api), traffic(api)), false);
      return;
    }
    CountDownLatch quit = new CountDownLatch(1);
    try (Keys keys = Keys.watch(cli().in, quit)) {
      for (int round = 1; ; round++) {
        List<Row> rows = rows(processes(api), traffic(api));
        print(out, rows, !json);
        if (iterations != null && round >= iterations) {
          return;
        }
        if (quit.await((long) (delay * 1000), TimeUnit.MILLISECONDS)) {
          return;
        }
      }
    }
  }

  private void print(PrintStream out, List<Row> rows, boolean clear) {
    if (json) {
      out.println(json(rows)); // one array per refresh, one line each
    } else {
      if (clear) {
        out.print(CLEAR);
        out.println("defpi top  " + LocalTime.now().format(CLOCK) + "  " + rows.size() + " processes, every "
            + number(delay) + " s; q or Ctrl-C quits");
        out.println();
      }
      table(rows).print(out);
    }
    out.flush();
  }

  private List<JsonNode> processes(Api api) throws CliException, InterruptedException {
    List<JsonNode> all = new ArrayList<>();
    for (int offset = 0; ; offset += PAGE) {
      Api.Response page = api.get(new Query("/process").add("userId", user).add("limit", PAGE)
          .add("offset", offset).path());
      JsonNode items = page.json();
      items.forEach(all::add);
      long total = page.totalCount().orElse(all.size());
      if (items.size() < PAGE || all.size() >= total) {
        return all;
      }
    }
  }

  private JsonNode traffic(Api api) throws CliException, InterruptedException {
    return api.get(new Query("/traffic").add("userId", user).path()).json();
  }

  /**
   * The table's rows from GET /process and GET /traffic: each process with its reported connections
   * summed (each connection end counts once for its process), busiest first, then by name. Pure.
   */
  static List<Row> rows(List<JsonNode> processes, JsonNode traffic) {
    Map<String, Traffic> byProcess = new HashMap<>();
    for (JsonNode connection : traffic) {
      for (JsonNode end : connection.path("ends")) {
        JsonNode r = end.path("rates");
        Traffic one = new Traffic(1, r.path("messagesInPerSecond").asDouble(), r.path("messagesOutPerSecond").asDouble(),
            r.path("bytesInPerSecond").asDouble(), r.path("bytesOutPerSecond").asDouble(),
            end.path("dropped").asLong(), end.path("errors").asLong());
        byProcess.merge(end.path("processId").asText(), one, TopCommand::sum);
      }
    }
    List<Row> rows = new ArrayList<>(processes.size());
    for (JsonNode p : processes) {
      String id = text(p, "id");
      rows.add(new Row(id, text(p, "name"), text(p, "serviceId"), text(p, "state"),
          Optional.ofNullable(byProcess.get(id))));
    }
    rows.sort(Comparator.comparingDouble((Row r) -> -r.traffic().map(Traffic::messages).orElse(-1.0))
        .thenComparing(Row::name).thenComparing(Row::id));
    return rows;
  }

  private static Traffic sum(Traffic a, Traffic b) {
    return new Traffic(a.connections() + b.connections(), a.messagesIn() + b.messagesIn(),
        a.messagesOut() + b.messagesOut(), a.bytesIn() + b.bytesIn(), a.bytesOut() + b.bytesOut(),
        a.dropped() + b.dropped(), a.errors() + b.errors());
  }

  static Table table(List<Row> rows) {
    Table table = new Table("NAME", "SERVICE", "STATE", "CONNS", "MSG IN/s", "MSG OUT/s", "KB IN/s", "KB OUT/s",
        "DROPPED", "ERRORS");
    for (Row row : rows) {
      if (row.traffic().isEmpty()) {
        table.row(row.name(), row.serviceId(), row.state(), "-", "-", "-", "-", "-", "-", "-");
        continue;
      }
      Traffic t = row.traffic().get();
      table.row(row.name(), row.serviceId(), row.state(), t.connections(), number(t.messagesIn()),
          number(t.messagesOut()), number(t.bytesIn() / 1024), number(t.bytesOut() / 1024), t.dropped(), t.errors());
    }
    return table;
  }

  /** One decimal, none when whole: 12, 12.5, 0.3. */
  static String number(double value) {
    String one = String.format(Locale.ROOT, "%.1f", value);
    return one.endsWith(".0") ? one.substring(0, one.length() - 2) : one;
  }

  private static ArrayNode json(List<Row> rows) {
    ArrayNode array = Api.JSON.createArrayNode();
    for (Row row : rows) {
      ObjectNode o = array.addObject();
      o.put("processId", row.id());
      o.put("name", row.name());
      o.put("serviceId", row.serviceId());
      o.put("state", row.state());
      if (row.traffic().isEmpty()) {
        o.putNull("traffic");
        continue;
      }
      Traffic t = row.traffic().get();
      ObjectNode traffic = o.putObject("traffic");
      traffic.put("connections", t.connections());
      traffic.put("messagesInPerSecond", t.messagesIn());
      traffic.put("messagesOutPerSecond", t.messagesOut());
      traffic.put("bytesInPerSecond", t.bytesIn());
      traffic.put("bytesOutPerSecond", t.bytesOut());
      traffic.put("dropped", t.dropped());
      traffic.put("errors", t.errors());
    }
    return array;
  }

  /**
   * Watches the keyboard for q while top refreshes: on a terminal, switched to reading keys one at a
   * time (no Enter needed, no echo) and put back as it was on close; elsewhere the input is read as it
   * comes (q then Enter). The end of the input quits nothing: {@code defpi top < /dev/null} runs on.
   */
  static final class Keys implements AutoCloseable {
    private final Optional<String> savedTerminal;
    private final Thread reader;

    private Keys(Optional<String> savedTerminal, Thread reader) {
      this.savedTerminal = savedTerminal;
      this.reader = reader;
    }

    static Keys watch(InputStream in, CountDownLatch quit) {
      Optional<String> saved = in == System.in && System.console() != null ? stty("-g") : Optional.empty();
      saved.ifPresent(s -> stty("-icanon", "-echo", "min", "1"));
      Thread reader = Thread.ofVirtual().name("defpi-top-keys").start(() -> {
        try {
          int c;
          while ((c = in.read()) != -1) {
            if (c == 'q' || c == 'Q') {
              quit.countDown();
              return;
            }
          }
        } catch (IOException e) {
          // the terminal went away: Ctrl-C or the end of the session stops the command anyway
        }
      });
      return new Keys(saved, reader);
    }

    /** Runs stty on the terminal; its output, if it worked. */
    private static Optional<String> stty(String... args) {
      List<String> command = new ArrayList<>(List.of("stty"));
      command.addAll(List.of(args));
      try {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(p.getInputStream().readAllBytes()).strip();
        return p.waitFor() == 0 ? Optional.of(output) : Optional.empty();
      } catch (IOException e) {
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }

    @Override
    public void close() {
      reader.interrupt(); // a blocked read of System.in ends with the JVM; a test's stream has ended
      savedTerminal.ifPresent(s -> stty(s));
    }
  }
}
