package org.defpi.benchmarks.controlplane;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.defpi.benchmarks.controlplane.Seeder.Seeded;
import org.defpi.orchestrator.Settings;
import org.defpi.orchestrator.Wiring;
import org.defpi.orchestrator.registry.RealRegistry;
import org.defpi.orchestrator.store.RealStore;

/**
 * The control plane at scale, with no Docker: the orchestrator's own managers, store and HTTP API
 * over a seeded installation (10 000 processes, 30 000 connections, 1 000 nodes by default), the
 * Swarm and the registry simulated. Prints one table: what was timed, over how many records, p50,
 * p99, max and the rate.
 *
 * <ul>
 *   <li>{@code memory}: the event bus fanning out to 1, 100 and 1 000 subscribers, the reconciler's
 *       and the node sync's decisions, the traffic manager, the registry catalog's refresh;
 *   <li>{@code h2} (a file in a temp dir) and {@code postgres} (a schema of its own, when reachable):
 *       the API's list endpoints through the real routes over HTTP, traffic reports from every
 *       process, the Prometheus scrape, the event stream to many SSE clients (first store only), the
 *       reads of a reconciliation, a reconciliation pass, a node sync, pending-change claims.
 * </ul>
 *
 * <p>Arguments, all {@code name=value} and optional: sizes {@code processes=10000 connections=30000
 * nodes=1000 users=100 pools=10 history=10000 services=200 tags=3}; time {@code seconds=1} (each
 * row's measured part) {@code warmup=0.5} {@code traffic-seconds=6} (the most each round of traffic
 * reports may take); load {@code clients=8} (traffic reporters at once) {@code
 * api-clients=4} {@code subscribers=1,100,1000} {@code paced=100} (events a second for the delivery
 * latency) {@code sse=100} (HTTP event streams; 0: none) {@code sse-changes=200} {@code
 * claim-depths=100,1000,10000} (queue depths, in increasing order) {@code touch=1} (0: no write
 * between timed reads; see {@link Toucher}); {@code parts=events,decisions,traffic,catalog,api,
 * streams,reads,reconcile,claims} (some of them only); stores {@code stores=h2,postgres} and {@code pg=JDBC-URL} (else {@code
 * DEFPI_BENCH_PG}, else the test PostgreSQL on 127.0.0.1:54329; user {@code DEFPI_BENCH_PG_USER},
 * defpi). Exit status 0 whatever the numbers: it measures, it does not gate.
 */
public final class ControlPlaneBench {
  private static final String DEFAULT_PG = "jdbc:postgresql://127.0.0.1:54329/defpi_test";
  /** What can be run, in the order it runs: {@code parts=} picks some. */
  private static final List<String> PARTS = List.of("events", "decisions", "traffic", "catalog", "api", "streams",
      "reads", "reconcile", "claims");
  /** The parts that need a seeded store, and of those the ones that need the orchestrator's HTTP API. */
  private static final List<String> STORE_PARTS = List.of("api", "traffic", "streams", "reads", "reconcile", "claims");
  private static final List<String> HTTP_PARTS = List.of("api", "traffic", "streams");

  private ControlPlaneBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    Fleet fleet = Fleet.fromOptions(options);
    double seconds = Double.parseDouble(options.getOrDefault("seconds", "1.0"));
    double warmup = Double.parseDouble(options.getOrDefault("warmup", "0.5"));
    Measure.Budget budget = new Measure.Budget(Duration.ofMillis((long) (warmup * 1000)),
        Duration.ofMillis((long) (seconds * 1000)), 5, 100_000);
    Duration trafficCap = Duration.ofMillis((long) (1000 * Double.parseDouble(options.getOrDefault("traffic-seconds",
        "6"))));
    int clients = integer(options, "clients", 8);
    int apiClients = integer(options, "api-clients", 4);
    List<Integer> subscribers = Arrays.stream(options.getOrDefault("subscribers", "1,100,1000").split(","))
        .map(String::strip).map(Integer::parseInt).toList();
    int paced = integer(options, "paced", 100);
    int sse = integer(options, "sse", 100);
    int sseChanges = integer(options, "sse-changes", 200);
    List<Integer> claimDepths = Arrays.stream(options.getOrDefault("claim-depths", "100,1000,10000").split(","))
        .map(String::strip).map(Integer::parseInt).toList();
    boolean touch = !"0".equals(options.getOrDefault("touch", "1"));
    java.util.Set<String> parts = java.util.Set.of(options.getOrDefault("parts", String.join(",", PARTS)).split(","));
    if (!PARTS.containsAll(parts)) {
      throw new IllegalArgumentException("parts are " + PARTS + ", not " + parts);
    }

    List<String> stores = List.of(options.getOrDefault("stores", "h2,postgres").split(","));

