package org.defpi.benchmarks.controlplane;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.defpi.benchmarks.controlplane.Seeder.Seeded;
import org.defpi.orchestrator.Ids;
import org.defpi.orchestrator.pendingchange.PendingChange;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.service.Registry;
import org.defpi.orchestrator.store.RealStore;
import org.defpi.orchestrator.user.User;

/**
 * What the orchestrator does over its store on its own, without a request: the reads a
 * reconciliation makes, the reconciliation pass and the node sync against a Swarm in the steady
 * state ({@link SimulatedSwarm}), and the pending-change workers' claims.
 */
final class StoreBench {
  private final String section;
  private final Seeded seeded;
  private final RealStore store;
  private final Measure.Budget budget;
  private final Measure.Op touch;
  private final Measure.Op analyze;
  private final Clock clock = Clock.systemUTC();

  /**
   * @param touch a write between two timed reads ({@link Toucher}), not timed
   * @param analyze updates the planner's statistics ({@link Database#analyze}) after a bulk insert
   */
  StoreBench(String section, Seeded seeded, RealStore store, Measure.Budget budget, Measure.Op touch,
      Measure.Op analyze) {
    this.section = section;
    this.seeded = seeded;
    this.store = store;
    this.budget = budget;
    this.touch = touch;
    this.analyze = analyze;
  }

  /** The reads each reconciliation pass makes (and the scrape's count). */
  List<Row> reads() throws Exception {
    List<Row> rows = new ArrayList<>();
    long before = MemoryBench.usedHeap();
    List<Process> held = store.listProcesses();
    long perProcess = (MemoryBench.usedHeap() - before) / Math.max(1, held.size());
    held = null;
    rows.add(timed("store.listProcesses() (every process, JSON columns parsed)", seeded.processes().size(),
        store::listProcesses).withNote(String.format(Locale.ROOT, "~%,d B heap per listed process (approx.)",
            perProcess)));
    rows.add(timed("store.listConnections()", seeded.connections().size(), store::listConnections));
    rows.add(timed("store.listNodes()", seeded.nodes().size(), store::listNodes));
    List<Process> all = seeded.processes();
    int[] next = {0};
    rows.add(timed("store.connectionsOf(process) (each traffic report reads it)", seeded.connections().size(),
        () -> store.connectionsOf(all.get(next[0]++ % all.size()).id())));
    rows.add(timed("pendingChanges.busyProcesses() (PENDING or RUNNING)", seeded.fleet().history(),
        () -> store.pendingChanges().busyProcesses()));
    rows.add(timed("pendingChanges.list() (every change: GET /pendingchange)", seeded.fleet().history(),
        () -> store.pendingChanges().list()));
    rows.add(timed("store.processesByState() (the /metrics gauge)", seeded.processes().size(),
        store::processesByState));
    return rows;
  }

  /**
   * One reconciliation pass as {@code Wiring} schedules it ({@code ProcessManager.reconcile} and
   * {@code ConnectionManager.reconcile}), the Swarm in step with the store, so it finds nothing to
   * do: the cost of looking.
   */
  Row reconcile(Registry registry) throws Exception {
    SimulatedSwarm swarm = new SimulatedSwarm(seeded.processes(), seeded.nodes());
    try (Managers m = Managers.over(store, store, store, store.pendingChanges(), store.savedStates(), swarm,
        id -> store.users().findUser(id), registry, clock)) {
      Measure.Timed t = Measure.repeat(budget.withSamples(5, 200), touch, m::reconcileOnce);
      long writes = m.events().lastSeq();
      return new Row(section, "reconcile pass (processes + connections; Swarm in step)", seeded.processes().size(),
          t.histogram(), t.perSecond(), "passes", String.format(Locale.ROOT,
              "%d writes; per pass: busy ids, every process, %d user lookups, every connection, a history delete",
              writes, swarm.userNetworks().size()));
    }
  }

  /** One node sync: the Swarm's nodes against the stored ones, each node's lastSeen written. */
  Row nodeSync(Registry registry) throws Exception {
    SimulatedSwarm swarm = new SimulatedSwarm(seeded.processes(), seeded.nodes());
    try (Managers m = Managers.over(store, store, store, store.pendingChanges(), store.savedStates(), swarm,
        id -> store.users().findUser(id), registry, clock)) {
      int[] changes = {0};
      Measure.Timed t = Measure.repeat(budget.withSamples(5, 200), () -> changes[0] = m.nodes().sync().size());
      return new Row(section, "node sync pass (NodeManager.sync)", seeded.nodes().size(), t.histogram(),
          t.perSecond(), "passes", String.format(Locale.ROOT,
              "%d writes a pass (each node's lastSeen moves on)", changes[0]));
    }
  }

