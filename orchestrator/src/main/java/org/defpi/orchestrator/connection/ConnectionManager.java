package org.defpi.orchestrator.connection;

import com.google.protobuf.Message;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.defpi.orchestrator.Ids;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.pendingchange.ChangeHandler;
import org.defpi.orchestrator.pendingchange.PendingChange;
import org.defpi.orchestrator.pendingchange.PendingChange.Kind;
import org.defpi.orchestrator.pendingchange.PendingChanges;
import org.defpi.orchestrator.pendingchange.Workers;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.process.ProcessConnections;
import org.defpi.orchestrator.process.ProcessState;
import org.defpi.orchestrator.process.ProcessStore;
import org.defpi.orchestrator.process.Processes;
import org.defpi.orchestrator.process.Processes.ManagementException;
import org.defpi.orchestrator.user.User;
import org.defpi.wire.label.InterfaceLabel;
import org.defpi.wire.protocol.ConnectionProto;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage;
import org.defpi.wire.protocol.ProcessProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, removes, suspends and resumes connections and tells their processes (WIRE.md section
 * 7). Decisions are made by {@link ConnectionPlanner}; this class records them and sends the
 * ConnectionMessages.
 *
 * <p>Every action a request asks for is a pending change, as for processes: {@code POST
 * /connection} plans and stores the connection at once (a refusal is immediate), then a
 * CREATE_CONNECTION change tells its ends; {@code DELETE} is a DELETE_CONNECTION change. The
 * request waits for its change a while. The changes of one connection run one at a time, in order,
 * and each handler is idempotent (CREATE on a known id answers CONNECTED, WIRE.md section 6).
 *
 * <p>There is one way to tell an end about its connection, {@link #tell}: the CREATE handler,
 * {@link #restore} and {@link #autoConnect} (which run inside a process's CONFIGURE change) and
 * {@link #resumeAll} all use it. A process that is not RUNNING gets its CREATE when it is ({@link
 * #restore}).
 */
public final class ConnectionManager implements ProcessConnections {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionManager.class);

  /** A request for a connection between two process interfaces. */
  /** @param versions the interface versions the caller chose; empty: the best compatible pair */
  public record NewConnection(String processId1, String interfaceId1, String processId2, String interfaceId2,
      Optional<ConnectionPlanner.VersionChoice> versions) {
    public NewConnection {
      Objects.requireNonNull(processId1, "processId1");
      Objects.requireNonNull(interfaceId1, "interfaceId1");
      Objects.requireNonNull(processId2, "processId2");
      Objects.requireNonNull(interfaceId2, "interfaceId2");
      Objects.requireNonNull(versions, "versions");
    }

    public NewConnection(String processId1, String interfaceId1, String processId2, String interfaceId2) {
      this(processId1, interfaceId1, processId2, interfaceId2, Optional.empty());
    }
  }

  /**
   * How the manager talks to processes and how long a request waits.
   *
   * @param callBudget the most one ConnectionMessage to one process may take
   * @param requestWait how long a request waits for its pending change before it answers with what
   *     there is
   */
  public record Settings(Duration callBudget, Duration requestWait) {
    public Settings {
      Objects.requireNonNull(callBudget, "callBudget");
      Objects.requireNonNull(requestWait, "requestWait");
    }

    /** With the default wait of a request for its change: 30 s, as for processes. */
    public Settings(Duration callBudget) {
      this(callBudget, Duration.ofSeconds(30));
    }
  }

  /** Some end of a connection could not be reached: the change is tried again after a back-off. */
  static final class Unreachable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreachable(String message) {
      super(message);
    }
  }

  private final ProcessStore processStore;
  private final ConnectionStore store;
  private final Processes processes;
  private final PendingChanges changes;
  private final Workers workers;
  private final Ids ids;
  private final Clock clock;
  private final RandomGenerator random;
  private final Settings settings;
  // Planning reads the connections of both processes and inserts the new one: one plan at a time,
  // so two concurrent requests cannot both take the last slot of an interface or the same port.
  private final Object planLock = new Object();
  // Looking for a DELETE already queued and queueing one: so two DELETEs of one connection share a change.
  private final Object deleteLock = new Object();

  public ConnectionManager(ProcessStore processStore, ConnectionStore store, Processes processes,
      PendingChanges changes, Workers workers, Ids ids, Clock clock, RandomGenerator random, Settings settings) {
    this.processStore = Objects.requireNonNull(processStore, "processStore");
    this.store = Objects.requireNonNull(store, "store");
    this.processes = Objects.requireNonNull(processes, "processes");
    this.changes = Objects.requireNonNull(changes, "changes");
    this.workers = Objects.requireNonNull(workers, "workers");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** What carries out each kind of change on a connection; Wiring registers them with the workers. */
  public Map<Kind, ChangeHandler> handlers() {
    return Map.of(
        Kind.CREATE_CONNECTION, new ChangeHandler() {
          @Override
          public void run(PendingChange change) throws Exception {
            announce(change.connectionId().orElseThrow());
          }

          @Override
          public void failedForGood(PendingChange change, String reason) {
            untold(change.connectionId().orElseThrow(), reason);
          }
        },
        Kind.DELETE_CONNECTION, change -> remove(change.connectionId().orElseThrow()));
  }

  /**
   * Plans and records a connection (a refusal is immediate), queues the CREATE_CONNECTION change
   * that tells its ends, and waits a while for it. Returns the connection as it is then: ACTIVE,
   * STARTING (an end is not RUNNING, or the change is still trying), or FAILED with the reason.
   */
  public Owned create(NewConnection request, User caller) throws Refusal, InterruptedException {
    Process process1 = visible(existing(request.processId1()), caller);
    Process process2 = visible(existing(request.processId2()), caller);
    if (!process1.userId().equals(process2.userId())) {
      throw new Refusal.Unprocessable("process " + process1.id() + " and process " + process2.id()
          + " belong to different users; each user's processes are connected only among themselves");
    }
    Connection connection = plan(process1, request.interfaceId1(), process2, request.interfaceId2(),
        request.versions());
    PendingChange change = changes.submit(Kind.CREATE_CONNECTION, Optional.empty(), Optional.of(connection.id()),
        process1.userId(), "{}");
    workers.await(change.id(), settings.requestWait());
    return new Owned(store.findConnection(connection.id()).orElse(connection), process1.userId());
  }

  /**
   * CREATE_CONNECTION: CREATE to each end that runs, the server first, each outcome recorded.
   * Idempotent: an end told twice answers CONNECTED again. Nothing to do for a connection that is
   * gone, suspended, or about to be deleted.
   *
   * @throws Unreachable when an end could not be reached: tried again after a back-off
   */
  void announce(String connectionId) throws Unreachable, InterruptedException {
    Optional<Connection> found = store.findConnection(connectionId);
    if (found.isEmpty()) {
      return; // deleted meanwhile
    }
    Connection connection = found.get();
    if (connection.suspended()) {
      return; // resumeAll tells its ends when the moved process runs again
    }
    if (changes.unfinishedOfConnection(connectionId).stream().anyMatch(c -> c.kind() == Kind.DELETE_CONNECTION)) {
      return; // a DELETE waits behind this change: it should not wait out our retries
    }
    Optional<Process> process1 = processStore.findProcess(connection.endpoint1().processId());
    Optional<Process> process2 = processStore.findProcess(connection.endpoint2().processId());
    if (process1.isEmpty() || process2.isEmpty()) {
      return; // an end is being removed: its dropAll deletes the connection
    }
    List<String> unreachable = tellBoth(connection, process1.get(), process2.get());
    if (!unreachable.isEmpty()) {
      throw new Unreachable(String.join("; ", unreachable));
    }
  }

  /**
   * A CREATE_CONNECTION change used up its attempts: the ends it could not reach (RUNNING, yet
   * neither told nor refusing) are FAILED with the last reason, so the connection says why.
   */
  private void untold(String connectionId, String reason) {
    Optional<Connection> found = store.findConnection(connectionId);
    if (found.isEmpty() || found.get().suspended()) {
      return;
    }
    Connection connection = found.get();
    for (int side = 1; side <= 2; side++) {
      Endpoint end = connection.endpoint(side);
      boolean running = processStore.findProcess(end.processId()).map(p -> p.state() == ProcessState.RUNNING)
          .orElse(false);
      if (running && !end.created() && end.failure().isEmpty()) {
        store.updateEndpoint(connectionId, side, false, false, Optional.of(reason));
      }
    }
  }

  /**
   * autoConnect (WIRE.md, service.json): connects each autoConnect interface of a process that was
   * just configured to every compatible autoConnect interface of its user's other processes, as
   * far as cardinality allows and where no connection exists yet. What does not fit is skipped.
   */
  @Override
  public int autoConnect(Process process) throws InterruptedException {
    return autoConnected(process).size();
  }

  /**
   * {@link #autoConnect}, with the connections it made. It runs in the process's CONFIGURE change,
   * so it tells the ends itself; an end it cannot reach is left to a CREATE_CONNECTION change.
   */
  public List<Connection> autoConnected(Process process) throws InterruptedException {
    List<Connection> made = new ArrayList<>();
    if (process.interfaces().stream().noneMatch(InterfaceLabel::autoConnect)) {
      return made;
    }
    List<Process> peers = processStore.listProcesses().stream()
        .filter(p -> !p.id().equals(process.id()) && p.userId().equals(process.userId()))
        .filter(p -> p.state() != ProcessState.TERMINATED)
        .toList();
    for (InterfaceLabel mine : process.interfaces()) {
      if (!mine.autoConnect()) {
        continue;
      }
      for (Process peer : peers) {
        for (InterfaceLabel theirs : peer.interfaces()) {
          if (!theirs.autoConnect()) {
            continue;
          }
          Connection connection;
          try {
            connection = plan(process, mine.id(), peer, theirs.id(), Optional.empty());
          } catch (Refusal r) {
            LOG.debug("autoConnect: not {} of {} to {} of {}: {}", mine.id(), process.id(), theirs.id(), peer.id(),
                r.getMessage());
            continue;
          }
          if (!tellBoth(connection, process, peer).isEmpty()) {
            retryLater(connection.id(), process.userId());
          }
          made.add(store.findConnection(connection.id()).orElse(connection));
        }
      }
    }
    return made;
  }

  /** Plans a connection and records it (both ends STARTING); refuses what the planner refuses. */
  private Connection plan(Process process1, String interfaceId1, Process process2, String interfaceId2,
      Optional<ConnectionPlanner.VersionChoice> versions) throws Refusal {
    Connection connection;
    synchronized (planLock) {
      List<Connection> existing = new ArrayList<>(store.connectionsOf(process1.id()));
      store.connectionsOf(process2.id()).stream().filter(c -> !c.touches(process1.id())).forEach(existing::add);
      ConnectionPlanner.Plan plan = ConnectionPlanner.plan(process1, interfaceId1, process2, interfaceId2, versions,
          existing, random.nextInt(ConnectionPlanner.MIN_PORT, ConnectionPlanner.MAX_PORT + 1));
      connection = new Connection(ids.newId(), plan.endpoint1(), plan.endpoint2(), plan.listenPort(), now());
      store.insert(connection);
    }
    LOG.info("created connection {} between {} of {} and {} of {} on port {}", connection.id(),
        connection.endpoint1().interfaceId(), process1.id(), connection.endpoint2().interfaceId(), process2.id(),
        connection.listenPort());
    return connection;
  }

  /**
   * Tells both ends, the server first so the client usually finds it listening (it retries anyway).
   * Returns why the ends that could not be reached were not told; empty when all were.
   */
  private List<String> tellBoth(Connection connection, Process a, Process b) throws InterruptedException {
    List<String> unreachable = new ArrayList<>();
    for (int side : serverFirst(connection)) {
      tellEnd(connection, side, process(connection, side, a, b), process(connection, 3 - side, a, b))
          .ifPresent(unreachable::add);
    }
    return unreachable;
  }

  /** The sides of a connection, the listening one (the smaller process id) first. */
  private static int[] serverFirst(Connection c) {
    int server = ConnectionPlanner.isClient(c.endpoint1().processId(), c.endpoint2().processId()) ? 2 : 1;
    return new int[] {server, 3 - server};
  }

  private static Process process(Connection c, int side, Process a, Process b) {
    return c.endpoint(side).processId().equals(a.id()) ? a : b;
  }

  /**
   * A connection with the user of its processes (both ends are one user's), as the API shows it.
   *
   * @param userId the user of its processes
   */
  public record Owned(Connection connection, String userId) {
    public Owned {
      Objects.requireNonNull(connection, "connection");
      Objects.requireNonNull(userId, "userId");
    }
  }

  /**
   * The caller's connections (those between their processes; all for an admin), oldest first, each
   * with its user, from one read of the processes. A connection whose processes are both gone is
   * nobody's and not listed (a process's teardown deletes its connections before its record).
   */
  public List<Owned> list(User caller) {
    Map<String, String> userOf = new HashMap<>();
    processStore.listProcesses().forEach(p -> userOf.put(p.id(), p.userId()));
    List<Owned> seen = new ArrayList<>();
    for (Connection c : store.listConnections()) {
      String user = userOf.getOrDefault(c.endpoint1().processId(), userOf.get(c.endpoint2().processId()));
      if (user != null && caller.canSee(user)) {
        seen.add(new Owned(c, user));
      }
    }
    return seen;
  }

  /** The ids of the connections with an end at {@code processId}: one read of the store. */
  public Set<String> idsOf(String processId) {
    Set<String> ids = new HashSet<>();
    store.connectionsOf(processId).forEach(c -> ids.add(c.id()));
    return ids;
  }

  /** A connection the caller may see, with its user; another user's (or nobody's) is "not found". */
  public Owned get(String id, User caller) throws Refusal.NotFound {
    return store.findConnection(id).flatMap(c -> owner(c).filter(caller::canSee).map(user -> new Owned(c, user)))
        .orElseThrow(() -> new Refusal.NotFound("connection '" + id + "' does not exist"));
  }

  /**
   * Removes a connection: drops the changes still waiting on it and queues a DELETE_CONNECTION
   * change (or joins one already queued), then waits a while for it. Returns the change when it is
   * not done yet (the API answers 202 with it), empty when the connection is gone.
   */
  public Optional<PendingChange> delete(String id, User caller) throws Refusal.NotFound, InterruptedException {
    Owned connection = get(id, caller);
    PendingChange change;
    synchronized (deleteLock) {
      Optional<PendingChange> queued = changes.unfinishedOfConnection(id).stream()
          .filter(c -> c.kind() == Kind.DELETE_CONNECTION).findFirst();
      if (queued.isPresent()) {
        change = queued.get();
      } else {
        changes.cancelPendingOfConnection(id);
        change = changes.submit(Kind.DELETE_CONNECTION, Optional.empty(), Optional.of(id), connection.userId(), "{}");
      }
    }
    PendingChange settled = workers.await(change.id(), settings.requestWait());
    return settled.state() == PendingChange.State.DONE ? Optional.empty() : Optional.of(settled);
  }

  /** Both ends belong to one user: the owner of whichever end's process still exists. */
  private Optional<String> owner(Connection c) {
    return processStore.findProcess(c.endpoint1().processId())
        .or(() -> processStore.findProcess(c.endpoint2().processId()))
        .map(Process::userId);
  }

  /** DELETE_CONNECTION: TERMINATE to both ends that run (best effort), then the record. Idempotent. */
  void remove(String id) throws InterruptedException {
    Optional<Connection> found = store.findConnection(id);
    if (found.isEmpty()) {
      return;
    }
    Connection connection = found.get();
    for (int side = 1; side <= 2; side++) {
      Optional<Process> process = processStore.findProcess(connection.endpoint(side).processId());
      if (process.isPresent()) {
        sendBestEffort(connection, process.get(), ConnectionMessage.ModeType.TERMINATE);
      }
    }
    store.deleteConnection(id);
    LOG.info("deleted connection {}", id);
  }

  /**
   * The process reached RUNNING (again): CREATE for each of its connections. A suspended one is
   * left to {@link #resumeAll}, its end marked untold (a new container knows nothing of it, so it
   * gets a full CREATE, not a RESUME). An end that cannot be reached is left to a
   * CREATE_CONNECTION change, which tries again with back-off.
   *
   * <p>A new container may hold a certificate where the old one held none, or the other way round
   * (another SDK, another version): the other end, told the old {@code tls}, then gets a RESUME
   * with the new one, the listening end first, so both ends speak alike again.
   */
  @Override
  public void restore(Process process) throws InterruptedException {
    for (Connection connection : store.connectionsOf(process.id())) {
      int side = connection.sideOf(process.id());
      Optional<Process> other = processStore.findProcess(connection.endpoint(3 - side).processId());
      if (other.isEmpty()) {
        continue; // being removed: its dropAll deletes this connection
      }
      if (connection.suspended()) {
        store.updateEndpoint(connection.id(), side, false, false, Optional.empty());
        continue;
      }
      boolean retell = toldOtherwise(connection.endpoint(3 - side), tls(process, other.get()));
      boolean missed = false;
      for (int s : serverFirst(connection)) {
        if (s == side) {
          missed |= tell(connection, side, process, other.get()).isPresent();
        } else if (retell) {
          missed |= tellResume(connection, s, other.get(), process).isPresent();
        }
      }
      if (missed) {
        retryLater(connection.id(), process.userId());
      }
    }
  }

  @Override
  public void dropAll(Process process) throws InterruptedException {
    for (Connection connection : store.connectionsOf(process.id())) {
      int side = connection.sideOf(process.id());
      Optional<Process> other = processStore.findProcess(connection.endpoint(3 - side).processId());
      if (other.isPresent()) {
        sendBestEffort(connection, other.get(), ConnectionMessage.ModeType.TERMINATE);
      }
      store.deleteConnection(connection.id());
    }
  }

  @Override
  public List<String> brokenBy(Process process, List<InterfaceLabel> interfaces) {
    List<String> broken = new ArrayList<>();
    for (Connection connection : store.connectionsOf(process.id())) {
      Endpoint mine = connection.endpoint(connection.sideOf(process.id()));
      boolean kept = interfaces.stream().filter(i -> i.id().equals(mine.interfaceId()))
          .flatMap(i -> i.interfaceVersions().stream())
          .anyMatch(v -> v.versionName().equals(mine.versionName()) && v.receivesHash().equals(mine.receivesHash())
              && v.sendsHash().equals(mine.sendsHash()));
      if (!kept) {
        broken.add("connection " + connection.id() + " uses interface " + mine.interfaceId() + " version "
            + mine.versionName() + ", which it does not offer");
      }
    }
    return broken;
  }

  /**
   * Pauses every connection of a process that is about to move: each is recorded SUSPENDED first
   * (so a CREATE change or a restore meanwhile leaves it to {@link #resumeAll}), then both ends
   * that run get SUSPEND. Best effort, like TERMINATE: the move must go on whatever an end says,
   * and an end that missed its SUSPEND merely sees its peer go away until the RESUME.
   */
  @Override
  public void suspendAll(Process process) throws InterruptedException {
    for (Connection connection : store.connectionsOf(process.id())) {
      if (!store.updateSuspended(connection.id(), true)) {
        continue; // deleted meanwhile
      }
      int side = connection.sideOf(process.id());
      Optional<Process> other = processStore.findProcess(connection.endpoint(3 - side).processId());
      if (other.isPresent()) {
        sendBestEffort(connection, other.get(), ConnectionMessage.ModeType.SUSPEND);
      }
      sendBestEffort(connection, process, ConnectionMessage.ModeType.SUSPEND);
      LOG.info("suspended connection {} for process {}", connection.id(), process.id());
    }
  }

  /**
   * Resumes the suspended connections of a process that runs again (perhaps in a new container on
   * another node, perhaps a newer version of its service): the moved end gets a full CREATE (a new
   * container knows nothing), the other end RESUME with where to find it ({@link #resumeMessage}),
   * or a full CREATE too when it is untold (it restarted meanwhile); the server first. A connection
   * whose ends were all reached is no longer suspended; its outcomes are recorded as for CREATE.
   * Calling it again resumes what is still suspended.
   *
   * @throws ManagementException when an end could not be reached: its connections stay SUSPENDED,
   *     and the caller should try again later
   */
  @Override
  public void resumeAll(Process process) throws ManagementException, InterruptedException {
    List<String> unreachable = new ArrayList<>();
    for (Connection connection : store.connectionsOf(process.id())) {
      if (!connection.suspended()) {
        continue;
      }
      int movedSide = connection.sideOf(process.id());
      Optional<Process> other = processStore.findProcess(connection.endpoint(3 - movedSide).processId());
      if (other.isEmpty()) {
        continue; // being removed: its dropAll deletes this connection
      }
      List<String> missed = resume(connection, movedSide, process, other.get());
      if (missed.isEmpty()) {
        store.updateSuspended(connection.id(), false);
        LOG.info("resumed connection {} for process {}", connection.id(), process.id());
      } else {
        unreachable.addAll(missed);
      }
    }
    if (!unreachable.isEmpty()) {
      throw new ManagementException("connections of process " + process.id() + " stay suspended: "
          + String.join("; ", unreachable));
    }
  }

  /** Tells both ends of one suspended connection; returns why the ends that could not be reached were not. */
  private List<String> resume(Connection connection, int movedSide, Process moved, Process other)
      throws InterruptedException {
    Optional<String> unfit = unfit(connection.endpoint(movedSide), moved);
    if (unfit.isPresent()) {
      // nothing to send that it could take: FAILED once resumed, and the user decides (DELETE)
      LOG.warn("connection {}: {}", connection.id(), unfit.get());
      store.updateEndpoint(connection.id(), movedSide, false, false, unfit);
      return List.of();
    }
    List<String> unreachable = new ArrayList<>();
    for (int side : serverFirst(connection)) {
      Optional<String> missed;
      if (side == movedSide) {
        missed = tell(connection, side, moved, other);
      } else if (connection.endpoint(side).created()) {
        missed = tellResume(connection, side, other, moved);
      } else {
        missed = tell(connection, side, other, moved);
      }
      missed.ifPresent(unreachable::add);
    }
    return unreachable;
  }

  /**
   * Why the moved process cannot take its end any more: its (possibly newer) service version no
   * longer has the interface version the connection was made with.
   */
  private static Optional<String> unfit(Endpoint end, Process moved) {
    boolean fits = moved.findInterface(end.interfaceId()).stream()
        .flatMap(i -> i.interfaceVersions().stream())
        .anyMatch(v -> v.receivesHash().equals(end.receivesHash()) && v.sendsHash().equals(end.sendsHash()));
    return fits ? Optional.empty() : Optional.of("process " + moved.id() + " (" + moved.serviceId() + " "
        + moved.version() + ") no longer has version " + end.versionName() + " of interface " + end.interfaceId());
  }

  /**
   * The one way an end is told of its connection: CREATE to the end on {@code side} if its process
   * runs, and the outcome recorded. A process that answers with a handshake has it; one that
   * answers ErrorMessage refused it, which is recorded as the end's failure (FAILED with the
   * reason): it said no, and would say so again. An end that cannot be reached is only not told
   * (left STARTING): that may pass, so the reason is returned for the caller to try again later.
   * An end whose process does not run is left STARTING: its configuration calls {@link #restore}.
   *
   * @return why the end could not be reached; empty when it answered or does not run
   */
  private Optional<String> tell(Connection connection, int side, Process self, Process other)
      throws InterruptedException {
    if (self.state() != ProcessState.RUNNING) {
      store.updateEndpoint(connection.id(), side, false, false, Optional.empty());
      return Optional.empty();
    }
    return send(connection, side, self, createMessage(connection, side, self, other), "CREATE");
  }

  /**
   * {@link #tell}, except that an end that has the connection but was told another {@code tls} than
   * the two processes call for now gets a RESUME with the right one (a CREATE of a known id changes
   * nothing): one of them triggered again with, or without, a certificate.
   */
  private Optional<String> tellEnd(Connection connection, int side, Process self, Process other)
      throws InterruptedException {
    if (self.state() == ProcessState.RUNNING && toldOtherwise(connection.endpoint(side), tls(self, other))) {
      return tellResume(connection, side, self, other);
    }
    return tell(connection, side, self, other);
  }

  /** An end that has the connection, told another {@code tls} than {@code wanted}. */
  private static boolean toldOtherwise(Endpoint end, boolean wanted) {
    return end.created() && end.tls() != wanted;
  }

  /**
   * Whether a connection between these two runs in TLS: only when both processes' last triggers
   * said they hold a certificate (docs/wire-additions.md, "TLS", 4). Else plain TCP, as WIRE.md.
   */
  static boolean tls(Process a, Process b) {
    return a.tls() && b.tls();
  }

  /** RESUME to the end on {@code side} that kept the connection while {@code moved} moved; as {@link #tell}. */
  private Optional<String> tellResume(Connection connection, int side, Process self, Process moved)
      throws InterruptedException {
    if (self.state() != ProcessState.RUNNING) {
      store.updateEndpoint(connection.id(), side, false, false, Optional.empty()); // gets a CREATE when it runs
      return Optional.empty();
    }
    return send(connection, side, self, resumeMessage(connection, self, moved), "RESUME");
  }

  /** Sends {@code message} to a running end and records its answer; returns why it could not be reached. */
  private Optional<String> send(Connection connection, int side, Process self, ConnectionMessage message, String what)
      throws InterruptedException {
    Message reply;
    try {
      reply = processes.call(self.id(), Processes.Transport.of(self), message, settings.callBudget());
    } catch (ManagementException e) {
      String why = "cannot tell process " + self.id() + " about connection " + connection.id() + ": " + e.getMessage();
      LOG.info("connection {}: {}", connection.id(), why);
      if (message.getMode() == ConnectionMessage.ModeType.CREATE) {
        store.updateEndpoint(connection.id(), side, false, false, Optional.empty());
      } // a missed RESUME leaves the end as it was, so the next try sends RESUME again
      return Optional.of(why);
    }
    Optional<String> failure = switch (reply) {
      case ConnectionProto.ConnectionHandshake handshake -> Optional.empty();
      case ProcessProto.ErrorMessage error -> Optional.of("process " + self.id() + " refused " + what
          + " of the connection: " + error.getDebugInformation());
      default -> Optional.of("process " + self.id() + " answered " + what + " with an unexpected "
          + reply.getDescriptorForType().getName());
    };
    failure.ifPresent(f -> LOG.warn("connection {}: {}", connection.id(), f));
    store.updateEndpoint(connection.id(), side, failure.isEmpty(), failure.isEmpty() && message.getTls(), failure);
    return Optional.empty();
  }

  /**
   * An end could not be told outside a CREATE_CONNECTION change (in a restore or autoConnect): a
   * change tries again with back-off. One waiting is enough.
   */
  /**
   * The connections' part of reconciliation: a STARTING connection (not suspended) whose processes
   * both run and that has nothing queued gets a CREATE change. That is one stored by a request whose
   * orchestrator died before it queued the change, or one whose ends were told while not running
   * and missed their restore. Returns the connections it queued a change for.
   */
  public List<String> reconcile() {
    List<String> queued = new ArrayList<>();
    for (Connection connection : store.listConnections()) {
      if (connection.suspended() || connection.state() != ConnectionState.STARTING
          || !changes.unfinishedOfConnection(connection.id()).isEmpty()) {
        continue;
      }
      Optional<Process> one = processStore.findProcess(connection.endpoint1().processId());
      Optional<Process> two = processStore.findProcess(connection.endpoint2().processId());
      if (one.isPresent() && two.isPresent() && one.get().state() == ProcessState.RUNNING
          && two.get().state() == ProcessState.RUNNING) {
        LOG.info("reconcile: connection {} is STARTING between two RUNNING processes with nothing queued",
            connection.id());
        changes.submit(Kind.CREATE_CONNECTION, Optional.empty(), Optional.of(connection.id()), one.get().userId(), "{}");
        queued.add(connection.id());
      }
    }
    return queued;
  }

  private void retryLater(String connectionId, String userId) {
    boolean waiting = changes.unfinishedOfConnection(connectionId).stream()
        .anyMatch(c -> c.kind() == Kind.CREATE_CONNECTION && c.state() == PendingChange.State.PENDING);
    if (!waiting) {
      changes.submit(Kind.CREATE_CONNECTION, Optional.empty(), Optional.of(connectionId), userId, "{}");
    }
  }

  /** TERMINATE or SUSPEND to a running end, best effort: what it answers is only logged. */
  private void sendBestEffort(Connection connection, Process process, ConnectionMessage.ModeType mode)
      throws InterruptedException {
    if (process.state() != ProcessState.RUNNING) {
      return;
    }
    ConnectionMessage message = ConnectionMessage.newBuilder().setMode(mode).setConnectionId(connection.id()).build();
    try {
      Message reply = processes.call(process.id(), Processes.Transport.of(process), message, settings.callBudget());
      if (reply instanceof ProcessProto.ErrorMessage error) {
        LOG.info("process {} refused {} of connection {}: {}", process.id(), mode, connection.id(),
            error.getDebugInformation());
      }
    } catch (ManagementException e) {
      // Best effort: a process that missed a TERMINATE sees its peer go away; one that missed a
      // SUSPEND sees it go away until the RESUME.
      LOG.info("process {} did not get {} of connection {}: {}", process.id(), mode, connection.id(),
          e.getMessage());
    }
  }

  /**
   * The RESUME for the end {@code self} that kept the connection while {@code moved} moved (or
   * triggered again): where to reconnect, by the rule of CREATE ({@link #createMessage}): the moved
   * process's id (its DNS name, the same after the move) when {@code self} is the client, "" when it
   * listens; and {@code tls} as for CREATE (with the moved process's id as {@code remoteProcessId}).
   */
  static ConnectionMessage resumeMessage(Connection connection, Process self, Process moved) {
    ConnectionMessage.Builder message = ConnectionMessage.newBuilder()
        .setMode(ConnectionMessage.ModeType.RESUME)
        .setConnectionId(connection.id())
        .setTargetAddress(ConnectionPlanner.isClient(self.id(), moved.id()) ? moved.id() : "")
        .setListenPort(connection.listenPort());
    return withTls(message, self, moved).build();
  }

  /**
   * Field 11 {@code tls = true} when both ends hold a certificate; otherwise left out, so a process of
   * the original SDK never sees it (docs/wire-additions.md, "TLS", 4).
   */
  private static ConnectionMessage.Builder withTls(ConnectionMessage.Builder message, Process self, Process other) {
    // With tls, remoteProcessId too, RESUME included: it is the name the end checks the peer's certificate by.
    return tls(self, other) ? message.setTls(true).setRemoteProcessId(other.id()) : message;
  }

  /** The CREATE for the end on {@code side}, run by {@code self}, whose peer is {@code other} (WIRE.md section 7). */
  static ConnectionMessage createMessage(Connection connection, int side, Process self, Process other) {
    Endpoint mine = connection.endpoint(side);
    Endpoint theirs = connection.endpoint(3 - side);
    return withTls(ConnectionMessage.newBuilder()
        .setMode(ConnectionMessage.ModeType.CREATE)
        .setConnectionId(connection.id())
        .setTargetAddress(ConnectionPlanner.isClient(self.id(), other.id()) ? other.id() : "")
        .setListenPort(connection.listenPort())
        .setReceiveHash(mine.receivesHash())
        .setSendHash(mine.sendsHash())
        .setRemoteInterfaceId(theirs.interfaceId())
        .setRemoteProcessId(other.id())
        .setRemoteServiceId(other.serviceId())
        .setRemoteProcessName(other.name()), self, other)
        .build();
  }

  private Process existing(String processId) throws Refusal.Unprocessable {
    return processStore.findProcess(processId).orElseThrow(() ->
        new Refusal.Unprocessable("process '" + processId + "' does not exist"));
  }

  /** Another user's process reads as missing, the same words as one that does not exist. */
  private static Process visible(Process process, User caller) throws Refusal.Unprocessable {
    if (!caller.canSee(process.userId())) {
      throw new Refusal.Unprocessable("process '" + process.id() + "' does not exist");
    }
    return process;
  }

  /** Now, to the microsecond the store keeps, so a record reads back as it was made. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
