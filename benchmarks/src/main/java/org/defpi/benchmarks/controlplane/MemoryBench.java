package org.defpi.benchmarks.controlplane;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.defpi.benchmarks.controlplane.Seeder.Seeded;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.event.Event;
import org.defpi.orchestrator.event.EventBus;
import org.defpi.orchestrator.event.Subscription;
import org.defpi.orchestrator.node.NodeSync;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.registry.RealRegistry;
import org.defpi.orchestrator.service.ServiceCatalog;
import org.defpi.orchestrator.store.RealStore;
import org.defpi.orchestrator.traffic.ConnectionReport;
import org.defpi.orchestrator.traffic.Counters;
import org.defpi.orchestrator.traffic.TrafficManager;
import org.defpi.orchestrator.traffic.TrafficMeters;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.defpi.orchestrator.user.User;

/**
 * The parts whose cost is the orchestrator's own CPU and memory, with no database in the way: the
 * event bus and its subscribers, the reconciler's decisions, the node sync's decisions, the traffic
 * manager, and the registry catalog's refresh (over HTTP, from a simulated registry).
 */
final class MemoryBench {
  /** As {@code Routes}: the queue each {@code GET /events} stream gets. */
  static final int SUBSCRIBER_QUEUE = 10_000;
  /** As {@code Wiring}: the events kept for clients that reconnect. */
  static final int EVENT_BUFFER = 10_000;
  private static final String SECTION = "memory";

  private final Seeded seeded;
  private final Measure.Budget budget;
  private final Clock clock = Clock.systemUTC();

  MemoryBench(Seeded seeded, Measure.Budget budget) {
    this.seeded = seeded;
    this.budget = budget;
  }

  // ---- events