  /**
   * The queue filled to each of {@code depths} PENDING changes (one per process, round the
   * processes; beside the finished history), then claimed and completed by {@code workers} threads
   * as the workers do, for the budget's time or until a claim finds nothing. Latency is the claim
   * (its conditional read and update); the rate counts claim + complete. What is not claimed stays
   * queued for the next depth, so give the depths in increasing order.
   */
  List<Row> claims(List<Integer> depths, int workers) throws Exception {
    Ids ids = Ids.secure(clock);
    List<Process> processes = seeded.processes();
    List<Row> rows = new ArrayList<>();
    int queued = 0;
    int submitted = 0;
    int lastDepth = 0;
    long lastClaim = 0;
    for (int depth : depths) {
      // A claim's query grows with the queue (on H2 much faster than linearly): a depth whose first
      // claim would take minutes is left out rather than stall the run.
      double guess = lastDepth == 0 ? 0 : lastClaim * Math.pow((double) depth / lastDepth, 2);
      if (guess > MAX_CLAIM.toNanos()) {
        rows.add(new Row(section, String.format(Locale.ROOT, "pending change claim + complete, %,d queued, %d workers",
            depth, workers), depth, Row.newHistogram(), Double.NaN, "", String.format(Locale.ROOT,
                "left out: at %,d queued a claim took %s (p50), growing at least with the square of the queue",
                lastDepth, Row.time(lastClaim))));
        continue;
      }
      Instant now = clock.instant();
      int add = Math.max(0, depth - queued);
      long inserting = System.nanoTime();
      for (int i = 0; i < add; i++) {
        Process p = processes.get(submitted++ % processes.size());
        store.pendingChanges().insert(PendingChange.submitted(ids.newId(), PendingChange.Kind.CONFIGURE_PROCESS,
            Optional.of(p.id()), Optional.empty(), p.userId(), 10, "{}", now.minusMillis(add - i)));
      }
      double insertsPerSecond = add * 1e9 / Math.max(1, System.nanoTime() - inserting);
      queued += add;
      analyze.run();
      Run run = claimFor(workers);
      queued -= run.claimed();
      lastDepth = depth;
      lastClaim = run.latency().getValueAtPercentile(50);
      rows.add(new Row(section, String.format(Locale.ROOT, "pending change claim + complete, %,d queued, %d workers",
          depth, workers), depth, run.latency(), run.claimed() / run.seconds(), "changes", String.format(Locale.ROOT,
              "latency is the claim; %,d claimed in %.1f s; submit %,.0f/s", run.claimed(), run.seconds(),
              insertsPerSecond)));
    }
    return rows;
  }

  /** The longest a single claim may be guessed to take before a depth is left out. */
  private static final Duration MAX_CLAIM = Duration.ofSeconds(20);

  private record Run(Histogram latency, int claimed, double seconds) {}

  private Run claimFor(int workers) throws Exception {
    AtomicInteger claimed = new AtomicInteger();
    long end = System.nanoTime() + budget.measure().toNanos();
    List<Histogram> histograms = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    Map<Integer, Exception> failures = new java.util.concurrent.ConcurrentHashMap<>();
    long started = System.nanoTime();
    for (int w = 0; w < workers; w++) {
      Histogram h = Row.newHistogram();
      histograms.add(h);
      String worker = "bench-worker-" + w;
      int index = w;
      threads.add(Thread.ofVirtual().start(() -> {
        try {
          while (System.nanoTime() < end) {
            long t = System.nanoTime();
            Optional<PendingChange> c = store.pendingChanges().claim(worker, clock.instant(), Duration.ofSeconds(10));
            if (c.isEmpty()) {
              return; // drained
            }
            h.recordValue(System.nanoTime() - t);
            store.pendingChanges().complete(c.get().id(), worker, clock.instant());
            claimed.incrementAndGet();
          }
        } catch (Exception e) {
          failures.put(index, e);
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    if (!failures.isEmpty()) {
      throw failures.values().iterator().next();
    }
    Histogram all = Row.newHistogram();
    histograms.forEach(all::add);
    return new Run(all, claimed.get(), seconds);
  }

  private Row timed(String what, long n, Measure.Op op) throws Exception {
    Measure.Timed t = Measure.repeat(budget, touch, op);
    return new Row(section, what, n, t.histogram(), t.perSecond(), "reads", "");
  }

  /** The users as the reconciler looks them up, for a store-less run. */
  static Map<String, User> usersById(Seeded s) {
    Map<String, User> out = new HashMap<>();
    s.users().forEach(u -> out.put(u.id(), u));
    out.put(s.admin().id(), s.admin());
    return out;
  }
}
