package org.defpi.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code defpi connections [list|show|create|delete]}: the /connection routes. */
@Command(name = "connections", mixinStandardHelpOptions = true,
    description = "Connections between two processes' interfaces (list when no verb is given).",
    subcommands = {ConnectionCommands.List.class, ConnectionCommands.Show.class, ConnectionCommands.Create.class,
        ConnectionCommands.Delete.class})
final class ConnectionCommands extends ListCommand {
  @Mixin Filters filters;
    @Mixin EventCommands.Watch watch;

  @Override
  void run() throws CliException, InterruptedException {
    list(this, filters, watch);
  }

  static final class Filters {
    @Option(names = "--state", paramLabel = "STATE", description = "Only connections in STATE (repeat for any of several).")
    java.util.List<String> states = new ArrayList<>();

    Query query() {
      return new Query("connection").addEach("state", states);
    }
  }

  /** {@code PROCESS:INTERFACE}; split at the first colon, since interface ids hold a slash, not a colon. */
  record Endpoint(String processId, String interfaceId) {
    Map<String, String> body() {
      return Map.of("processId", processId, "interfaceId", interfaceId);
    }

    static final class Converter implements ITypeConverter<Endpoint> {
      @Override
      public Endpoint convert(String value) {
        int colon = value.indexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
          throw new TypeConversionException("expected PROCESS:INTERFACE, like 3f2a9c:power-meter/power-measurement"
              + " or my-meter:power-measurement, not '" + value + "'");
        }
        return new Endpoint(value.substring(0, colon), value.substring(colon + 1));
      }
    }
  }

  static void list(ListCommand c, Filters f, EventCommands.Watch watch) throws CliException, InterruptedException {
    EventCommands.list(c, watch, "connection", () -> print(c, f));
  }

  static void print(ListCommand c, Filters f) throws CliException, InterruptedException {
    Api.Response response = c.fetch(f.query());
    if (c.json) {
      c.printJson(response);
      return;
    }
    Table table = new Table("ID", "ENDPOINT1", "ENDPOINT2", "VERSIONS", "STATE", "ENCRYPTED", "REASON");
    JsonNode connections = response.json();
    for (JsonNode x : connections) {
      table.row(text(x, "id"), endpoint(x.path("endpoint1")), endpoint(x.path("endpoint2")), versions(x),
          text(x, "state"), encrypted(x), text(x, "reason"));
    }
    table.print(c.out());
    c.footer(response, connections.size());
  }

  static void show(ApiCommand c, Api.Response response) throws CliException {
    if (c.json) {
      c.printJson(response);
      return;
    }
    JsonNode x = response.json();
    fields(c.out(), "id", text(x, "id"), "endpoint1", endpoint(x.path("endpoint1")),
        "endpoint2", endpoint(x.path("endpoint2")), "versions", versions(x),
        "listen port", text(x.path("endpoint1"), "listenPort"), "state", text(x, "state"),
        "encrypted", encrypted(x), "reason", text(x, "reason"), "created", text(x, "createdAt"));
  }

  /**
   * yes: both ends were told to run it in TLS 1.3 (both hold a certificate of the orchestrator's
   * authority); no: plain TCP; empty from an orchestrator that does not say (before the TLS addition).
   */
  static String encrypted(JsonNode x) {
    JsonNode v = x.path("encrypted");
    return v.isBoolean() ? (v.asBoolean() ? "yes" : "no") : "";
  }

  private static String endpoint(JsonNode e) {
    return text(e, "processId") + ":" + text(e, "interfaceId");
  }

  private static String versions(JsonNode x) {
    JsonNode v = x.path("interfaceVersions");
    return text(v, "endpoint1") + "/" + text(v, "endpoint2");
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the connections.")
  static final class List extends ListCommand {
    @Mixin Filters filters;
    @Mixin EventCommands.Watch watch;

    @Override
    void run() throws CliException, InterruptedException {
      list(this, filters, watch);
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One connection.")
  static final class Show extends ApiCommand {
    @Parameters(paramLabel = "CONNECTION", description = "The connection id.")
    String id;

    @Override
    void run() throws CliException, InterruptedException {
      show(this, cli().api().get("connection/" + segment(id)));
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Connect two processes' interfaces.")
  static final class Create extends ApiCommand {
    @Parameters(index = "0", paramLabel = "PROCESS1:INTERFACE", converter = Endpoint.Converter.class, description = {
        "A process (its id, or its name if no other process has it) and one of its interfaces (its id, or the"
            + " part after the service id)."})
    Endpoint endpoint1;

    @Parameters(index = "1", paramLabel = "PROCESS2:INTERFACE", converter = Endpoint.Converter.class)
    Endpoint endpoint2;

    @Override
    void run() throws CliException, InterruptedException {
      show(this, cli().api().post("connection",
          Map.of("endpoint1", resolve(endpoint1).body(), "endpoint2", resolve(endpoint2).body())));
    }

    /**
     * The ids the API takes: the process by id or unique name, the interface by id or by the part
     * after its service id ({@code observations} for {@code grid-meter/observations}).
     */
    private Endpoint resolve(Endpoint typed) throws CliException, InterruptedException {
      JsonNode process = process(typed.processId());
      String interfaceId = typed.interfaceId().contains("/") ? typed.interfaceId()
          : text(process, "serviceId") + "/" + typed.interfaceId();
      return new Endpoint(text(process, "id"), interfaceId);
    }
  }

  /** DELETE /connection/{id}: 204 when the connection is gone; 202 with a pending change when its removal goes on. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = {"Remove a connection.",
      "When its removal takes longer it goes on as a pending change: the command says which."})
  static final class Delete extends ApiCommand {
    @Parameters(paramLabel = "CONNECTION", description = "The connection id.")
    String id;

    @Override
    void run() throws CliException, InterruptedException {
      Api.Response response = cli().api().delete("connection/" + segment(id));
      if (response.status() == 202) {
        JsonNode change = response.json();
        if (json) {
          printJson(response);
        } else {
          out().println("the removal of connection " + id + " goes on as pending change " + text(change, "id") + " ("
              + text(change, "state") + "); 'defpi pending show " + text(change, "id") + "' shows how it does");
        }
      } else if (!json) {
        out().println("deleted connection " + id);
      }
    }
  }
}
