package org.defpi.orchestrator;

import io.javalin.Javalin;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.defpi.orchestrator.api.Routes;
import org.defpi.orchestrator.certificate.CertificateAuthority;
import org.defpi.orchestrator.certificate.CertificateManager;
import org.defpi.orchestrator.certificate.OrchestratorIdentity;
import org.defpi.orchestrator.connection.ConnectionManager;
import org.defpi.orchestrator.connection.ConnectionStore;
import org.defpi.orchestrator.event.EventBus;
import org.defpi.orchestrator.event.PublishingStores;
import org.defpi.orchestrator.layout.LayoutManager;
import org.defpi.orchestrator.metrics.JvmMeters;
import org.defpi.orchestrator.metrics.StoreGauges;
import org.defpi.orchestrator.node.NodeManager;
import org.defpi.orchestrator.node.OverlayCheck;
import org.defpi.orchestrator.pendingchange.PendingChangeStore;
import org.defpi.orchestrator.pendingchange.PendingChanges;
import org.defpi.orchestrator.pendingchange.Workers;
import org.defpi.orchestrator.pendingchange.RetryPolicy;
import org.defpi.orchestrator.process.ProcessManager;
import org.defpi.orchestrator.process.ProcessStore;
import org.defpi.orchestrator.processes.Backoff;
import org.defpi.orchestrator.processes.RealProcesses;
import org.defpi.orchestrator.registry.RealRegistry;
import org.defpi.orchestrator.service.ServiceCatalog;
import org.defpi.orchestrator.service.ServiceManager;
import org.defpi.orchestrator.store.RealStore;
import org.defpi.orchestrator.swarm.RealSwarm;
import org.defpi.orchestrator.traffic.TrafficManager;
import org.defpi.orchestrator.traffic.TrafficMeters;
import org.defpi.orchestrator.user.LoginThrottle;
import org.defpi.orchestrator.user.UserManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the orchestrator from its {@link Settings}: the connectors, the managers over them, the
 * routes over those. All wiring is here, in plain constructor calls. Closing stops it in reverse.
 */
