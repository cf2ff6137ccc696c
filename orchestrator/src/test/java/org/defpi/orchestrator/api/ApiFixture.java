package org.defpi.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import org.defpi.orchestrator.Ids;
import org.defpi.orchestrator.TestImages;
import org.defpi.orchestrator.TestUsers;
import org.defpi.orchestrator.certificate.CertificateManager;
import org.defpi.orchestrator.connection.ConnectionManager;
import org.defpi.orchestrator.event.EventBus;
import org.defpi.orchestrator.event.PublishingStores;
import org.defpi.orchestrator.layout.LayoutManager;
import org.defpi.orchestrator.metrics.JvmMeters;
import org.defpi.orchestrator.metrics.StoreGauges;
import org.defpi.orchestrator.pendingchange.PendingChangeStore;
import org.defpi.orchestrator.pendingchange.Workers;
import org.defpi.orchestrator.process.ProcessStore;
import org.defpi.orchestrator.node.NodeManager;
import org.defpi.orchestrator.pendingchange.PendingChange;
import org.defpi.orchestrator.pendingchange.PendingChanges;
import org.defpi.orchestrator.pendingchange.RetryPolicy;
import org.defpi.orchestrator.process.FakeProcesses;
import org.defpi.orchestrator.process.ProcessManager;
import org.defpi.orchestrator.registry.RealRegistry;
import org.defpi.orchestrator.service.ServiceCatalog;
import org.defpi.orchestrator.service.ServiceManager;
import org.defpi.orchestrator.store.PostgresSchema;
import org.defpi.orchestrator.store.RealStore;
import org.defpi.orchestrator.swarm.RealSwarm;
import org.defpi.orchestrator.traffic.TrafficManager;
import org.defpi.orchestrator.user.UserManager;

/**
 * The real server on a free port, as the API tests ({@link ApiTest}, {@link AuthorizationTest},
 * {@link MalformedRequestTest}) run it: over the real store (an H2 file in a temp dir, or a
 * PostgreSQL schema of its own), the real registry (127.0.0.1:5000, with the meter and logger of
 * {@link TestImages}) and the real Swarm. Only the processes' management ports are faked
 * ({@link #processes()}): the test's containers are shells that sleep. Configuring runs on the
 * calling thread, so a trigger's effect is visible when it returns. The first admin is
 * {@code admin} with {@link #PASSWORD}. The Swarm's one node is public, in the pool {@code fixture}
 * ({@link #nodeId()}, {@link #poolId()}), so processes that name no place run there; its placement
 * labels are under the fixture's own owner, so a deployed orchestrator's are left alone.
 *
 * <p>Start it in a {@code @BeforeAll} and close it in the {@code @AfterAll} (also when starting
 * failed): closing puts back the nodes given to {@link #unidentifyOnClose}, removes the Swarm
 * services of the processes given to {@link #removeOnClose} and the networks of the fixture's
 * users, stops the server, and deletes the database (the temp dir, or the schema).
 */
final class ApiFixture implements AutoCloseable {
  /** The admin's password. */
  static final String PASSWORD = "test-password";
  static final ObjectMapper JSON = new ObjectMapper();
  static final String METER_IFACE = TestImages.METER + "/power-measurement";
  static final String LOGGER_IFACE = TestImages.LOGGER + "/power-measurement";
  /** DEFPI_CERT_TTL of the fixture's orchestrator. */
  static final Duration CERT_TTL = Duration.ofMinutes(15);

  /** Where the store keeps its tables. */
  enum Database {
    /** An H2 file in the fixture's temp dir. */
    H2,
    /** A schema of its own on the PostgreSQL of scripts/postgres.sh, dropped on close. */
    POSTGRES
  }

  private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final List<String> created = Collections.synchronizedList(new ArrayList<>());
  private final List<String> identified = Collections.synchronizedList(new ArrayList<>());
  private final Clock clock = Clock.systemUTC();
  private final Ids ids = Ids.secure(clock);
  /** The value of the managed label on this fixture's services, and the middle of its node labels' keys. */
  private final String owner = "test-" + ids.newId();
  private Path data;
  private PostgresSchema postgres;
  private RealStore store;
  private RealSwarm swarm;
  private FakeProcesses processes;
  private Routes routes;
  private EventBus events;
  private Workers workers;
  private ProcessManager processManager;
  private TrafficManager traffic;
  private CertificateManager certificates;
  private java.util.function.Supplier<Routes> withoutTls;
  private Javalin app;
  private Javalin plainApp;
  /** As Wiring's: what GET /metrics scrapes; the fixture's Swarm, registry, workers and store measure on it. */
  private final PrometheusMeterRegistry meterRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmMeters jvmMeters = new JvmMeters();
  private String adminId;
  private String nodeId;
  private String poolId;