    long started = System.nanoTime();
    Clock clock = Clock.systemUTC();
    System.out.printf(Locale.ROOT, "control plane: %,d processes, %,d connections, %,d nodes, %d users, %,d finished"
        + " changes, registry %d services × %d tags%n", fleet.processes(), fleet.connections(), fleet.nodes(),
        fleet.users(), fleet.history(), fleet.services(), fleet.tags());
    System.out.printf(Locale.ROOT, "machine: %d cores, JDK %s, max heap %,d MB, %s, load average %s; each row %.1f s"
        + " after %.1f s warm-up (at least 5 samples)%n%n", Runtime.getRuntime().availableProcessors(),
        Runtime.version(), Runtime.getRuntime().maxMemory() >> 20, Instant.now(), loadAverage(), seconds, warmup);
    Seeded seeded = Seeder.make(fleet, clock);
    List<Row> rows = new ArrayList<>();
    Sections sections = new Sections(rows, parts);
    try (SimulatedRegistry registry = new SimulatedRegistry(fleet.services(), fleet.tags())) {
      RealRegistry reader = new RealRegistry(new RealRegistry.Settings(registry.url(), "127.0.0.1:5000",
          Duration.ofSeconds(10)), clock);

      MemoryBench memory = new MemoryBench(seeded, budget);
      sections.run("events", "memory: event bus", () -> memory.events(subscribers, paced, Duration.ofSeconds(2)));
      sections.run("decisions", "memory: reconciliation and node sync decisions", () -> {
        try (RealStore empty = RealStore.open(new RealStore.Settings(
            "jdbc:h2:mem:defpi-bench-empty;DB_CLOSE_DELAY=-1;MODE=PostgreSQL", "defpi", ""))) {
          return List.of(memory.reconcileInMemory(empty, reader), memory.nodeSyncDecision());
        }
      });
      sections.run("traffic", "memory: traffic manager", () -> memory.traffic(2));
      sections.run("catalog", "memory: registry catalog", () -> List.of(memory.catalogRefresh(registry, 100)));

      boolean first = true;
      for (String name : STORE_PARTS.stream().anyMatch(parts::contains) ? stores : List.<String>of()) {
        Optional<Database> db = open(name.strip(), options);
        if (db.isEmpty()) {
          continue;
        }
        try (Database database = db.get()) {
          log("%s: %s", database.name(), database);
          store(sections, database, seeded, registry, reader, budget, clients, trafficCap, apiClients,
              first ? sse : 0, sseChanges, claimDepths, touch);
        }
        first = false;
      }
    }
    System.out.println();
    System.out.print(Row.table(rows));
    System.out.printf(Locale.ROOT, "%nn: records the operation works over (processes read, subscribers, nodes...);"
        + " latency of one operation; throughput over the wall time of the row (one client unless said).%n"
        + "whole run %.0f s; load average at the end %s%n", (System.nanoTime() - started) / 1e9, loadAverage());
  }

  /** One store: seeded, then the API over it, then what the orchestrator does over it on its own. */
  private static void store(Sections sections, Database db, Seeded seeded, SimulatedRegistry registry,
      RealRegistry reader, Measure.Budget budget, int clients, Duration trafficCap, int apiClients, int sse,
      int sseChanges, List<Integer> claimDepths, boolean touch) throws Exception {
    String name = db.name();
    Fleet f = seeded.fleet();
    sections.run(null, name + ": seeding", () -> {
      long t = System.nanoTime();
      try (RealStore s = RealStore.open(db.seeding())) {
        Seeder.write(seeded, s);
      }
      double elapsed = (System.nanoTime() - t) / 1e9;
      db.analyze();
      long inserts = 1L + f.users() + f.pools() + f.nodes() + f.processes() + f.connections() + f.history();
      return List.of(new Row(name, "seed: single-row inserts of the store, 4 threads", inserts, Row.newHistogram(),
          inserts / elapsed, "inserts", String.format(Locale.ROOT,
              "%.1f s, durability relaxed while seeding; then ANALYZE", elapsed)));
    });
    if (HTTP_PARTS.stream().anyMatch(sections.enabled()::contains)) {
      api(sections, db, seeded, registry, budget, clients, trafficCap, apiClients, sse, sseChanges, touch);
    }
    try (RealStore store = RealStore.open(db.settings())) {
      Toucher toucher = new Toucher(store, seeded);
      StoreBench bench = new StoreBench(name, seeded, store, budget, touch ? toucher::touch : () -> { }, db::analyze);
      sections.run("reads", name + ": store reads", bench::reads);
      sections.run("reconcile", name + ": reconciliation and node sync", () -> List.of(bench.reconcile(reader),
          bench.nodeSync(reader)));
      sections.run("claims", name + ": pending-change claims", () -> bench.claims(claimDepths, 4));
    }
  }

  /** The orchestrator over the seeded store, and its API over HTTP. */
  private static void api(Sections sections, Database db, Seeded seeded, SimulatedRegistry registry,
      Measure.Budget budget, int clients, Duration trafficCap, int apiClients, int sse, int sseChanges, boolean touch)
      throws Exception {
    String name = db.name();
    Path dataDir = Files.createTempDirectory("defpi-bench-wiring");
    Map<String, String> env = new HashMap<>(Map.of(
        "DEFPI_PORT", "0",
        "DEFPI_DATA_DIR", dataDir.toString(),
        "DEFPI_DB_URL", db.settings().url(),
        "DEFPI_DB_USER", db.settings().user(),
        "DEFPI_ADMIN_PASSWORD_FILE", dataDir.resolve("unused").toString(), // read only when there are no users
        "DEFPI_RECONCILE", "off",
        "DEFPI_REGISTRY_URL", registry.url().toString(),
        "DEFPI_REGISTRY_REFRESH", "3600", // one read at start: the catalog's own cost is a row of its own
        "DEFPI_DOCKER_HOST", "unix:///nonexistent/defpi-bench-has-no-docker.sock"));
    if (!db.settings().password().isEmpty()) {
      Path password = dataDir.resolve("db-password");
      Files.writeString(password, db.settings().password());
      env.put("DEFPI_DB_PASSWORD_FILE", password.toString());
    }
    try (Wiring orchestrator = Wiring.start(Settings.fromEnv(env));
        RealStore beside = RealStore.open(db.settings())) {
      Toucher toucher = new Toucher(beside, seeded);
      Api api = new Api(URI.create("http://127.0.0.1:" + orchestrator.port()));
      ApiBench bench = new ApiBench(name, seeded, api, budget, touch ? toucher::touch : () -> { });
      sections.run("api", name + ": API lists over HTTP", () -> bench.lists(apiClients));
      sections.run("traffic", name + ": traffic reports over HTTP", () -> bench.traffic(clients, trafficCap));
      if (sse > 0) {
        sections.run("streams", name + ": event streams over HTTP", () -> bench.events(sse, sseChanges));
      }
    } finally {
      try (var files = Files.walk(dataDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @FunctionalInterface
  private interface Section {
    List<Row> run() throws Exception;
  }

  /** The rows so far, and the parts to run ({@code parts=}). */
  private record Sections(List<Row> rows, java.util.Set<String> enabled) {
    /**
     * Runs a section unless its part was left out (null: always), logs its rows as they come (so a
     * later failure does not lose them), keeps them.
     */
    void run(String part, String name, Section section) throws Exception {
      if (part != null && !enabled.contains(part)) {
        return;
      }
      long t = System.nanoTime();
      log("%s …", name);
      List<Row> done = section.run();
      for (Row r : done) {
        System.err.print("  " + r.line());
      }
      log("%s: %.1f s", name, (System.nanoTime() - t) / 1e9);
      rows.addAll(done);
    }
  }

  private static Optional<Database> open(String name, Map<String, String> options) throws Exception {
    switch (name) {
      case "h2" -> {
        return Optional.of(Database.h2());
      }
      case "postgres" -> {
        String url = Optional.ofNullable(options.get("pg")).or(() -> Optional.ofNullable(System.getenv("DEFPI_BENCH_PG")))
            .filter(u -> !u.isBlank()).orElse(DEFAULT_PG);
        if (url.equals("off")) {
          return Optional.empty();
        }
        String user = Optional.ofNullable(System.getenv("DEFPI_BENCH_PG_USER")).orElse("defpi");
        String password = Optional.ofNullable(System.getenv("DEFPI_BENCH_PG_PASSWORD")).orElse("");
        try {
          return Optional.of(Database.postgres(url, user, password));
        } catch (java.sql.SQLException e) {
          log("postgres: skipped, %s is not reachable (scripts/postgres.sh up starts the test one): %s",
              RealStore.redact(url), e.getMessage());
          return Optional.empty();
        }
      }
      default -> throw new IllegalArgumentException("stores are h2 and postgres, not '" + name + "'");
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      for (String word : arg.trim().split("\\s+")) {
        if (word.isEmpty()) {
          continue;
        }
        int eq = word.indexOf('=');
        if (eq < 1) {
          throw new IllegalArgumentException("arguments are name=value (see ControlPlaneBench's Javadoc), not '"
              + word + "'");
        }
        options.put(word.substring(0, eq), word.substring(eq + 1));
      }
    }
    return options;
  }

  private static int integer(Map<String, String> options, String name, int fallback) {
    String v = options.get(name);
    return v == null ? fallback : Integer.parseInt(v.replace("_", ""));
  }

  /** The machine's 1, 5 and 15 minute load averages (a shared machine: other work skews the numbers). */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static void log(String format, Object... args) {
    System.err.printf(Locale.ROOT, "[bench] " + format + "%n", args);
  }
}
