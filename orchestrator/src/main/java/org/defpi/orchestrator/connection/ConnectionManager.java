package org.defpi.orchestrator.connection;

import com.google.protobuf.Message;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.defpi.orchestrator.Ids;
import org.defpi.orchestrator.Refusal;
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
 * Creates and removes connections and tells their processes (WIRE.md section 7). Decisions are made
 * by {@link ConnectionPlanner}; this class records them and sends the ConnectionMessages. A process
 * that is not RUNNING gets its CREATE when it is (see {@link #restore}).
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

  private final ProcessStore processStore;
  private final ConnectionStore store;
  private final Processes processes;
  private final Ids ids;
  private final Clock clock;
  private final RandomGenerator random;
  private final Duration callBudget;
  // Planning reads the connections of both processes and inserts the new one: one plan at a time,
  // so two concurrent requests cannot both take the last slot of an interface or the same port.
  private final Object planLock = new Object();

  public ConnectionManager(ProcessStore processStore, ConnectionStore store, Processes processes, Ids ids, Clock clock,
      RandomGenerator random, Duration callBudget) {
    this.processStore = Objects.requireNonNull(processStore, "processStore");
    this.store = Objects.requireNonNull(store, "store");
    this.processes = Objects.requireNonNull(processes, "processes");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.callBudget = Objects.requireNonNull(callBudget, "callBudget");
  }

  /** Plans, records and announces a connection; returns it with the outcome of the CREATEs. */
  public Connection create(NewConnection request, User caller) throws Refusal, InterruptedException {
    Process process1 = visible(existing(request.processId1()), caller);
    Process process2 = visible(existing(request.processId2()), caller);
    if (!process1.userId().equals(process2.userId())) {
      throw new Refusal.Unprocessable("process " + process1.id() + " and process " + process2.id()
          + " belong to different users; each user's processes are connected only among themselves");
    }
    return connect(process1, request.interfaceId1(), process2, request.interfaceId2(), request.versions());
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

  /** {@link #autoConnect}, with the connections it made. */
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
          try {
            made.add(connect(process, mine.id(), peer, theirs.id(), Optional.empty()));
          } catch (Refusal r) {
            LOG.debug("autoConnect: not {} of {} to {} of {}: {}", mine.id(), process.id(), theirs.id(), peer.id(),
                r.getMessage());
          }
        }
      }
    }
    return made;
  }

  private Connection connect(Process process1, String interfaceId1, Process process2, String interfaceId2,
      Optional<ConnectionPlanner.VersionChoice> versions) throws Refusal, InterruptedException {
    NewConnection request = new NewConnection(process1.id(), interfaceId1, process2.id(), interfaceId2, versions);
    Connection connection;
    synchronized (planLock) {
      List<Connection> existing = new ArrayList<>(store.connectionsOf(process1.id()));
      store.connectionsOf(process2.id()).stream().filter(c -> !c.touches(process1.id())).forEach(existing::add);
      ConnectionPlanner.Plan plan = ConnectionPlanner.plan(process1, request.interfaceId1(), process2,
          request.interfaceId2(), request.versions(), existing,
          random.nextInt(ConnectionPlanner.MIN_PORT, ConnectionPlanner.MAX_PORT + 1));
      connection = new Connection(ids.newId(), plan.endpoint1(), plan.endpoint2(), plan.listenPort(), now());
      store.insert(connection);
    }
    LOG.info("created connection {} between {} of {} and {} of {} on port {}", connection.id(),
        connection.endpoint1().interfaceId(), process1.id(), connection.endpoint2().interfaceId(), process2.id(),
        connection.listenPort());
    // The server first, so the client usually finds it listening (it retries anyway).
    int serverSide = ConnectionPlanner.isClient(process1.id(), process2.id()) ? 2 : 1;
    connection = announce(connection, serverSide, process(connection, serverSide, process1, process2),
        process(connection, 3 - serverSide, process1, process2));
    connection = announce(connection, 3 - serverSide, process(connection, 3 - serverSide, process1, process2),
        process(connection, serverSide, process1, process2));
    return connection;
  }

  private static Process process(Connection c, int side, Process a, Process b) {
    return c.endpoint(side).processId().equals(a.id()) ? a : b;
  }

  /** The caller's connections (those between their processes); all for an admin. Oldest first. */
  public List<Connection> list(User caller) {
    List<Connection> all = store.listConnections();
    if (caller.isAdmin()) {
      return all;
    }
    Set<String> own = new HashSet<>();
    processStore.listProcesses().stream().filter(p -> caller.canSee(p.userId())).forEach(p -> own.add(p.id()));
    return all.stream().filter(c -> own.contains(c.endpoint1().processId())).toList();
  }

  /** A connection the caller may see; another user's is "not found". */
  public Connection get(String id, User caller) throws Refusal.NotFound {
    return store.findConnection(id).filter(c -> caller.isAdmin() || processStore.findProcess(c.endpoint1().processId())
        .map(p -> caller.canSee(p.userId())).orElse(false))
        .orElseThrow(() -> new Refusal.NotFound("connection '" + id + "' does not exist"));
  }

  /** Sends TERMINATE to both ends that run (best effort) and forgets the connection. */
  public void delete(String id, User caller) throws Refusal.NotFound, InterruptedException {
    Connection connection = get(id, caller);
    for (int side = 1; side <= 2; side++) {
      Optional<Process> process = processStore.findProcess(connection.endpoint(side).processId());
      if (process.isPresent()) {
        terminateOn(connection, process.get());
      }
    }
    store.deleteConnection(id);
    LOG.info("deleted connection {}", id);
  }

  @Override
  public void restore(Process process) throws InterruptedException {
    for (Connection connection : store.connectionsOf(process.id())) {
      int side = connection.sideOf(process.id());
      Optional<Process> other = processStore.findProcess(connection.endpoint(3 - side).processId());
      if (other.isEmpty()) {
        continue; // being removed: its dropAll deletes this connection
      }
      announce(connection, side, process, other.get());
    }
  }

  @Override
  public void dropAll(Process process) throws InterruptedException {
    for (Connection connection : store.connectionsOf(process.id())) {
      int side = connection.sideOf(process.id());
      Optional<Process> other = processStore.findProcess(connection.endpoint(3 - side).processId());
      if (other.isPresent()) {
        terminateOn(connection, other.get());
      }
      store.deleteConnection(connection.id());
    }
  }

  // Provisional until connections learn SUSPEND and RESUME: the moved end gets CREATE again and
  // its peer's client side reconnects by itself.
  @Override
  public void suspendAll(Process process) {}

  @Override
  public void resumeAll(Process process) throws InterruptedException {
    restore(process);
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

  /** Sends CREATE to the end on {@code side} if its process runs; records and returns the outcome. */
  private Connection announce(Connection connection, int side, Process self, Process other) throws InterruptedException {
    if (self.state() != ProcessState.RUNNING) {
      Connection pending = connection.withEndpoint(side, connection.endpoint(side).withOutcome(false, Optional.empty()));
      store.updateEndpoint(connection.id(), side, false, Optional.empty());
      return pending;
    }
    ConnectionMessage create = createMessage(connection, side, self, other);
    Optional<String> failure;
    try {
      Message reply = processes.call(self.id(), create, callBudget);
      failure = switch (reply) {
        case ConnectionProto.ConnectionHandshake handshake -> Optional.empty();
        case ProcessProto.ErrorMessage error -> Optional.of("process " + self.id() + " refused the connection: "
            + error.getDebugInformation());
        default -> Optional.of("process " + self.id() + " answered CREATE with an unexpected "
            + reply.getDescriptorForType().getName());
      };
    } catch (ManagementException e) {
      failure = Optional.of("cannot tell process " + self.id() + " about the connection: " + e.getMessage());
    }
    failure.ifPresent(f -> LOG.warn("connection {}: {}", connection.id(), f));
    store.updateEndpoint(connection.id(), side, failure.isEmpty(), failure);
    return connection.withEndpoint(side, connection.endpoint(side).withOutcome(failure.isEmpty(), failure));
  }

  private void terminateOn(Connection connection, Process process) throws InterruptedException {
    if (process.state() != ProcessState.RUNNING) {
      return;
    }
    ConnectionMessage terminate = ConnectionMessage.newBuilder()
        .setMode(ConnectionMessage.ModeType.TERMINATE).setConnectionId(connection.id()).build();
    try {
      Message reply = processes.call(process.id(), terminate, callBudget);
      if (reply instanceof ProcessProto.ErrorMessage error) {
        LOG.info("process {} refused TERMINATE of connection {}: {}", process.id(), connection.id(), error.getDebugInformation());
      }
    } catch (ManagementException e) {
      // Best effort: the connection is forgotten either way; a process that missed the TERMINATE
      // sees its peer go away.
      LOG.info("process {} did not get TERMINATE of connection {}: {}", process.id(), connection.id(), e.getMessage());
    }
  }

  /** The CREATE for the end on {@code side}, run by {@code self}, whose peer is {@code other} (WIRE.md section 7). */
  static ConnectionMessage createMessage(Connection connection, int side, Process self, Process other) {
    Endpoint mine = connection.endpoint(side);
    Endpoint theirs = connection.endpoint(3 - side);
    return ConnectionMessage.newBuilder()
        .setMode(ConnectionMessage.ModeType.CREATE)
        .setConnectionId(connection.id())
        .setTargetAddress(ConnectionPlanner.isClient(self.id(), other.id()) ? other.id() : "")
        .setListenPort(connection.listenPort())
        .setReceiveHash(mine.receivesHash())
        .setSendHash(mine.sendsHash())
        .setRemoteInterfaceId(theirs.interfaceId())
        .setRemoteProcessId(other.id())
        .setRemoteServiceId(other.serviceId())
        .setRemoteProcessName(other.name())
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