  /**
   * Pushes the meter and logger images and starts the server over {@code database}. Images a test
   * needs besides must be pushed before, so the service catalog's first snapshot has them. When it
   * fails, {@link #close} still takes down what it started.
   */
  void start(Database database) throws Exception {
    TestImages.meter();
    TestImages.logger();
    data = Files.createTempDirectory("defpi-api-test");
    RealStore.Settings settings = RealStore.Settings.h2(data);
    if (database == Database.POSTGRES) {
      postgres = new PostgresSchema();
      postgres.create();
      settings = postgres.settings();
    }
    store = RealStore.open(settings);
    // Services owned by this fixture alone: its reconciler must not take a deployed orchestrator's
    // services (or another test's) for orphans, nor they its.
    swarm = RealSwarm.connect(new RealSwarm.Settings(URI.create("unix:///var/run/docker.sock"), Duration.ofSeconds(20),
        owner), meterRegistry);
    processes = new FakeProcesses();
    RealRegistry registry = new RealRegistry(new RealRegistry.Settings(URI.create("http://" + TestImages.REGISTRY),
        TestImages.REGISTRY, Duration.ofSeconds(10)), clock, meterRegistry);
    // As Wiring does: answers from a snapshot, refreshed in the background.
    ServiceManager services = new ServiceManager(registry, new ServiceCatalog(registry, refresher, clock,
        ServiceCatalog.DEFAULT_INTERVAL, Duration.ofSeconds(30)).start());
    // As Wiring does: every write to processes, connections and pending changes is an event.
    events = new EventBus(clock, 1_000);
    ProcessStore processStore = PublishingStores.processes(store, events);
    PendingChangeStore changeStore = PublishingStores.pendingChanges(store.pendingChanges(), events);
    PendingChanges pendingChanges = new PendingChanges(changeStore, ids, clock, RetryPolicy.DEFAULT);
    workers = new Workers(changeStore, clock, RetryPolicy.DEFAULT,
        new Workers.Settings("api-test", 2, Duration.ofSeconds(30), Duration.ofMillis(200)), meterRegistry);
    ConnectionManager connections = new ConnectionManager(processStore, PublishingStores.connections(store, store, events),
        processes, pendingChanges, workers, ids, clock, new Random(7), new ConnectionManager.Settings(Duration.ofSeconds(1)));
    connections.handlers().forEach(workers::register);
    // No scheduled sync here: the node routes, and placement, sync before each read.
    NodeManager nodes = new NodeManager(swarm, store, ids, clock);
    processManager = new ProcessManager(services, nodes, processStore, store.savedStates(), swarm, processes,
        connections, ids, clock,
        pendingChanges, workers, id -> store.users().findUser(id),
        new ProcessManager.Settings("defpi-orchestrator", 8484, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    processManager.handlers().forEach(workers::register);
    pendingChanges.onSubmit(workers::wake);
    workers.start();
    UserManager users = TestUsers.withAdmin(store.users(), clock, data, PASSWORD);
    users.onDeleted(processManager::userGone); // as Wiring does
    // As Wiring does: traffic reports kept in memory, forgotten when their process or connection goes.
    traffic = new TrafficManager(TrafficManager.directory(processManager, connections), clock,
        TrafficManager.Settings.defaults());
    events.onPublish(traffic::follow);
    // As Wiring does with DEFPI_TLS on: the store's certificate authority, issuing for a minute.
    certificates = new CertificateManager(CertificateManager.loadAuthority(store.authority(), clock,
        new java.security.SecureRandom()), CertificateManager.directory(processManager), clock,
        new CertificateManager.Settings(CERT_TTL));
    routes = new Routes(services, processManager, connections, nodes, users, pendingChanges,
        new LayoutManager(store.layouts()), events, traffic, Optional.of(certificates), "1.2.3", meterRegistry);
    // The same orchestrator as with DEFPI_TLS=off, for startWithoutTls.
    withoutTls = () -> new Routes(services, processManager, connections, nodes, users, pendingChanges,
        new LayoutManager(store.layouts()), events, traffic, Optional.empty(), "1.2.3", meterRegistry);
    new StoreGauges(store, clock, Duration.ZERO).bindTo(meterRegistry);
    jvmMeters.bindTo(meterRegistry);
    app = routes.app().start(0);
    adminId = ok(send("GET", "/user/me", null, basic("admin", PASSWORD)), 200).path("id").asText();
    // A process with no place named runs on a public node: as an admin would, make the Swarm's one
    // node public, in a pool of the fixture's.
    JsonNode all = ok(send("GET", "/node", null, basic("admin", PASSWORD)), 200);
    assertThat(all).as("the single-node Swarm of scripts/env.sh").hasSize(1);
    nodeId = all.get(0).path("id").asText();
    poolId = ok(send("POST", "/nodepool", "{\"name\": \"fixture\"}", basic("admin", PASSWORD)), 201).path("id").asText();
    unidentifyOnClose(nodeId);
    makePublic();
  }

  /** Puts the Swarm's node back in the fixture's pool, as {@link #start} left it (after a test moved it). */
  void makePublic() throws Exception {
    ok(send("PUT", "/node/" + nodeId, "{\"kind\": \"public\", \"poolId\": \"" + poolId + "\"}",
        basic("admin", PASSWORD)), 200);
  }

  /** The Swarm's one node: public, in {@link #poolId()}, unless a test moved it. */
  String nodeId() {
    return nodeId;
  }

  /** The fixture's pool, {@code fixture}. */
  String poolId() {
    return poolId;
  }

  /**
   * Makes the nodes of {@link #unidentifyOnClose} unidentified, removes the Swarm services of
   * {@link #removeOnClose}, stops the server and deletes the database.
   */
  @Override
  public void close() throws Exception {
    refresher.shutdownNow();
    jvmMeters.close();
    try {
      for (String nodeId : List.copyOf(identified)) {
        send("PUT", "/node/" + nodeId, "{\"kind\": \"unidentified\"}", basic("admin", PASSWORD));
      }
    } finally {
      takeDown();
    }
  }

  private void takeDown() throws Exception {
    try {
      if (swarm != null) {
        try (ExecutorService removal = Executors.newVirtualThreadPerTaskExecutor()) {
          List<Future<?>> removals = new ArrayList<>();
          for (String id : List.copyOf(created)) {
            removals.add(removal.submit(() -> {
              swarm.removeService(id); // in case a test failed before removing it
              return null;
            }));
          }
          for (Future<?> f : removals) {
            f.get();
          }
        }
        for (String userId : swarm.userNetworks()) {
          swarm.removeUserNetwork(userId); // the fixture's users' networks: its owner's alone
        }
        swarm.close();
      }
      if (app != null) {
        app.stop();
      }
      if (plainApp != null) {
        plainApp.stop();
      }
      if (workers != null) {
        workers.close();
      }
      if (store != null) {
        store.close();
      }
      if (data != null) {
        try (var files = Files.walk(data)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    } finally {
      if (postgres != null) {
        postgres.drop();
      }
    }
  }

  // ---- what the tests look at

  RealStore store() {
    return store;
  }

  RealSwarm swarm() {
    return swarm;
  }

  /** Whose services and node labels the fixture's are ({@link RealSwarm.Settings#owner()}). */
  String owner() {
    return owner;
  }

  /** What the orchestrator told the processes. */
  FakeProcesses processes() {
    return processes;
  }

  PrometheusMeterRegistry meterRegistry() {
    return meterRegistry;
  }

  Routes routes() {
    return routes;
  }

  /** The server's port on 127.0.0.1. */
  int port() {
    return app.port();
  }

  /** An HTTP/1.1 client. */
  HttpClient http() {
    return http;
  }

  /** The id of the first admin, {@code admin}. */
  String adminId() {
    return adminId;
  }

  /** A process (its id) whose Swarm service {@link #close} removes, should the test not have. */
  void removeOnClose(String processId) {
    created.add(processId);
  }

  /** A node (its id) the test makes public or private, which {@link #close} makes unidentified again. */
  void unidentifyOnClose(String nodeId) {
    identified.add(nodeId);
  }

  /** A pending change of {@code userId}'s, stored as submitted: configure {@code processId}. Its id. */
  String newPendingChange(String processId, String userId) {
    String id = ids.newId();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    // Due only tomorrow: it stays PENDING for the test, the workers leave it alone. Give it a process
    // id of its own: a change waiting on a real process would hold up that process's later changes.
    PublishingStores.pendingChanges(store.pendingChanges(), events).insert(new PendingChange(id,
        PendingChange.Kind.CONFIGURE_PROCESS, Optional.of(processId), Optional.empty(), userId,
        PendingChange.State.PENDING, 0, 3, Optional.empty(), now, now, now.plus(Duration.ofDays(1)), Optional.empty(),
        Optional.empty(), "{}"));
    return id;
  }

  /**
   * A change of {@code userId}'s stored FAILED after its last attempt, as a worker leaves one (and
   * published, as the store's writes are): what {@code POST /pendingchange/{id}/retry} runs again. Its id.
   */
  String newFailedChange(PendingChange.Kind kind, Optional<String> processId, Optional<String> connectionId,
      String userId) {
    String id = ids.newId();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    PublishingStores.pendingChanges(store.pendingChanges(), events).insert(new PendingChange(id, kind, processId,
        connectionId, userId, PendingChange.State.FAILED, 10, 10, Optional.of("the process did not answer"), now, now,
        now, Optional.empty(), Optional.empty(), "{}"));
    return id;
  }

  // ---- requests

  /** A request with a JSON {@code body} (null for none) and an Authorization header (null for none). */
  HttpResponse<String> send(String method, String path, String body, String authorization) throws Exception {
    return send(method, path, body, authorization, Map.of());
  }

  /** {@link #send(String, String, String, String)} with more headers. */
  HttpResponse<String> send(String method, String path, String body, String authorization, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    headers.forEach(b::header);
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), STREAMS_CUT_SHORT);
  }

  /**
   * Bodies as text, except an event stream's, which never ends: its answer is taken as soon as its
   * headers are in (the body is "" and the stream closed), so a test can check who may open it.
   */
  static final HttpResponse.BodyHandler<String> STREAMS_CUT_SHORT = info ->
      info.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")
          ? HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofInputStream(), in -> {
            try {
              in.close();
            } catch (java.io.IOException e) {
              // closing is all we want of it
            }
            return "";
          })
          : HttpResponse.BodySubscribers.ofString(java.nio.charset.StandardCharsets.UTF_8);

  /**
   * Waits until no change of this process is waiting or running (the workers carry out a trigger's
   * CONFIGURE after the 204), so a test sees the outcome as the old synchronous code showed it.
   */
  void awaitQuiet(String processId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!store.pendingChanges().unfinishedOf(processId).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the changes of process " + processId + " did not finish within 15 s: "
            + store.pendingChanges().unfinishedOf(processId));
      }
      Thread.sleep(20);
    }
  }

  ProcessManager processManager() {
    return processManager;
  }

  TrafficManager traffic() {
    return traffic;
  }

  /**
   * Starts a second server over the same managers and store, as with {@code DEFPI_TLS=off} (no
   * certificates); returns its port. {@link #close} stops it.
   */
  int startWithoutTls() {
    plainApp = withoutTls.get().app().start(0);
    return plainApp.port();
  }

  /** {@link #send(String, String, String, String, Map)} to the server on {@code port}. */
  HttpResponse<String> sendTo(int port, String method, String path, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The certificate authority the routes issue from. */
  CertificateManager certificates() {
    return certificates;
  }

  /** The bus the stores publish on (GET /events). */
  EventBus events() {
    return events;
  }

  /** POST /login: a bearer token of this user's. */
  String login(String name, String password) throws Exception {
    return ok(send("POST", "/login", loginBody(name, password), null), 201).path("token").asText();
  }

  static String loginBody(String name, String password) {
    return "{\"name\": \"" + name + "\", \"password\": \"" + password + "\"}";
  }

  /** An HTTP Basic Authorization header. */
  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static String connectionBody(String p1, String i1, String p2, String i2) {
    return "{\"endpoint1\": {\"processId\": \"" + p1 + "\", \"interfaceId\": \"" + i1 + "\"}, "
        + "\"endpoint2\": {\"processId\": \"" + p2 + "\", \"interfaceId\": \"" + i2 + "\"}}";
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  /** Asserts the status; the body as JSON (a missing node when empty). */
  static JsonNode ok(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
  }
}
