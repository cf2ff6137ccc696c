package org.defpi.orchestrator.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.defpi.orchestrator.Ids;
import org.defpi.orchestrator.TestData;
import org.defpi.orchestrator.TestUsers;
import org.defpi.orchestrator.certificate.CertificateAuthority;
import org.defpi.orchestrator.certificate.OrchestratorIdentity;
import org.defpi.orchestrator.pendingchange.PendingChange;
import org.defpi.orchestrator.pendingchange.PendingChange.Kind;
import org.defpi.orchestrator.pendingchange.PendingChange.State;
import org.defpi.orchestrator.pendingchange.PendingChanges;
import org.defpi.orchestrator.pendingchange.RetryPolicy;
import org.defpi.orchestrator.pendingchange.Workers;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.process.ProcessState;
import org.defpi.orchestrator.process.Processes.ManagementException;
import org.defpi.orchestrator.process.Processes.Transport;
import org.defpi.orchestrator.processes.Backoff;
import org.defpi.orchestrator.processes.ManagementPeer;
import org.defpi.orchestrator.processes.RealProcesses;
import org.defpi.orchestrator.store.RealStore;
import org.defpi.wire.label.InterfaceLabel;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage.ModeType;
import org.defpi.wire.protocol.ProcessProto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Connection actions as pending changes, and suspend/resume, over the real store, the real workers
 * and the real management client, each process a {@link ManagementPeer} on a loopback port
 * speaking the wire protocol: {@link ConnectionChangesH2Test} and {@link
 * ConnectionChangesPostgresTest}. Short real delays (a call gives up after 300 ms, a change is
 * tried 4 times 50 ms to 200 ms apart); every wait is bounded by a generous timeout.
 */
abstract class ConnectionChangesContract {
  private static final Clock CLOCK = Clock.systemUTC();
  private static final RetryPolicy RETRY = new RetryPolicy(4, Duration.ofMillis(50), Duration.ofMillis(200));
  private static final Duration CALL = Duration.ofMillis(300);
  private static final Duration LONG = Duration.ofSeconds(10);
  /** The server: the smaller id. */
  static final String METER = "65a1b2c30000000000000001";
  /** The client: the larger id. */
  static final String LOGGER = "65a1b2c30000000000000002";
  static final String LOGGER2 = "65a1b2c30000000000000003";

  /** The deployment's certificate authority, for the tests of processes that hold a certificate. */
  private static final CertificateAuthority AUTHORITY = CertificateAuthority.create(Instant.now(), new SecureRandom());

  /** The same empty database for the whole of one test. */
  abstract RealStore.Settings database();

  private final List<AutoCloseable> opened = new ArrayList<>();
  private final Map<String, InetSocketAddress> addresses = new ConcurrentHashMap<>();
  /** Every ConnectionMessage a peer received, in the order they came. */
  private final List<Told> told = Collections.synchronizedList(new ArrayList<>());
  private RealStore store;
  private RealProcesses processes;
  private PendingChanges changes;
  private Workers workers;
  private final Ids ids = Ids.secure(CLOCK);
  /** Carries out the changes, and asks with a wait of 10 s. */
  private ConnectionManager connections;

  record Told(String processId, ConnectionMessage message) {
    /** "01 CREATE": the process id's last two digits and the mode. */
    String brief() {
      return processId.substring(22) + " " + message.getMode();
    }
  }

