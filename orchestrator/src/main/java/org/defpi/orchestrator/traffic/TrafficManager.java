package org.defpi.orchestrator.traffic;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.connection.ConnectionManager;
import org.defpi.orchestrator.event.Event;
import org.defpi.orchestrator.process.ProcessManager;
import org.defpi.orchestrator.user.User;

/**
 * The traffic of the processes' data connections, as the processes built with our SDK report it
 * ({@code PUT /process/{id}/traffic}, every few seconds). In memory only: per process its latest
 * and its previous report, the rates between the two. Nothing here is durable or shared between
 * orchestrator instances; a process that reports to another instance is simply shown there.
 *
 * <p>Bounded: a report lists at most {@link Settings#maxConnectionsPerReport} connections, and only
 * those the orchestrator knows for the process are kept (so a process cannot fill memory with made-up
 * ids); at most {@link Settings#maxProcesses} processes are tracked, and a process silent for {@link
 * Settings#forgetAfter} is forgotten. A process or connection that goes is dropped at once ({@link
 * #processGone}, {@link #connectionGone}, fed by the orchestrator's events).
 *
 * <p>Reads ({@link #all}, {@link #ofProcess}) touch no store: the owner of each process is
 * remembered from its report, so the canvas and {@code defpi top} polling every 2 s cost a walk over
 * this map and nothing else.
 */
public final class TrafficManager {
  /** Reports per second the orchestrator is willing to take in the steady state. */
  static final int REPORTS_PER_SECOND = 500;
  static final Duration MIN_INTERVAL = Duration.ofSeconds(2);

  /** What the manager asks of the rest of the orchestrator; Wiring adapts the process and connection managers. */
  public interface Directory {
    /**
     * The user of process {@code processId} when {@code token} is its own X-Auth-Token; refused as the
     * trigger call is (401 without a token, 404 for an unknown process, 403 for another token).
     */
    String authenticate(String processId, String token) throws Refusal;

    /** Refuses (404) a process the caller may not see or that does not exist. */
    void requireVisible(String processId, User caller) throws Refusal.NotFound;

    /** The ids of the connections the orchestrator knows with an end at {@code processId}. */
    Set<String> connectionsOf(String processId);
  }

  /** The directory over the orchestrator's process and connection managers. */
  public static Directory directory(ProcessManager processes, ConnectionManager connections) {
    return new Directory() {
      @Override
      public String authenticate(String processId, String token) throws Refusal {
        return processes.authenticate(processId, token, "a traffic report").userId();
      }

      @Override
      public void requireVisible(String processId, User caller) throws Refusal.NotFound {
        processes.get(processId, caller);
      }

      @Override
      public Set<String> connectionsOf(String processId) {
        return connections.idsOf(processId);
      }
    };
  }

  /** Reads a report's body, refusing it (400 naming the field that is wrong, 415 for a body that is not JSON). */
  @FunctionalInterface
  public interface Body {
    List<ConnectionReport> read() throws Refusal;
  }

  /** Told when a connection end starts or stops being tracked (the Prometheus meters follow it). */
  public interface Listener {
    void added(String processId, String connectionId);

    void removed(String processId, String connectionId);
  }

  /**
   * @param maxConnectionsPerReport connections in one report at most (more is a 400)
   * @param maxProcesses processes tracked at most (a new one beyond is a 429)
   * @param forgetAfter a process silent this long is forgotten
   */
  public record Settings(int maxConnectionsPerReport, int maxProcesses, Duration forgetAfter) {
    public Settings {
      if (maxConnectionsPerReport < 1 || maxProcesses < 1) {
        throw new IllegalArgumentException("the bounds must be positive");
      }
      Objects.requireNonNull(forgetAfter, "forgetAfter");
    }

    public static Settings defaults() {
      return new Settings(500, 100_000, Duration.ofMinutes(10));
    }
  }

  private record Snapshot(Instant at, Map<String, ConnectionReport> connections) {}

  /** A reporting process: whose it is, what it said last and before, and the interval it was given. */
  private record Entry(String userId, Snapshot latest, Optional<Snapshot> previous, Duration interval) {}

  private final Directory directory;
  private final Clock clock;
  private final Settings settings;
  private final ConcurrentHashMap<String, Entry> byProcess = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile Instant lastSweep;