public final class Wiring implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Wiring.class);
  /** Events kept for clients that reconnect: minutes of a busy orchestrator. */
  private static final int EVENT_BUFFER = 10_000;
  /** Whose an orchestrator that does not act on the Swarm is (DEFPI_RECONCILE=off): nobody's services or labels. */
  static final String PASSIVE_OWNER = "defpi-passive";

  private final Javalin app;
  private final PrometheusMeterRegistry meterRegistry;
  private final JvmMeters jvmMeters;
  private final Workers workers;
  private final RealProcesses processes;
  private final RealSwarm swarm;
  private final RealStore store;
  private final ScheduledExecutorService refresher;
  private final ScheduledExecutorService nodeSync;
  private final ScheduledExecutorService overlayChecker;
  private boolean closed;

  private Wiring(Javalin app, PrometheusMeterRegistry meterRegistry, JvmMeters jvmMeters, Workers workers,
      RealProcesses processes, RealSwarm swarm, RealStore store, ScheduledExecutorService refresher,
      ScheduledExecutorService nodeSync, ScheduledExecutorService overlayChecker) {
    this.app = app;
    this.meterRegistry = meterRegistry;
    this.jvmMeters = jvmMeters;
    this.workers = workers;
    this.processes = processes;
    this.swarm = swarm;
    this.store = store;
    this.refresher = refresher;
    this.nodeSync = nodeSync;
    this.overlayChecker = overlayChecker;
  }

  /** Builds everything and starts the HTTP server; refuses to start with no users and no first admin password. */
  public static Wiring start(Settings settings) throws Exception {
    Clock clock = Clock.systemUTC();
    RealStore.Settings storeSettings = settings.store();
    if (storeSettings.url().startsWith("jdbc:h2:file:")) {
      java.nio.file.Files.createDirectories(settings.dataDir());
    }
    // The orchestrator's one meter registry (GET /metrics): everything that measures is given it.
    PrometheusMeterRegistry meterRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    JvmMeters jvmMeters = new JvmMeters();
    jvmMeters.bindTo(meterRegistry);
    RealStore store;
    try {
      store = RealStore.open(storeSettings);
    } catch (RuntimeException e) {
      jvmMeters.close();
      throw e;
    }
    new StoreGauges(store, clock, StoreGauges.DEFAULT_MAX_AGE).bindTo(meterRegistry);
    LOG.info("store: {} as {}", RealStore.redact(storeSettings.url()), storeSettings.user());
    UserManager users = new UserManager(store.users(), Ids.secure(clock), clock,
        new LoginThrottle(LoginThrottle.Settings.defaults(), clock),
        new UserManager.Settings(settings.tokenTtl(), UserManager.Settings.defaults().bcryptCost()));
    try {
      users.bootstrap(Optional.of(settings.adminPasswordFile()), Optional.of(settings.adminEmail()));
    } catch (IOException | RuntimeException e) {
      store.close();
      jvmMeters.close();
      throw e;
    }
    RealSwarm swarm = null;
    RealProcesses processes = null;
    Workers workers = null;
    ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("defpi-registry-refresh").daemon().factory());
    ScheduledExecutorService nodeSync = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("defpi-sync").daemon().factory());
    // Its own thread: probing unreachable nodes takes seconds, which the reconciler must not wait for.
    ScheduledExecutorService overlayChecker = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("defpi-overlay-check").daemon().factory());
    boolean acts = settings.acts();
    try {
      // An orchestrator that only serves its store (DEFPI_RECONCILE=off) owns nothing on the Swarm:
      // whatever it might still write (a node's labels) is under keys of its own, not the deployed one's.
      swarm = RealSwarm.connect(new RealSwarm.Settings(settings.dockerHost(), Duration.ofSeconds(20),
          acts ? RealSwarm.DEFAULT_OWNER : PASSIVE_OWNER,
          settings.container().map(c -> new RealSwarm.Attachment(c, settings.orchestratorHost())),
          settings.overlayEncryption()), meterRegistry);
      if (acts) {
        // Before the first request: a new container (a new image) is on no user network yet, and
        // without it the users' processes cannot reach the orchestrator, nor it them.
        swarm.joinUserNetworks();
      }
      RealRegistry registry = new RealRegistry(new RealRegistry.Settings(settings.registryUrl(), settings.imagePrefix(),
          Duration.ofSeconds(10), 100, settings.registryCredentials()), clock, meterRegistry);
      // The deployment's certificate authority (made by the first instance to start) and this
      // instance's own certificate, for the management ports of processes that hold one.
      SecureRandom random = new SecureRandom();
      Optional<CertificateAuthority> authority = settings.tls()
          ? Optional.of(CertificateManager.loadAuthority(store.authority(), clock, random)) : Optional.empty();
      if (authority.isEmpty()) {
        LOG.info("DEFPI_TLS=off: no certificates; management and data connections are plain TCP");
      }
      Optional<RealProcesses.Tls> tls = authority.map(a -> new RealProcesses.Tls(
          new OrchestratorIdentity(a, clock, settings.certTtl(), random), a.certificate()));
      processes = new RealProcesses(RealProcesses.Settings.byHostName(Duration.ofSeconds(2),
          new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2)), tls));
      Ids ids = Ids.secure(clock);
      ServiceManager services = new ServiceManager(registry, new ServiceCatalog(registry, refresher, clock,
          settings.registryRefresh(), Duration.ofSeconds(30)).start());
      // Every write to processes, connections and pending changes is published as an event (GET /events).
      EventBus events = new EventBus(clock, EVENT_BUFFER);
      ProcessStore processStore = PublishingStores.processes(store, events);
      ConnectionStore connectionStore = PublishingStores.connections(store, store, events);
      // The durable queue every action on a process or connection goes through, and the workers that carry it out.
      PendingChangeStore changeStore = PublishingStores.pendingChanges(store.pendingChanges(), events);
      PendingChanges pendingChanges = new PendingChanges(changeStore, ids, clock, RetryPolicy.DEFAULT);
      workers = new Workers(changeStore, clock, RetryPolicy.DEFAULT, Workers.Settings.defaults(instanceId()),
          meterRegistry);
      ConnectionManager connections = new ConnectionManager(processStore, connectionStore, processes, pendingChanges,
          workers, ids, clock, new SecureRandom(), new ConnectionManager.Settings(settings.callTimeout()));
      connections.handlers().forEach(workers::register);
      NodeManager nodes = new NodeManager(swarm, store, ids, clock, acts);
      ProcessManager processManager = new ProcessManager(services, nodes, processStore, store.savedStates(), swarm,
          processes, connections, ids, clock, pendingChanges, workers, id -> store.users().findUser(id),
          new ProcessManager.Settings(settings.orchestratorHost(),
              settings.orchestratorPort(), settings.configureTimeout(), settings.terminateTimeout())
              .withPinToCaller(settings.container().isPresent()));
      processManager.handlers().forEach(workers::register);
      users.onDeleted(processManager::userGone);
      pendingChanges.onSubmit(workers::wake);
      if (acts) {
        workers.start();
        // At start (what a crash left half done) and then periodically (what changed behind our back).
        nodeSync.scheduleWithFixedDelay(() -> {
          long started = System.nanoTime();
          String outcome = "success";
          try {
            processManager.reconcile();
            connections.reconcile();
          } catch (InterruptedException e) {
            outcome = "interrupted";
            Thread.currentThread().interrupt(); // stopping
          } catch (Exception e) {
            outcome = "error";
            LOG.warn("reconciling the Swarm with the store failed: {}", e.toString());
          } finally {
            Timer.builder("defpi.reconcile")
                .description("Reconciliation passes: the Swarm's services and networks with the store, and the nodes")
                .tag("pass", "swarm").tag("outcome", outcome).register(meterRegistry)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
          }
        }, 0, settings.reconcile().orElseThrow().toMillis(), TimeUnit.MILLISECONDS);
        nodes.start(nodeSync, settings.nodeSync(), meterRegistry);
        if (settings.overlayEncryption()) {
          nodes.useOverlayCheck(new OverlayCheck(swarm.overlayProbe(settings.imagePrefix() + "/defpi/jre:25"), clock)
              .start(overlayChecker, settings.overlayCheck()));
        }
      } else {
        LOG.warn("DEFPI_RECONCILE=off: no reconciliation, node sync or pending-change workers; this orchestrator only"
            + " serves its store, and what it is asked to do waits in the queue");
      }
      LayoutManager layouts = new LayoutManager(store.layouts());
      // What the processes built with our SDK report of their connections: in memory, forgotten as they go.
      TrafficManager traffic = new TrafficManager(TrafficManager.directory(processManager, connections), clock,
          TrafficManager.Settings.defaults());
      events.onPublish(traffic::follow);
      new TrafficMeters(traffic).bindTo(meterRegistry);
      Optional<CertificateManager> certificates = authority.map(a -> new CertificateManager(a,
          CertificateManager.directory(processManager), clock, new CertificateManager.Settings(settings.certTtl())));
      Javalin app = new Routes(services, processManager, connections, nodes, users, pendingChanges, layouts, events,
          traffic, certificates, version(), meterRegistry)
          .app()
          .start(settings.port());
      LOG.info("defpi orchestrator {} listening on port {} (registry {}, images from {}, container {})", version(),
          app.port(), settings.registryUrl(), settings.imagePrefix(), settings.container().orElse("none"));
      return new Wiring(app, meterRegistry, jvmMeters, workers, processes, swarm, store, refresher, nodeSync,
          overlayChecker);
    } catch (Exception | Error e) {
      refresher.shutdownNow();
      nodeSync.shutdownNow();
      overlayChecker.shutdownNow();
      if (workers != null) {
        workers.close();
      }
      if (processes != null) {
        processes.close();
      }
      if (swarm != null) {
        swarm.close();
      }
      store.close();
      jvmMeters.close();
      throw e;
    }
  }

  /** Names this instance's workers in the pending changes' leases: host name and a random part. */
  private static String instanceId() {
    String host = System.getenv().getOrDefault("HOSTNAME", "defpi");
    return host + "-" + Long.toHexString(new SecureRandom().nextLong() & 0xffffffL);
  }

  public int port() {
    return app.port();
  }

  /**
   * The orchestrator's meter registry, scraped at {@code GET /metrics}: bind more meters to it
   * ({@code MeterBinder.bindTo}) and they are scraped too.
   */
  public PrometheusMeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /** The build's version, from the resource Maven filters. */
  public static String version() {
    try (InputStream in = Wiring.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Stops taking requests, then lets running configurations finish (bounded), then closes the connectors. */
  @Override
  public synchronized void close() throws Exception {
    if (closed) {
      return;
    }
    closed = true;
    app.stop();
    refresher.shutdownNow();
    nodeSync.shutdownNow();
    overlayChecker.shutdownNow();
    if (!nodeSync.awaitTermination(5, TimeUnit.SECONDS)) {
      LOG.warn("the node sync did not stop within 5 s");
    }
    workers.close(); // finishes (bounded) what runs; the rest waits in the store for the next start
    processes.close();
    swarm.close();
    store.close();
    jvmMeters.close();
    meterRegistry.close();
    LOG.info("defpi orchestrator stopped");
  }
}