  @BeforeEach
  void open() {
    store = opened(RealStore.open(database()));
    // TLS to the processes that hold a certificate of the authority (tls), plain to the others
    processes = opened(new RealProcesses(new RealProcesses.Settings(
        id -> addresses.getOrDefault(id, nothingListens()), Duration.ofMillis(200),
        new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)),
        Optional.of(new RealProcesses.Tls(new OrchestratorIdentity(AUTHORITY, CLOCK, Duration.ofHours(1),
            new SecureRandom()), AUTHORITY.certificate())))));
    changes = new PendingChanges(store.pendingChanges(), ids, CLOCK, RETRY);
    workers = new Workers(store.pendingChanges(), CLOCK, RETRY,
        new Workers.Settings("conn-test", 2, Duration.ofSeconds(10), Duration.ofMillis(50)));
    connections = manager(LONG);
    connections.handlers().forEach(workers::register);
    changes.onSubmit(workers::wake);
    workers.start();
    opened(workers);
  }

  @AfterEach
  void closeAll() throws Exception {
    Collections.reverse(opened);
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T opened(T c) {
    opened.add(c);
    return c;
  }

  /** A manager over the same parts whose requests wait {@code requestWait} for their change (another instance, as it were). */
  private ConnectionManager manager(Duration requestWait) {
    return new ConnectionManager(store, store, processes, changes, workers, ids, CLOCK, new Random(5),
        new ConnectionManager.Settings(CALL, requestWait));
  }

  private static InetSocketAddress nothingListens() {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), probe.getLocalPort());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The management port of a process: a peer answering through {@code answer}, noting what it was told. */
  private ManagementPeer peer(String processId, Function<Message, Optional<Message>> answer) throws IOException {
    ManagementPeer peer = opened(new ManagementPeer(0, request -> {
      if (request instanceof ConnectionMessage m) {
        told.add(new Told(processId, m));
      }
      return answer.apply(request);
    }));
    addresses.put(processId, peer.address());
    return peer;
  }

  private ManagementPeer healthyPeer(String processId) throws IOException {
    return peer(processId, ManagementPeer::healthy);
  }

  /** The process can no longer be reached: its peer is gone and nothing listens where it was. */
  private void unreachable(String processId, ManagementPeer peer) throws IOException {
    addresses.put(processId, nothingListens());
    peer.close();
    processes.forget(processId);
  }

  private Process process(String id, ProcessState state, InterfaceLabel iface) {
    Process p = TestData.process(id, state, iface);
    store.insert(p);
    return p;
  }

  private Process meter() {
    return process(METER, ProcessState.RUNNING, TestData.meterInterface(true));
  }

  private Process logger(String id, ProcessState state) {
    return process(id, state, TestData.loggerInterface(false));
  }

  private Connection connect(ConnectionManager manager, String loggerId) throws Exception {
    return manager.create(new ConnectionManager.NewConnection(METER, "power-meter/power-measurement", loggerId,
        "power-logger/power-measurement"), TestUsers.ADMIN).connection();
  }

  private Connection stored(Connection c) {
    return store.findConnection(c.id()).orElseThrow();
  }

  private List<String> briefs() {
    synchronized (told) {
      return told.stream().map(Told::brief).toList();
    }
  }

  private List<ConnectionMessage> toldTo(String processId) {
    synchronized (told) {
      return told.stream().filter(t -> t.processId().equals(processId)).map(Told::message).toList();
    }
  }

  private List<PendingChange> changesOf(Connection c, Kind kind) {
    return store.pendingChanges().list().stream()
        .filter(p -> p.kind() == kind && p.connectionId().equals(Optional.of(c.id()))).toList();
  }

  private PendingChange awaitSettled(PendingChange change) throws InterruptedException {
    PendingChange settled = workers.await(change.id(), LONG);
    assertThat(settled.state().finished()).as("%s settled", settled).isTrue();
    return settled;
  }

  private void eventually(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + LONG.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " did not happen within " + LONG);
      }
      Thread.sleep(20);
    }
  }

  // ---- create

  @Test
  void aNewConnectionIsToldToBothEndsByAChangeTheServerFirst() throws Exception {
    meter();
    logger(LOGGER, ProcessState.RUNNING);
    healthyPeer(METER);
    healthyPeer(LOGGER);

    Connection c = connect(connections, LOGGER);

    assertThat(c.state()).isEqualTo(ConnectionState.ACTIVE);
    assertThat(briefs()).containsExactly("01 CREATE", "02 CREATE");
    assertThat(toldTo(METER).getFirst().getTargetAddress()).isEmpty();
    assertThat(toldTo(LOGGER).getFirst().getTargetAddress()).isEqualTo(METER);
    assertThat(toldTo(LOGGER).getFirst().getListenPort()).isEqualTo(c.listenPort());
    assertThat(changesOf(c, Kind.CREATE_CONNECTION)).singleElement().satisfies(change -> {
      assertThat(change.state()).isEqualTo(State.DONE);
      assertThat(change.userId()).isEqualTo(TestData.process(METER, ProcessState.RUNNING).userId());
      assertThat(change.processId()).isEmpty();
    });
  }

  @Test
  void theReconcilerQueuesACreateForAStartingConnectionBetweenRunningProcessesWithNothingQueued() throws Exception {
    meter();
    logger(LOGGER, ProcessState.RUNNING);
    healthyPeer(METER);
    healthyPeer(LOGGER);
    Connection c = connect(connections, LOGGER);
    // As if stored by a request whose orchestrator died before it queued the change.
    store.updateEndpoint(c.id(), 1, false, false, Optional.empty());
    store.updateEndpoint(c.id(), 2, false, false, Optional.empty());
    assertThat(stored(c).state()).isEqualTo(ConnectionState.STARTING);

    assertThat(connections.reconcile()).containsExactly(c.id());
    awaitSettled(changesOf(c, Kind.CREATE_CONNECTION).getLast());
    assertThat(stored(c).state()).isEqualTo(ConnectionState.ACTIVE);
    assertThat(connections.reconcile()).isEmpty();
  }

  @Test
  void anEndThatRefusesIsFailedWithItsReasonAndNotAskedAgain() throws Exception {
    meter();
    logger(LOGGER, ProcessState.RUNNING);
    healthyPeer(METER);
    peer(LOGGER, request -> Optional.of(ProcessProto.ErrorMessage.newBuilder().setProcessId(LOGGER)
        .setDebugInformation("no handler for these hashes").build()));

    Connection c = connect(connections, LOGGER);

    assertThat(c.state()).isEqualTo(ConnectionState.FAILED);
    assertThat(c.reason()).contains("process " + LOGGER + " refused CREATE of the connection: no handler for these hashes");
    assertThat(c.endpoint1().created()).isTrue();
    assertThat(changesOf(c, Kind.CREATE_CONNECTION)).singleElement().satisfies(change -> {
      assertThat(change.state()).isEqualTo(State.DONE);
      assertThat(change.attempts()).isEqualTo(1);
    });
    assertThat(toldTo(LOGGER)).hasSize(1);
  }

  @Test
  void anEndThatCannotBeReachedIsTriedAgainUntilItAnswers() throws Exception {
    meter();
    logger(LOGGER, ProcessState.RUNNING);
    healthyPeer(METER);

    Connection c = connect(manager(Duration.ofMillis(100)), LOGGER);

    assertThat(c.state()).isEqualTo(ConnectionState.STARTING);
    PendingChange change = changesOf(c, Kind.CREATE_CONNECTION).getFirst();
    eventually("a failed attempt", () -> store.pendingChanges().find(change.id()).orElseThrow().lastError().isPresent());
    assertThat(store.pendingChanges().find(change.id()).orElseThrow().lastError().orElseThrow())
        .contains("cannot tell process " + LOGGER + " about connection " + c.id());
    healthyPeer(LOGGER);

    assertThat(awaitSettled(change).state()).isEqualTo(State.DONE);
    assertThat(stored(c).state()).isEqualTo(ConnectionState.ACTIVE);
    assertThat(toldTo(METER).size()).as("the server told again on each attempt").isGreaterThan(1);
    assertThat(toldTo(METER)).allMatch(m -> m.getMode() == ModeType.CREATE);
  }

  @Test
  void anEndNeverReachedIsFailedWithTheReasonOnceTheAttemptsAreUsedUp() throws Exception {
    meter();
    logger(LOGGER, ProcessState.RUNNING);
    healthyPeer(METER);

    Connection c = connect(manager(Duration.ofMillis(100)), LOGGER);
    PendingChange change = awaitSettled(changesOf(c, Kind.CREATE_CONNECTION).getFirst());

    assertThat(change.state()).isEqualTo(State.FAILED);
    assertThat(change.attempts()).isEqualTo(RETRY.maxAttempts());
    // told once the change is FAILED (an awaiter polling the store may be a moment ahead)
    eventually("the connection FAILED", () -> stored(c).state() == ConnectionState.FAILED);
    Connection failed = stored(c);
    assertThat(failed.state()).isEqualTo(ConnectionState.FAILED);
    assertThat(failed.endpoint1().failure()).isEmpty();
    assertThat(failed.endpoint2().failure()).hasValueSatisfying(r -> assertThat(r).contains("cannot tell process " + LOGGER));
  }

  @Test
  void anEndThatDoesNotRunIsLeftStartingAndToldWhenItsProcessRuns() throws Exception {
    meter();
    Process logger = logger(LOGGER, ProcessState.STARTING);
    healthyPeer(METER);
    healthyPeer(LOGGER);

    Connection c = connect(connections, LOGGER);

    assertThat(c.state()).isEqualTo(ConnectionState.STARTING);
    assertThat(changesOf(c, Kind.CREATE_CONNECTION)).singleElement()
        .satisfies(change -> assertThat(change.state()).isEqualTo(State.DONE));
    assertThat(briefs()).containsExactly("01 CREATE");

    connections.restore(logger.withState(ProcessState.RUNNING, Optional.empty()));
    assertThat(briefs()).containsExactly("01 CREATE", "02 CREATE");
    assertThat(stored(c).state()).isEqualTo(ConnectionState.ACTIVE);
  }

  @Test
  void aRestoreThatCannotReachItsProcessLeavesTheConnectionToAChange() throws Exception {
    Process meter = meter();
    logger(LOGGER, ProcessState.RUNNING);
    ManagementPeer meterPeer = healthyPeer(METER);
    healthyPeer(LOGGER);
    Connection c = connect(connections, LOGGER);
    unreachable(METER, meterPeer);

    connections.restore(meter);

    assertThat(stored(c).state()).isEqualTo(ConnectionState.STARTING);
    List<PendingChange> creates = changesOf(c, Kind.CREATE_CONNECTION);
    assertThat(creates).hasSize(2);
    healthyPeer(METER);
    assertThat(awaitSettled(creates.get(1)).state()).isEqualTo(State.DONE);
    assertThat(stored(c).state()).isEqualTo(ConnectionState.ACTIVE);
  }

  // ---- delete

  @Test
  void deletingCancelsWhatWaitsTerminatesBothEndsAndForgetsTheConnection() throws Exception {
    meter();
    logger(LOGGER, ProcessState.RUNNING);
    healthyPeer(METER);
    healthyPeer(LOGGER);
    Connection c = connect(connections, LOGGER);
    // a CREATE due only tomorrow: it would hold the DELETE back, were it not cancelled
    Instant now = CLOCK.instant().truncatedTo(ChronoUnit.MILLIS);
    PendingChange waiting = new PendingChange(ids.newId(), Kind.CREATE_CONNECTION, Optional.empty(),
        Optional.of(c.id()), "admin", State.PENDING, 0, 3, Optional.empty(), now, now, now.plus(Duration.ofDays(1)),
        Optional.empty(), Optional.empty(), "{}");
    store.pendingChanges().insert(waiting);

    assertThat(connections.delete(c.id(), TestUsers.ADMIN)).isEmpty();

    assertThat(store.findConnection(c.id())).isEmpty();
    assertThat(store.pendingChanges().find(waiting.id()).orElseThrow().state()).isEqualTo(State.CANCELLED);
    assertThat(changesOf(c, Kind.DELETE_CONNECTION)).singleElement()
        .satisfies(change -> assertThat(change.state()).isEqualTo(State.DONE));
    assertThat(briefs()).containsExactly("01 CREATE", "02 CREATE", "01 TERMINATE", "02 TERMINATE");
  }

  @Test
  void aDeleteDoesNotWaitOutTheRetriesOfTheCreate() throws Exception {
    meter();
    logger(LOGGER, ProcessState.RUNNING);
    healthyPeer(METER);
    Connection c = connect(manager(Duration.ofMillis(100)), LOGGER);

    assertThat(connections.delete(c.id(), TestUsers.ADMIN)).isEmpty();

    assertThat(store.findConnection(c.id())).isEmpty();
    assertThat(changesOf(c, Kind.CREATE_CONNECTION)).singleElement()
        .satisfies(change -> assertThat(change.state()).isIn(State.DONE, State.CANCELLED));
    assertThat(toldTo(METER).getLast().getMode()).isEqualTo(ModeType.TERMINATE);
  }

  @Test
  void aDeleteThatTakesLongerAnswersWithItsChange() throws Exception {
    meter();
    logger(LOGGER, ProcessState.RUNNING);
    healthyPeer(METER);
    healthyPeer(LOGGER);
    Connection c = connect(connections, LOGGER);
    workers.close(); // nobody carries it out

    Optional<PendingChange> waiting = manager(Duration.ofMillis(100)).delete(c.id(), TestUsers.ADMIN);

    assertThat(waiting).hasValueSatisfying(change -> {
      assertThat(change.kind()).isEqualTo(Kind.DELETE_CONNECTION);
      assertThat(change.state()).isEqualTo(State.PENDING);
    });
    // a second DELETE joins the first rather than cancelling it
    assertThat(manager(Duration.ofMillis(100)).delete(c.id(), TestUsers.ADMIN)).map(PendingChange::id)
        .isEqualTo(waiting.map(PendingChange::id));
    assertThat(store.findConnection(c.id())).isPresent();
  }

  // ---- TLS (docs/wire-additions.md, "TLS")

  @Test
  void processesThatHoldCertificatesAreToldOverTlsToRunTheirConnectionInTlsAndAResumeSaysSoToo() throws Exception {
    ConnectionManager manager = connections;
    Process meter = TestData.process(METER, ProcessState.RUNNING, TestData.meterInterface(true)).withTls(true);
    Process logger = TestData.process(LOGGER, ProcessState.RUNNING, TestData.loggerInterface(false)).withTls(true);
    store.insert(meter);
    store.insert(logger);
    ManagementPeer meterPeer = tlsPeer(METER);
    ManagementPeer loggerPeer = tlsPeer(LOGGER);
    // Configured first, as the trigger has it: each management channel is open, in TLS, before the
    // connection's messages, whose budget (300 ms) a first handshake of a cold JVM can exceed.
    for (String id : List.of(METER, LOGGER)) {
      processes.call(id, Transport.TLS, ProcessProto.SetConfigMessage.newBuilder().setProcessId(id).setIsUpdate(false)
          .build(), LONG);
    }

    Connection c = manager.create(new ConnectionManager.NewConnection(METER, "power-meter/power-measurement", LOGGER,
        "power-logger/power-measurement"), TestUsers.ADMIN).connection();

    assertThat(c.state()).isEqualTo(ConnectionState.ACTIVE);
    assertThat(c.encrypted()).isTrue();
    assertThat(briefs()).containsExactly("01 CREATE", "02 CREATE");
    assertThat(told).allSatisfy(t -> assertThat(t.message().getTls()).isTrue());
    // both were reached in TLS, the orchestrator's certificate presented, over the one channel each
    assertThat(meterPeer.sessions).singleElement().satisfies(session -> assertThat(session).isPresent());
    assertThat(loggerPeer.sessions).singleElement().satisfies(session -> assertThat(session).isPresent());

    // a move of the logger: the meter gets RESUME with tls, the logger's new container CREATE with it
    manager.suspendAll(logger);
    told.clear();
    manager.resumeAll(logger);
    assertThat(briefs()).containsExactly("01 RESUME", "02 CREATE");
    assertThat(told).allSatisfy(t -> assertThat(t.message().getTls()).isTrue());
    assertThat(stored(c).encrypted()).isTrue();
  }

  /** A process that holds a certificate of the authority: TLS on its management port. */
  private ManagementPeer tlsPeer(String processId) throws Exception {
    ManagementPeer peer = opened(ManagementPeer.tls(0, ManagementPeer.processContext(AUTHORITY, processId, "admin",
        AUTHORITY), request -> {
          if (request instanceof ConnectionMessage m) {
            told.add(new Told(processId, m));
          }
          return ManagementPeer.healthy(request);
        }));
    addresses.put(processId, peer.address());
    return peer;
  }

  // ---- suspend and resume

  @Test
  void suspendAllPausesEveryConnectionOfTheProcessAtBothEnds() throws Exception {
    Process meter = meter();
    logger(LOGGER, ProcessState.RUNNING);
    logger(LOGGER2, ProcessState.RUNNING);
    healthyPeer(METER);
    healthyPeer(LOGGER);
    healthyPeer(LOGGER2);
    Connection c2 = connect(connections, LOGGER);
    Connection c3 = connect(connections, LOGGER2);
    told.clear();

    connections.suspendAll(meter);

    assertThat(briefs()).containsExactly("02 SUSPEND", "01 SUSPEND", "03 SUSPEND", "01 SUSPEND");
    assertThat(toldTo(METER)).extracting(ConnectionMessage::getConnectionId).containsExactly(c2.id(), c3.id());
    assertThat(List.of(stored(c2), stored(c3))).allSatisfy(c -> {
      assertThat(c.state()).isEqualTo(ConnectionState.SUSPENDED);
      assertThat(c.reason()).isEmpty();
    });
    // a CREATE change meanwhile leaves it to resumeAll
    PendingChange create = changes.submit(Kind.CREATE_CONNECTION, Optional.empty(), Optional.of(c2.id()), "admin", "{}");
    assertThat(awaitSettled(create).state()).isEqualTo(State.DONE);
    assertThat(briefs()).hasSize(4);
    assertThat(stored(c2).state()).isEqualTo(ConnectionState.SUSPENDED);
  }

  /** The moved process is the server (side 1, the meter) or the client (side 2, the logger). */
  @ParameterizedTest(name = "the end on side {0} moves")
  @ValueSource(ints = {1, 2})
  void resumeAllGivesTheMovedEndAFullCreateAndTheOtherEndResumeWithWhereToFindIt(int movedSide) throws Exception {
    Process meter = meter();
    Process logger = logger(LOGGER, ProcessState.RUNNING);
    ManagementPeer meterPeer = healthyPeer(METER);
    ManagementPeer loggerPeer = healthyPeer(LOGGER);
    Connection c = connect(connections, LOGGER);
    Process moved = movedSide == 1 ? meter : logger;
    String stayed = movedSide == 1 ? LOGGER : METER;

    connections.suspendAll(moved);
    // the process moves: its old container is gone, a new one (another address, same id) runs
    unreachable(moved.id(), movedSide == 1 ? meterPeer : loggerPeer);
    healthyPeer(moved.id());
    told.clear();
    connections.resumeAll(moved);

    Connection resumed = stored(c);
    assertThat(resumed.state()).isEqualTo(ConnectionState.ACTIVE);
    assertThat(resumed.suspended()).isFalse();
    // the server first, as for CREATE
    assertThat(briefs()).containsExactly(movedSide == 1 ? "01 CREATE" : "01 RESUME",
        movedSide == 1 ? "02 RESUME" : "02 CREATE");
    assertThat(toldTo(moved.id())).singleElement()
        .isEqualTo(ConnectionManager.createMessage(c, movedSide, moved, movedSide == 1 ? logger : meter));
    assertThat(toldTo(stayed)).singleElement().satisfies(m -> {
      assertThat(m.getConnectionId()).isEqualTo(c.id());
      assertThat(m.getListenPort()).isEqualTo(c.listenPort());
      // the logger (larger id) is the client: it reconnects to the meter by its id
      assertThat(m.getTargetAddress()).isEqualTo(stayed.equals(LOGGER) ? METER : "");
    });
  }

  @Test
  void anEndThatCannotBeReachedOnResumeKeepsTheConnectionSuspendedUntilResumeAllIsCalledAgain() throws Exception {
    meter();
    Process logger = logger(LOGGER, ProcessState.RUNNING);
    ManagementPeer meterPeer = healthyPeer(METER);
    healthyPeer(LOGGER);
    Connection c = connect(connections, LOGGER);
    connections.suspendAll(logger);
    unreachable(METER, meterPeer);

    assertThatThrownBy(() -> connections.resumeAll(logger)).isInstanceOf(ManagementException.class)
        .hasMessageContaining("cannot tell process " + METER);
    assertThat(stored(c).state()).isEqualTo(ConnectionState.SUSPENDED);

    healthyPeer(METER);
    told.clear();
    connections.resumeAll(logger);
    assertThat(briefs()).containsExactly("01 RESUME", "02 CREATE");
    assertThat(stored(c).state()).isEqualTo(ConnectionState.ACTIVE);
    told.clear();
    connections.resumeAll(logger); // nothing is suspended any more
    assertThat(briefs()).isEmpty();
  }

  @Test
  void anEndWhoseContainerRestartedWhileSuspendedGetsAFullCreateNotAResume() throws Exception {
    Process meter = meter();
    Process logger = logger(LOGGER, ProcessState.RUNNING);
    healthyPeer(METER);
    healthyPeer(LOGGER);
    Connection c = connect(connections, LOGGER);
    connections.suspendAll(logger);
    told.clear();

    connections.restore(meter); // the meter's container restarted: it knows nothing of the connection

    assertThat(briefs()).isEmpty();
    assertThat(stored(c).endpoint1().created()).isFalse();
    assertThat(stored(c).state()).isEqualTo(ConnectionState.SUSPENDED);
    connections.resumeAll(logger);
    assertThat(briefs()).containsExactly("01 CREATE", "02 CREATE");
    assertThat(stored(c).state()).isEqualTo(ConnectionState.ACTIVE);
  }

  @Test
  void aNewerVersionWithoutTheConnectionsInterfaceVersionFailsItWithTheReason() throws Exception {
    meter();
    Process logger = logger(LOGGER, ProcessState.RUNNING);
    healthyPeer(METER);
    healthyPeer(LOGGER);
    Connection c = connect(connections, LOGGER);
    connections.suspendAll(logger);
    told.clear();
    Process upgraded = TestData.process(LOGGER, ProcessState.RUNNING, TestData.iface("power-logger/power-measurement",
        false, TestData.version("v2", TestData.HASH_C, TestData.HASH_B)));

    connections.resumeAll(upgraded);

    assertThat(briefs()).isEmpty();
    Connection failed = stored(c);
    assertThat(failed.state()).isEqualTo(ConnectionState.FAILED);
    assertThat(failed.reason()).hasValueSatisfying(r -> assertThat(r).contains("process " + LOGGER)
        .contains("no longer has version v1 of interface power-logger/power-measurement"));
  }
}