  public TrafficManager(Directory directory, Clock clock, Settings settings) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.lastSweep = clock.instant();
  }

  public void listen(Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * How long a process should wait before its next report, when {@code reportingProcesses} report:
   * 2 s, slower beyond {@value #REPORTS_PER_SECOND} reports a second. Pure.
   */
  public static Duration reportInterval(int reportingProcesses) {
    long seconds = Math.max(MIN_INTERVAL.toSeconds(),
        (reportingProcesses + REPORTS_PER_SECOND - 1L) / REPORTS_PER_SECOND);
    return Duration.ofSeconds(seconds);
  }

  /**
   * Takes a report of process {@code processId}, presented with {@code token}. Connections the
   * orchestrator does not know for the process are left out. Returns the interval to the next report.
   */
  public Duration report(String processId, String token, Body body) throws Refusal {
    // The token before the body: a caller without the right token learns nothing from a refusal of its body.
    String userId = directory.authenticate(processId, token);
    List<ConnectionReport> connections = body.read();
    if (connections.size() > settings.maxConnectionsPerReport()) {
      throw new Refusal.BadRequest("field 'connections' lists " + connections.size()
          + " connections; a report takes at most " + settings.maxConnectionsPerReport());
    }
    Map<String, ConnectionReport> kept = new LinkedHashMap<>();
    Set<String> known = directory.connectionsOf(processId);
    for (int i = 0; i < connections.size(); i++) {
      ConnectionReport c = connections.get(i);
      if (kept.containsKey(c.connectionId())) {
        throw new Refusal.BadRequest("field 'connections[" + i + "].connectionId': connection '" + c.connectionId()
            + "' is listed twice");
      }
      if (known.contains(c.connectionId())) {
        kept.put(c.connectionId(), c);
      }
    }
    Instant now = clock.instant();
    sweepIfDue(now);
    if (!byProcess.containsKey(processId) && byProcess.size() >= settings.maxProcesses()) {
      throw new Refusal.TooManyRequests("the orchestrator tracks the traffic of " + settings.maxProcesses()
          + " processes already; report again later", reportInterval(byProcess.size()));
    }
    Duration interval = reportInterval(byProcess.size() + 1);
    Snapshot snapshot = new Snapshot(now, Map.copyOf(kept));
    byProcess.compute(processId, (id, old) -> {
      Set<String> before = old == null ? Set.of() : old.latest().connections().keySet();
      notify(id, before, snapshot.connections().keySet());
      return new Entry(userId, snapshot, old == null ? Optional.empty() : Optional.of(old.latest()), interval);
    });
    return interval;
  }

  /** What process {@code processId} last reported; empty connections when it never did. */
  public ProcessTraffic ofProcess(String processId, User caller) throws Refusal.NotFound {
    directory.requireVisible(processId, caller);
    Entry entry = byProcess.get(processId);
    if (entry == null) {
      return new ProcessTraffic(processId, Optional.empty(), List.of());
    }
    Instant now = clock.instant();
    List<EndTraffic> ends = new ArrayList<>();
    new TreeMap<>(entry.latest().connections()).values().forEach(c -> ends.add(end(processId, entry, c, now)));
    return new ProcessTraffic(processId, Optional.of(entry.latest().at()), ends);
  }

  /**
   * Every connection with a report that the caller may see (an admin: all), or only those of user
   * {@code userId}; by connection id. Touches no store.
   */
  public List<ConnectionTraffic> all(User caller, Optional<String> userId) throws Refusal.Forbidden {
    if (userId.isPresent() && !caller.canSee(userId.get())) {
      throw new Refusal.Forbidden("only an admin can see the traffic of another user ('userId')");
    }
    Instant now = clock.instant();
    Map<String, List<EndTraffic>> ends = new TreeMap<>();
    Map<String, String> users = new java.util.HashMap<>();
    byProcess.forEach((processId, entry) -> {
      if (!caller.canSee(entry.userId()) || userId.isPresent() && !userId.get().equals(entry.userId())) {
        return;
      }
      for (ConnectionReport c : entry.latest().connections().values()) {
        ends.computeIfAbsent(c.connectionId(), k -> new ArrayList<>()).add(end(processId, entry, c, now));
        users.putIfAbsent(c.connectionId(), entry.userId());
      }
    });
    List<ConnectionTraffic> out = new ArrayList<>(ends.size());
    ends.forEach((id, list) -> {
      list.sort(java.util.Comparator.comparing(EndTraffic::processId));
      out.add(new ConnectionTraffic(id, users.get(id), list));
    });
    return out;
  }

  /** The latest counts of one end, if tracked (for the meters). */
  public Optional<Counters> counters(String processId, String connectionId) {
    Entry entry = byProcess.get(processId);
    ConnectionReport c = entry == null ? null : entry.latest().connections().get(connectionId);
    return c == null ? Optional.empty() : Optional.of(c.counters());
  }

  /** Every tracked end, as (process id, connection id) pairs (for the meters). */
  public List<Map.Entry<String, String>> ends() {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    byProcess.forEach((p, e) -> e.latest().connections().keySet().forEach(c -> out.add(Map.entry(p, c))));
    return out;
  }

  /** How many processes have reported and are still tracked. */
  public int reportingProcesses() {
    return byProcess.size();
  }

  /** Follows the orchestrator's events: a removed process or connection is forgotten at once. */
  public void follow(Event event) {
    if (event.action() != Event.Action.REMOVED) {
      return;
    }
    switch (event.subject()) {
      case PROCESS -> processGone(event.id());
      case CONNECTION -> connectionGone(event.id());
      case PENDING_CHANGE -> { }
    }
  }

  /** The process was deleted: forget it. */
  public void processGone(String processId) {
    byProcess.computeIfPresent(processId, (id, old) -> {
      notify(id, old.latest().connections().keySet(), Set.of());
      return null;
    });
  }

  /** The connection was deleted: forget it at both ends. */
  public void connectionGone(String connectionId) {
    for (String processId : List.copyOf(byProcess.keySet())) {
      byProcess.computeIfPresent(processId, (id, old) -> {
        if (!old.latest().connections().containsKey(connectionId)) {
          return old;
        }
        notify(id, Set.of(connectionId), Set.of());
        return new Entry(old.userId(), without(old.latest(), connectionId),
            old.previous().map(s -> without(s, connectionId)), old.interval());
      });
    }
  }

  private EndTraffic end(String processId, Entry entry, ConnectionReport c, Instant now) {
    Rates rates = Rates.ZERO;
    // A process that stopped reporting (it died, or was cut off) does not keep its last rates for ever.
    boolean fresh = Duration.between(entry.latest().at(), now).compareTo(staleAfter(entry.interval())) <= 0;
    Optional<ConnectionReport> before = entry.previous().map(s -> s.connections().get(c.connectionId()));
    if (fresh && before.isPresent()) {
      rates = Rates.between(before.get().counters(), c.counters(),
          Duration.between(entry.previous().orElseThrow().at(), entry.latest().at()));
    }
    return new EndTraffic(processId, c.connectionId(), c.state(), c.counters(), rates, entry.latest().at());
  }

  /** A report is late when two intervals and some slack passed without the next. */
  static Duration staleAfter(Duration interval) {
    return interval.multipliedBy(2).plusSeconds(3);
  }

  private void sweepIfDue(Instant now) {
    Instant last = lastSweep;
    if (Duration.between(last, now).compareTo(Duration.ofSeconds(30)) < 0) {
      return;
    }
    lastSweep = now;
    for (String processId : List.copyOf(byProcess.keySet())) {
      byProcess.computeIfPresent(processId, (id, old) -> {
        Duration forget = max(settings.forgetAfter(), old.interval().multipliedBy(10));
        if (Duration.between(old.latest().at(), now).compareTo(forget) <= 0) {
          return old;
        }
        notify(id, old.latest().connections().keySet(), Set.of());
        return null;
      });
    }
  }

  private void notify(String processId, Set<String> before, Set<String> after) {
    if (listeners.isEmpty()) {
      return;
    }
    Set<String> gone = new HashSet<>(before);
    gone.removeAll(after);
    Set<String> added = new HashSet<>(after);
    added.removeAll(before);
    for (Listener l : listeners) {
      gone.forEach(c -> l.removed(processId, c));
      added.forEach(c -> l.added(processId, c));
    }
  }

  private static Snapshot without(Snapshot s, String connectionId) {
    Map<String, ConnectionReport> rest = new LinkedHashMap<>(s.connections());
    rest.remove(connectionId);
    return new Snapshot(s.at(), Map.copyOf(rest));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