  /**
   * For each subscriber count: a burst of events published as fast as one thread can (each
   * publish offers the event to every subscriber's queue under the bus's lock), then a steady
   * {@code pacedRate} a second for {@code paced}, timed from publish to each subscriber's taking it.
   * Each subscriber is a virtual thread draining its {@link Subscription}, as a {@code GET /events}
   * stream does (without the HTTP write). Every subscriber sees every event (admins: the most work).
   */
  List<Row> events(List<Integer> subscriberCounts, int pacedRate, Duration paced) throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int subscribers : subscriberCounts) {
      // about two million deliveries a burst at most: a 1 000-subscriber burst is shorter
      int burst = Math.max(1_000, Math.min(SUBSCRIBER_QUEUE, 2_000_000 / subscribers));
      rows.addAll(fanOut(subscribers, e -> true, burst, pacedRate, paced, "admins"));
    }
    // a thousand users each following their own environment: every publish asks each one
    int users = subscriberCounts.stream().mapToInt(Integer::intValue).max().orElse(1_000);
    rows.addAll(fanOut(users, null, Math.min(SUBSCRIBER_QUEUE, 10 * users), 0, Duration.ZERO, "users"));
    rows.add(replay());
    return rows;
  }

  /**
   * @param visible what each subscriber may see; null: subscriber i is user i, and the events are
   *     of 100 users in turn
   */
  private List<Row> fanOut(int subscribers, Predicate<Event> visible, int burst, int pacedRate, Duration paced,
      String who) throws Exception {
    EventBus bus = new EventBus(clock, EVENT_BUFFER);
    int total = burst + (int) (pacedRate * paced.toMillis() / 1000) + 1;
    long[] publishedAt = new long[total + 2];
    Recorder burstDelivery = new Recorder(TimeUnit.MINUTES.toNanos(1), 3);
    Recorder pacedDelivery = new Recorder(TimeUnit.MINUTES.toNanos(1), 3);
    AtomicBoolean pacing = new AtomicBoolean();
    LongAdder delivered = new LongAdder();
    AtomicLongArray lastAt = new AtomicLongArray(subscribers);
    AtomicBoolean stop = new AtomicBoolean();
    List<Subscription> subscriptions = new ArrayList<>();
    List<Thread> drainers = new ArrayList<>();
    for (int i = 0; i < subscribers; i++) {
      String userId = "user-" + i;
      Predicate<Event> sees = visible != null ? visible : e -> e.userId().equals(userId);
      Subscription s = bus.subscribe(sees, bus.lastSeq(), SUBSCRIBER_QUEUE).orElseThrow();
      subscriptions.add(s);
      int index = i;
      drainers.add(Thread.ofVirtual().name("bench-subscriber-" + i).start(() -> {
        try {
          while (!stop.get()) {
            Optional<Event> e = s.next(Duration.ofMillis(100));
            if (e.isPresent()) {
              long now = System.nanoTime();
              (pacing.get() ? pacedDelivery : burstDelivery).recordValue(now - publishedAt[(int) e.get().seq()]);
              delivered.increment();
              lastAt.set(index, now);
            } else if (s.overflowed()) {
              return;
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    int visibleUsers = 100;
    // the burst
    Histogram publish = Row.newHistogram();
    long started = System.nanoTime();
    for (int i = 0; i < burst; i++) {
      long t = System.nanoTime();
      publishedAt[(int) bus.lastSeq() + 1] = t;
      bus.publish(Event.Subject.PROCESS, Event.Action.CHANGED, "p" + i, "user-" + (i % visibleUsers), "RUNNING",
          Optional.empty());
      publish.recordValue(System.nanoTime() - t);
    }
    long published = System.nanoTime();
    long expected = 0;
    for (int i = 0; i < burst; i++) {
      // an admin sees each event; a user only their own, and user k subscribed when k < subscribers
      expected += visible != null ? subscribers : (i % visibleUsers < subscribers ? 1 : 0);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (delivered.sum() < expected && System.nanoTime() < deadline && bus.subscriberCount() == subscribers) {
      Thread.sleep(1);
    }
    long drained = 0;
    for (int i = 0; i < subscribers; i++) {
      drained = Math.max(drained, lastAt.get(i));
    }
    int cutOff = subscribers - bus.subscriberCount();
    List<Row> rows = new ArrayList<>();
    String label = who.equals("admins") ? subscribers + (subscribers == 1 ? " subscriber" : " subscribers")
        + " seeing all" : subscribers + " subscribers, each a user seeing their own";
    rows.add(new Row(SECTION, String.format(Locale.ROOT, "EventBus.publish, burst of %,d, %s", burst, label),
        subscribers, publish, burst * 1e9 / (published - started), "events", String.format(Locale.ROOT,
            "all %,d deliveries in %.0f ms (%,.0f/s); %d cut off", delivered.sum(), (drained - started) / 1e6,
            delivered.sum() * 1e9 / Math.max(1, drained - started), cutOff)));
    rows.add(new Row(SECTION, "  event taken by its subscriber, in that burst", subscribers,
        burstDelivery.getIntervalHistogram(), Double.NaN, "", "queueing behind the burst included"));
    if (pacedRate > 0) {
      pacing.set(true);
      long before = delivered.sum();
      long interval = 1_000_000_000L / pacedRate;
      long next = System.nanoTime();
      long end = next + paced.toNanos();
      int n = 0;
      while (next < end) {
        while (System.nanoTime() < next) {
          Thread.onSpinWait();
        }
        publishedAt[(int) bus.lastSeq() + 1] = System.nanoTime();
        bus.publish(Event.Subject.PROCESS, Event.Action.CHANGED, "q" + n, "user-" + (n % visibleUsers), "RUNNING",
            Optional.empty());
        n++;
        next += interval;
      }
      long want = before + (long) n * subscribers;
      long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (delivered.sum() < want && System.nanoTime() < wait && bus.subscriberCount() == subscribers) {
        Thread.sleep(1);
      }
      rows.add(new Row(SECTION, String.format(Locale.ROOT, "event taken by its subscriber, %,d events/s, %s",
          pacedRate, label), subscribers, pacedDelivery.getIntervalHistogram(),
          (delivered.sum() - before) / (paced.toNanos() / 1e9), "deliveries", String.format(Locale.ROOT,
              "%d cut off", subscribers - bus.subscriberCount())));
    }
    stop.set(true);
    subscriptions.forEach(Subscription::close);
    for (Thread t : drainers) {
      t.join();
    }
    return rows;
  }

  /** A client coming back with its Last-Event-ID gets up to the whole buffer, copied under the bus's lock. */
  private Row replay() throws Exception {
    EventBus bus = new EventBus(clock, EVENT_BUFFER);
    for (int i = 0; i < EVENT_BUFFER; i++) {
      bus.publish(Event.Subject.PROCESS, Event.Action.CHANGED, "p" + i, "u", "RUNNING", Optional.empty());
    }
    long from = bus.lastSeq() - EVENT_BUFFER;
    Measure.Timed t = Measure.repeat(budget.withSamples(20, 2_000), () -> bus.subscribe(e -> true, from,
        SUBSCRIBER_QUEUE).orElseThrow().close());
    return new Row(SECTION, String.format(Locale.ROOT, "EventBus.subscribe replaying the %,d kept events",
        EVENT_BUFFER), EVENT_BUFFER, t.histogram(), t.perSecond(), "subscribes", "publishers wait meanwhile");
  }

  // ---- reconciliation and node sync, decisions only

  /**
   * The reconciliation pass over records in memory ({@link MemoryProcessStore}, an empty in-memory
   * H2 for the queue): what {@code Reconciliation.plan} and the walk over the tasks cost, without the
   * database.
   */
  Row reconcileInMemory(RealStore emptyStore, org.defpi.orchestrator.service.Registry registry) throws Exception {
    SimulatedSwarm swarm = new SimulatedSwarm(seeded.processes(), seeded.nodes());
    Map<String, User> users = StoreBench.usersById(seeded);
    try (Managers m = Managers.over(new MemoryProcessStore(seeded.processes()), emptyStore, emptyStore,
        emptyStore.pendingChanges(), emptyStore.savedStates(), swarm, id -> Optional.ofNullable(users.get(id)),
        registry, clock)) {
      Measure.Timed t = Measure.repeat(budget.withSamples(20, 100_000), () -> m.processes().reconcile());
      return new Row(SECTION, "ProcessManager.reconcile, records in memory (the decisions)", seeded.processes().size(),
          t.histogram(), t.perSecond(), "passes", String.format(Locale.ROOT,
              "%,d processes vs %,d services and tasks; %d writes", seeded.processes().size(),
              swarm.managedServices().size(), m.events().lastSeq()));
    }
  }

  /** {@code NodeSync.reconcile}, the node sync's pure decision, with every node seen anew. */
  Row nodeSyncDecision() throws Exception {
    SimulatedSwarm swarm = new SimulatedSwarm(List.of(), seeded.nodes());
    var stored = seeded.nodes();
    var observed = swarm.nodes();
    Instant t0 = seeded.createdAt();
    long[] k = {0};
    int[] changes = {0};
    Measure.Timed t = Measure.repeat(budget.withSamples(20, 100_000),
        () -> changes[0] = NodeSync.reconcile(stored, observed, t0.plusMillis(++k[0])).size());
    return new Row(SECTION, "NodeSync.reconcile (pure)", stored.size(), t.histogram(), t.perSecond(), "passes",
        changes[0] + " changes a pass (lastSeen)");
  }

  // ---- traffic

  /**
   * The traffic manager alone: every process reports its connections through a directory in memory
   * (the real one reads the store twice a report), twice; then the reads over it, and a connection's
   * removal, which visits every tracked process.
   */
  List<Row> traffic(int threads) throws Exception {
    Map<String, Process> processes = new java.util.HashMap<>();
    seeded.processes().forEach(p -> processes.put(p.id(), p));
    Map<String, Set<String>> connections = new java.util.HashMap<>();
    seeded.connectionsOf().forEach((p, cs) -> connections.put(p, Set.copyOf(cs)));
    TrafficManager.Directory directory = new TrafficManager.Directory() {
      @Override
      public String authenticate(String processId, String token) throws Refusal {
        Process p = processes.get(processId);
        if (p == null || !p.token().matches(token)) {
          throw new Refusal.Forbidden("not this process's token");
        }
        return p.userId();
      }

      @Override
      public void requireVisible(String processId, User caller) {
      }

      @Override
      public Set<String> connectionsOf(String processId) {
        return connections.getOrDefault(processId, Set.of());
      }
    };
    long heapBefore = usedHeap();
    TrafficManager traffic = new TrafficManager(directory, clock, TrafficManager.Settings.defaults());
    List<Process> all = seeded.processes();
    List<Row> rows = new ArrayList<>();
    for (int round = 1; round <= 2; round++) {
      long base = round * 1000L;
      Measure.Timed t = Measure.concurrent(threads, all.size(), i -> {
        Process p = all.get(i);
        List<String> ends = seeded.connectionsOf().getOrDefault(p.id(), List.of());
        List<ConnectionReport> report = new ArrayList<>(ends.size());
        for (String c : ends) {
          report.add(new ConnectionReport(c, "CONNECTED", new Counters(base, base, base * 200, base * 200, 0, 0, 1)));
        }
        traffic.report(p.id(), p.token().value(), () -> report);
      });
      rows.add(new Row(SECTION, "TrafficManager.report, " + (round == 1 ? "first" : "next") + " report of each, "
          + threads + " threads", all.size(), t.histogram(), t.perSecond(), "reports", round == 1 ? "" : String.format(
              Locale.ROOT, "~%,d B heap per reporting process (approx.)",
              (usedHeap() - heapBefore) / Math.max(1, all.size()))));
    }
    User admin = seeded.admin();
    int ends = traffic.ends().size();
    Measure.Timed walk = Measure.repeat(budget.withSamples(5, 10_000), () -> traffic.all(admin, Optional.empty()));
    rows.add(new Row(SECTION, "TrafficManager.all (admin: every end, rates)", ends, walk.histogram(), walk.perSecond(),
        "reads", ""));
    // what GET /metrics renders: the traffic meters of every tracked end, beside nothing else
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new TrafficMeters(traffic).bindTo(prometheus);
    int[] bytes = {0};
    Measure.Timed scrape = Measure.repeat(new Measure.Budget(Duration.ZERO, budget.measure(), 1, 20),
        () -> bytes[0] = prometheus.scrape().length());
    rows.add(new Row(SECTION, "Prometheus scrape of the traffic meters (GET /metrics' body)", traffic.ends().size(),
        scrape.histogram(), scrape.perSecond(), "scrapes", String.format(Locale.ROOT,
            "%,d characters, %,d meters", bytes[0], prometheus.getMeters().size())));
    prometheus.close();
    List<String> gone = seeded.connections().stream().map(c -> c.id()).toList();
    int[] next = {0};
    Measure.Timed remove = Measure.repeat(budget.withSamples(5, 1_000),
        () -> traffic.connectionGone(gone.get(next[0]++ % gone.size())));
    rows.add(new Row(SECTION, "TrafficManager.connectionGone (runs under the event bus's lock)", all.size(),
        remove.histogram(), remove.perSecond(), "removals", "visits every tracked process"));
    return rows;
  }

  /** Heap in use after a few GC hints: an approximation, and labelled so wherever it is printed. */
  static long usedHeap() {
    Runtime r = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc(); // a hint: the number is an approximation and says so
    }
    return r.totalMemory() - r.freeMemory();
  }

  // ---- registry

  /** One full read of the registry by the catalog, as every {@code DEFPI_REGISTRY_REFRESH} s (30 by default). */
  Row catalogRefresh(SimulatedRegistry registry, int pageSize) throws Exception {
    RealRegistry reader = new RealRegistry(new RealRegistry.Settings(registry.url(), "127.0.0.1:5000",
        Duration.ofSeconds(10), pageSize, Optional.empty()), clock);
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("bench-catalog").daemon().factory());
    try {
      int[] loaded = {0};
      Measure.Op refresh = () -> {
        ServiceCatalog catalog = new ServiceCatalog(reader, executor, clock, Duration.ofHours(1), Duration.ofMinutes(5));
        catalog.start();
        loaded[0] = catalog.snapshot().services().size();
      };
      long before = registry.requests();
      refresh.run(); // the warm-up, and the count of requests one refresh makes
      long requests = registry.requests() - before;
      Measure.Timed t = Measure.repeat(new Measure.Budget(Duration.ZERO, budget.measure(), 1, 20), refresh);
      Fleet f = seeded.fleet();
      double mean = t.histogram().getMean() / 1e9;
      return new Row(SECTION, "ServiceCatalog refresh (RealRegistry, registry on loopback)",
          (long) f.services() * f.tags(), t.histogram(), requests / mean, "req", String.format(Locale.ROOT,
              "%d services × %d tags: %,d requests a refresh, one at a time; %d services loaded", f.services(),
              f.tags(), requests, loaded[0]));
    } finally {
      executor.shutdownNow();
    }
  }
}
