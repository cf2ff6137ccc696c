package org.defpi.orchestrator.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.defpi.orchestrator.Ids;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.node.NodeManager;
import org.defpi.orchestrator.pendingchange.ChangeFailed;
import org.defpi.orchestrator.pendingchange.ChangeHandler;
import org.defpi.orchestrator.pendingchange.PendingChange;
import org.defpi.orchestrator.pendingchange.PendingChange.Kind;
import org.defpi.orchestrator.pendingchange.PendingChanges;
import org.defpi.orchestrator.pendingchange.Workers;
import org.defpi.orchestrator.process.Processes.ManagementException;
import org.defpi.orchestrator.node.SwarmNodes.SwarmException;
import org.defpi.orchestrator.service.Registry.RegistryException;
import org.defpi.orchestrator.service.ResolvedService;
import org.defpi.orchestrator.service.ServiceManager;
import org.defpi.orchestrator.user.User;
import org.defpi.wire.protocol.ProcessProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, configures and removes processes (ARCHITECTURE.md "Process start-up").
 *
 * <p>Every action on a process is a pending change: the request stores the change, a worker
 * carries it out ({@link #handlers()}), retrying what failed, and the request waits for it a while
 * so that a quick action still answers with its outcome. The changes of one process run one at a
 * time, in order; each handler is idempotent, because after a crash a change runs again.
 *
 * <p>Order matters: a process is stored with its token <em>before</em> its Swarm service exists,
 * because a container's first act is the trigger call and an original dEF-Pi process exits for good
 * when that call fails (WIRE.md section 8). The trigger is answered at once with a CONFIGURE change.
 */
public final class ProcessManager {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessManager.class);
  static final int MAX_NAME_LENGTH = 128;
  private static final ObjectMapper PAYLOAD = new ObjectMapper();

  /**
   * @param orchestratorHost how processes reach the orchestrator (ORCHESTRATOR_HOST)
   * @param orchestratorPort ditto (ORCHESTRATOR_PORT)
   * @param configureBudget the most one configuration may take: connecting (the process may still be
   *     starting) and its answer to SetConfigMessage
   * @param terminateBudget the most the polite GoToProcessState TERMINATED may take on removal
   * @param pinToCaller configure a triggered process at the address its trigger came from, not by its
   *     name, and fence off its orphaned containers: right when the orchestrator is on the users'
   *     networks (a container), where that address is the process's own on its network
   */
  public record Settings(String orchestratorHost, int orchestratorPort, Duration configureBudget, Duration terminateBudget,
      Duration requestWait, boolean pinToCaller) {
    public Settings {
      Objects.requireNonNull(orchestratorHost, "orchestratorHost");
      Objects.requireNonNull(configureBudget, "configureBudget");
      Objects.requireNonNull(terminateBudget, "terminateBudget");
      Objects.requireNonNull(requestWait, "requestWait");
    }

    /** With the default wait of a request for its change: 30 s; processes reached by name. */
    public Settings(String orchestratorHost, int orchestratorPort, Duration configureBudget, Duration terminateBudget) {
      this(orchestratorHost, orchestratorPort, configureBudget, terminateBudget, Duration.ofSeconds(30), false);
    }

    public Settings withPinToCaller(boolean pin) {
      return new Settings(orchestratorHost, orchestratorPort, configureBudget, terminateBudget, requestWait, pin);
    }
  }

  /** Where each process's latest trigger came from (with {@link Settings#pinToCaller}). */
  private final Map<String, java.net.InetAddress> callers = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * A request for a new process; {@code version} empty means the version {@code latest} points to.
   * Where it runs and with what ({@link Placement}) is checked by {@link PlacementCheck}.
   *
   * @param memoryMb reserved and the limit, in MiB; empty for neither
   * @param cpus reserved and the limit; empty for neither
   */
  public record NewProcess(String serviceId, String name, Optional<String> version, Map<String, String> configuration,
      Target target, Optional<Long> memoryMb, Optional<Double> cpus, List<Mount> mounts, List<PublishedPort> ports) {
    public NewProcess {
      Objects.requireNonNull(serviceId, "serviceId");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(version, "version");
      configuration = Map.copyOf(configuration);
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(memoryMb, "memoryMb");
      Objects.requireNonNull(cpus, "cpus");
      mounts = List.copyOf(mounts);
      ports = List.copyOf(ports);
    }

    /** On any public node, with nothing reserved, mounted or published. */
    public NewProcess(String serviceId, String name, Optional<String> version, Map<String, String> configuration) {
      this(serviceId, name, version, configuration, Target.ANY_PUBLIC_NODE, Optional.empty(), Optional.empty(),
          List.of(), List.of());
    }
  }

  private final ServiceManager services;
  private final NodeManager nodes;
  private final ProcessStore store;
  private final SavedStateStore savedStates;
  private final Swarm swarm;
  private final Processes processes;
  private final ProcessConnections connections;
  private final Ids ids;
  private final Clock clock;
  private final Settings settings;
  private final PendingChanges changes;
  private final Workers workers;
  /** The owner of a process, for its container's env (USER_NAME, USER_EMAIL). */
  private final Function<String, Optional<User>> users;

  public ProcessManager(ServiceManager services, NodeManager nodes, ProcessStore store, SavedStateStore savedStates,
      Swarm swarm, Processes processes, ProcessConnections connections, Ids ids, Clock clock, PendingChanges changes,
      Workers workers, Function<String, Optional<User>> users, Settings settings) {
    this.services = Objects.requireNonNull(services, "services");
    this.nodes = Objects.requireNonNull(nodes, "nodes");
    this.store = Objects.requireNonNull(store, "store");
    this.savedStates = Objects.requireNonNull(savedStates, "savedStates");
    this.swarm = Objects.requireNonNull(swarm, "swarm");
    this.processes = Objects.requireNonNull(processes, "processes");
    this.connections = Objects.requireNonNull(connections, "connections");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.changes = Objects.requireNonNull(changes, "changes");
    this.workers = Objects.requireNonNull(workers, "workers");
    this.users = Objects.requireNonNull(users, "users");
  }

  /** What carries out each kind of change on a process; Wiring registers them with the workers. */
  public Map<Kind, ChangeHandler> handlers() {
    return Map.of(
        Kind.CREATE_PROCESS, new ChangeHandler() {
          @Override
          public void run(PendingChange change) throws Exception {
            createService(change);
          }

          @Override
          public void failedForGood(PendingChange change, String reason) {
            store.updateState(change.processId().orElseThrow(), ProcessState.FAILED,
                Optional.of("Swarm did not create the service: " + reason));
          }
        },
        Kind.CONFIGURE_PROCESS, change -> {
          if (PAYLOAD.readTree(change.payload()).path("isUpdate").asBoolean(false)) {
            reconfigure(change.processId().orElseThrow());
          } else {
            configure(change.processId().orElseThrow());
          }
        },
        Kind.TERMINATE_PROCESS, this::tearDown,
        Kind.UPGRADE_PROCESS, redeployment("upgrade"),
        Kind.MOVE_PROCESS, redeployment("move"));
  }

  private ChangeHandler redeployment(String what) {
    return new ChangeHandler() {
      @Override
      public void run(PendingChange change) throws Exception {
        redeploy(change);
      }

      @Override
      public void failedForGood(PendingChange change, String reason) {
        String id = change.processId().orElseThrow();
        Optional<Process> process = store.findProcess(id);
        if (process.isEmpty() || process.get().state() == ProcessState.RUNNING) {
          return; // it would not suspend and runs on where it was: the failed change says why
        }
        String kept = savedStates.find(id).isPresent()
            ? "; its saved state is kept, and the next upgrade or move resumes from it" : "";
        store.updateState(id, ProcessState.FAILED, Optional.of("the " + what + " failed: " + reason + kept));
      }
    };
  }

  /**
   * Stores the process (STARTING) and a change that creates its Swarm service, and waits a while
   * for that. If Swarm refuses for good, the process is FAILED with the reason, so the caller sees
   * why and can remove it. Refused first when what it asks for cannot be had ({@link PlacementCheck}).
   *
   * @param user whose process it is (a private node must be theirs)
   * @param caller who asks: only an admin may mount a path of the host
   */
  public Process create(NewProcess request, User user, User caller)
      throws Refusal, RegistryException, InterruptedException {
    if (request.name().isBlank() || request.name().length() > MAX_NAME_LENGTH) {
      throw new Refusal.Unprocessable("name must be 1 to " + MAX_NAME_LENGTH + " characters and not blank");
    }
    Optional<String> forbidden = PlacementCheck.forbidden(request.mounts(), caller.isAdmin());
    if (forbidden.isPresent()) {
      throw new Refusal.Forbidden(forbidden.get());
    }
    List<String> problems = PlacementCheck.problems(request.memoryMb(), request.cpus(), request.mounts(),
        request.ports());
    if (!problems.isEmpty()) {
      throw new Refusal.Unprocessable(String.join("; ", problems));
    }
    Placement placement = new Placement(request.target(), PlacementCheck.resources(request.memoryMb(), request.cpus()),
        request.mounts(), request.ports());
    ResolvedService resolved = services.resolve(request.serviceId(), request.version(), request.configuration());
    PlacementCheck.decide(new PlacementCheck.Request(user.id(), placement, resolved.architectures()),
        new PlacementCheck.Cluster(nodes.all(), nodes.pools(), store.listProcesses())).orThrow();
    Process process = new Process(ids.newId(), resolved.serviceId(), request.name(), resolved.version(), user.id(),
        ProcessState.STARTING, Optional.empty(), request.configuration(), now(),
        resolved.imageReference(), resolved.labels().interfaces(), new Token(ids.newToken()), placement,
        resolved.architectures(), Optional.empty());
    store.insert(process);
    PendingChange change = changes.submit(Kind.CREATE_PROCESS, Optional.of(process.id()), Optional.empty(), user.id(),
        "{}");
    workers.await(change.id(), settings.requestWait());
    return store.findProcess(process.id()).orElse(process);
  }

  /** CREATE_PROCESS: the Swarm service, if the process still wants one. Idempotent (Swarm keeps an existing one). */
  void createService(PendingChange change) throws SwarmException, ChangeFailed {
    String id = change.processId().orElseThrow();
    Optional<Process> found = store.findProcess(id);
    if (found.isEmpty() || found.get().state() == ProcessState.TERMINATED) {
      return; // removed meanwhile: nothing to create
    }
    Process process = found.get();
    // The owner as they are now: a service re-created later gets their current name and email.
    User owner = users.apply(process.userId()).orElseThrow(() -> new ChangeFailed("the owner of process " + id
        + ", user " + process.userId() + ", no longer exists"));
    swarm.createService(service(process, owner, settings));
    LOG.info("created the service of process {} ({} {}) from {}", id, process.serviceId(), process.version(),
        process.image());
  }

  /** The Swarm service of a process: its image and env, and where it runs and with what. */
  static Swarm.ProcessService service(Process process, User owner, Settings settings) {
    Placement placement = process.placement();
    return new Swarm.ProcessService(process.id(), process.userId(), process.image(),
        environment(process, owner.name(), owner.email().orElse(""), settings),
        PlacementCheck.constraints(process.userId(), placement.target(), process.architectures()),
        placement.resources(), placement.mounts().stream().map(m -> m.forUser(process.userId())).toList(),
        placement.ports());
  }

  /** The env of a process's container (WIRE.md section 4). */
  static Map<String, String> environment(Process process, String userName, String userEmail, Settings settings) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("ORCHESTRATOR_HOST", settings.orchestratorHost());
    env.put("ORCHESTRATOR_PORT", Integer.toString(settings.orchestratorPort()));
    env.put("ORCHESTRATOR_TOKEN", process.token().value());
    env.put("PROCESS_ID", process.id());
    env.put("USER_ID", process.userId());
    env.put("USER_NAME", userName);
    env.put("USER_EMAIL", userEmail);
    env.put("JVM_ARGUMENTS", "");
    return env;
  }

  /** The caller's processes; every process for an admin. Oldest first. */
  public List<Process> list(User caller) {
    return store.listProcesses().stream().filter(p -> caller.canSee(p.userId())).toList();
  }

  /** A process the caller may see; another user's is "not found", so its existence is not revealed. */
  public Process get(String id, User caller) throws Refusal.NotFound {
    return store.findProcess(id).filter(p -> caller.canSee(p.userId())).orElseThrow(() -> notFound(id));
  }

  /**
   * Tells the process's orphaned containers (left running on a node Swarm lost; see {@link
   * Swarm#orphanAddresses}) to terminate, so that its peers, which may still reach an orphan by the
   * process's name, are not served by two. Best effort: an orphan that cannot be reached is cut off
   * anyway, and its node stops it when it returns.
   */
  private void fenceOrphans(Process process, java.net.InetAddress caller) throws InterruptedException {
    List<java.net.InetAddress> orphans;
    try {
      orphans = swarm.orphanAddresses(process.id(), process.userId());
    } catch (SwarmException e) {
      LOG.warn("process {}: cannot look for orphaned containers: {}", process.id(), e.getMessage());
      return;
    }
    for (java.net.InetAddress orphan : orphans) {
      if (orphan.equals(caller)) {
        continue;
      }
      try {
        processes.terminateAt(process.id(), Processes.Transport.of(process), orphan, FENCE_BUDGET);
        LOG.info("process {}: told its orphaned container at {} to terminate (its container at {} took over)",
            process.id(), orphan.getHostAddress(), caller.getHostAddress());
      } catch (ManagementException e) {
        LOG.info("process {}: its orphaned container at {} could not be told to terminate ({}); its node stops it when"
            + " it returns", process.id(), orphan.getHostAddress(), e.getMessage());
      }
    }
  }

  private static final Duration FENCE_BUDGET = Duration.ofSeconds(2);

  private Process get(String id) throws Refusal.NotFound {
    return store.findProcess(id).orElseThrow(() -> notFound(id));
  }

  /**
   * The trigger call of WIRE.md section 4: checks the token, records whether the process holds a
   * certificate ({@code tls}: it said {@code X-Defpi-Tls: 1}, docs/wire-additions.md "TLS" 2; a new
   * container of an original-SDK version says nothing and is plain again) and queues the
   * configuration. Returns at once; the caller answers 204.
   */
  public void trigger(String id, String presentedToken, boolean tls) throws Refusal {
    trigger(id, presentedToken, tls, Optional.empty());
  }

  /** The trigger call from this address (the caller's, as the API saw it). */
  public void trigger(String id, String presentedToken, boolean tls, Optional<java.net.InetAddress> from)
      throws Refusal {
    Process process = authenticate(id, presentedToken, "the trigger call");
    if (process.state() == ProcessState.TERMINATED) {
      throw new Refusal.Conflict("process " + id + " is being terminated");
    }
    if (process.tls() != tls) {
      if (!store.updateTls(id, tls)) {
        throw new Refusal.Conflict("process " + id + " is being terminated");
      }
      LOG.info(tls ? "process {} holds a certificate (X-Defpi-Tls: 1): its management and data connections run in TLS"
          : "process {} holds no certificate: its management and data connections are plain TCP", id);
    }
    if (settings.pinToCaller()) {
      from.ifPresent(address -> callers.put(id, address));
    }
    // A burst of triggers configures once more, not once per trigger: one waiting CONFIGURE is enough.
    boolean waiting = changes.unfinishedOf(id).stream()
        .anyMatch(c -> c.kind() == Kind.CONFIGURE_PROCESS && c.state() == PendingChange.State.PENDING);
    if (!waiting) {
      changes.submit(Kind.CONFIGURE_PROCESS, Optional.of(id), Optional.empty(), process.userId(), "{}");
    }
  }

  /**
   * The process {@code id}, for a call the process makes itself with its own token ({@code
   * X-Auth-Token}): the trigger call, its traffic reports. 401 without a token, 404 for an unknown
   * process, 403 for a token that is not this process's.
   *
   * @param call what the call is, for the refusal's words
   */
  public Process authenticate(String id, String presentedToken, String call) throws Refusal {
    // The token first: without one, whether the process exists is none of the caller's business.
    if (presentedToken == null || presentedToken.isEmpty()) {
      throw new Refusal.Unauthorized(call + " needs the process's token in X-Auth-Token",
          Refusal.Unauthorized.Challenge.PROCESS_TOKEN);
    }
    Process process = get(id);
    if (!process.token().matches(presentedToken)) {
      throw new Refusal.Forbidden("X-Auth-Token does not match the token of process " + id);
    }
    return process;
  }

  /** Configures a triggered process: SetConfigMessage, then its connections. Records the outcome. */
  void configure(String id) throws InterruptedException, ManagementException {
    Optional<Process> found = store.findProcess(id);
    if (found.isEmpty() || found.get().state() == ProcessState.TERMINATED) {
      return;
    }
    Process process = found.get();
    java.net.InetAddress caller = callers.get(id);
    if (caller != null) {
      processes.pin(id, caller);
      fenceOrphans(process, caller);
    }
    if (process.state() != ProcessState.STARTING) {
      // A trigger from a RUNNING or FAILED process: its container restarted and starts afresh.
      LOG.info("process {} was {} and called the trigger again: configuring it afresh", id, process.state());
      store.updateState(id, ProcessState.STARTING, Optional.empty());
    }
    ConfigureOutcome outcome = sendConfiguration(process, false);
    // After an upgrade or a move the new container goes on from the state the old one saved.
    Optional<SavedState> saved = outcome.state() == ProcessState.RUNNING ? savedStates.find(id) : Optional.empty();
    if (saved.isPresent()) {
      outcome = resume(process, saved.get());
    }
    if (!store.updateState(id, outcome.state(), outcome.reason())) {
      return; // removed meanwhile
    }
    LOG.info("process {} is {}{}", id, outcome.state(), outcome.reason().map(r -> ": " + r).orElse(""));
    if (outcome.state() == ProcessState.RUNNING) {
      Process running = process.withState(ProcessState.RUNNING, Optional.empty());
      saved.ifPresent(s -> savedStates.delete(id)); // resumed: the state lives in the process again
      connections.restore(running);
      // Connections suspended for an upgrade or move: CREATE here, RESUME on the other ends. One
      // whose other end cannot be reached stays suspended, and this change is retried for it.
      connections.resumeAll(running);
      int made = connections.autoConnect(running);
      if (made > 0) {
        LOG.info("process {}: {} connection(s) made by autoConnect", id, made);
      }
    }
  }

  /**
   * What a change of a process may set: empty fields are left as they are.
   *
   * @param version another version of its service: an upgrade (or a downgrade)
   * @param target another place: a move
   */
  public record ProcessUpdate(Optional<String> name, Optional<Map<String, String>> configuration,
      Optional<String> version, Optional<Target> target) {
    public ProcessUpdate {
      Objects.requireNonNull(name, "name");
      configuration = configuration.map(Map::copyOf);
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(target, "target");
    }

    public ProcessUpdate(Optional<String> name, Optional<Map<String, String>> configuration) {
      this(name, configuration, Optional.empty(), Optional.empty());
    }
  }

  /**
   * Renames, reconfigures, upgrades and/or moves a process. A new configuration is checked against
   * the parameters of the process's service version, stored, and sent to the process as an update
   * (SetConfigMessage isUpdate=true) by a CONFIGURE change; a process not yet configured simply
   * gets it with its first configuration. Another version or place is checked here (the version
   * resolved and pinned, its interfaces against the process's connections, the place by {@link
   * PlacementCheck}) and carried out by an UPGRADE or MOVE change ({@link #redeploy}), which gives
   * the new container the stored configuration.
   */
  public Process update(String id, ProcessUpdate update, User caller)
      throws Refusal, RegistryException, InterruptedException {
    Process process = get(id, caller);
    if (process.state() == ProcessState.TERMINATED) {
      throw new Refusal.Conflict("process " + id + " is being terminated");
    }
    String name = update.name().orElse(process.name());
    if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
      throw new Refusal.Unprocessable("name must be 1 to " + MAX_NAME_LENGTH + " characters and not blank");
    }
    Map<String, String> configuration = update.configuration().orElse(process.configuration());
    // An upgrade: the new version is resolved now (pinned to its digest) and must take the
    // configuration and keep the connections; it runs as a change after the rest is stored.
    Optional<ResolvedService> upgrade = Optional.empty();
    Optional<Target> move = update.target().filter(t -> !t.equals(process.placement().target()));
    if (update.version().isPresent() && !update.version().get().equals(process.version())) {
      ResolvedService target = services.resolve(process.serviceId(), update.version(), configuration);
      List<String> broken = connections.brokenBy(process, target.labels().interfaces());
      if (!broken.isEmpty()) {
        throw new Refusal.Conflict("version " + target.version() + " of service " + process.serviceId()
            + " cannot keep the connections of process " + id + ": " + String.join("; ", broken)
            + "; delete them first");
      }
      upgrade = Optional.of(target);
    } else if (update.configuration().isPresent()) {
      services.resolve(process.serviceId(), Optional.of(process.version()), configuration); // refuses what does not fit
    }
    if (upgrade.isPresent() || move.isPresent()) {
      // Where it would run, with the architectures of what it would run, must be feasible now.
      Process wanted = move.map(process::withTarget).orElse(process);
      List<String> architectures = upgrade.map(ResolvedService::architectures).orElse(process.architectures());
      List<Process> others = store.listProcesses().stream().filter(p -> !p.id().equals(id)).toList();
      PlacementCheck.decide(new PlacementCheck.Request(process.userId(), wanted.placement(), architectures),
          new PlacementCheck.Cluster(nodes.all(), nodes.pools(), others)).orThrow();
    }
    if (!store.updateDefinition(id, name, configuration)) {
      throw new Refusal.Conflict("process " + id + " is being terminated");
    }
    if (upgrade.isPresent() || move.isPresent()) {
      // The new container gets the stored configuration with its first SetConfig: no update needed.
      var payload = PAYLOAD.createObjectNode();
      upgrade.ifPresent(target -> {
        payload.put("version", target.version()).put("image", target.imageReference());
        payload.set("interfaces", PAYLOAD.valueToTree(target.labels().interfaces()));
        payload.set("architectures", PAYLOAD.valueToTree(target.architectures()));
      });
      move.ifPresent(target -> payload.set("target", targetJson(target)));
      PendingChange change = changes.submit(upgrade.isPresent() ? Kind.UPGRADE_PROCESS : Kind.MOVE_PROCESS,
          Optional.of(id), Optional.empty(), process.userId(), payload.toString());
      workers.await(change.id(), settings.requestWait());
    } else if (update.configuration().isPresent() && !configuration.equals(process.configuration())) {
      PendingChange change = changes.submit(Kind.CONFIGURE_PROCESS, Optional.of(id), Optional.empty(),
          process.userId(), PAYLOAD.createObjectNode().put("isUpdate", true).toString());
      workers.await(change.id(), settings.requestWait());
    }
    return store.findProcess(id).orElseThrow(() -> notFound(id));
  }

  /**
   * UPGRADE_PROCESS and MOVE_PROCESS: the process in a new Swarm service, with its state. Each step
   * is safe to run again after a crash, and a failure part-way leaves the process recoverable:
   * <ol>
   *   <li>A RUNNING process without a saved state: its connections are suspended, then the process
   *       (GoToProcessState SUSPENDED); the state it hands over is stored before anything else
   *       happens, and the process is SUSPENDED. A process that is not RUNNING has nothing to hand
   *       over; a state saved by an earlier attempt is kept.
   *   <li>The record gets the new version (an upgrade) and/or the new target (a move).
   *   <li>The Swarm service is replaced by one with the new spec (a no-op when it already is).
   *   <li>The process is STARTING; its new container's trigger configures it, hands it the saved
   *       state (ResumeProcessMessage) and resumes its connections ({@link #configure}).
   * </ol>
   */
  void redeploy(PendingChange change) throws Exception {
    String id = change.processId().orElseThrow();
    Optional<Process> found = store.findProcess(id);
    if (found.isEmpty() || found.get().state() == ProcessState.TERMINATED) {
      return;
    }
    Process process = found.get();
    if (process.state() == ProcessState.RUNNING && savedStates.find(id).isEmpty()) {
      suspend(process);
    }
    var payload = PAYLOAD.readTree(change.payload());
    if (payload.has("version")) {
      List<org.defpi.wire.label.InterfaceLabel> interfaces = PAYLOAD.convertValue(payload.get("interfaces"),
          new com.fasterxml.jackson.core.type.TypeReference<>() {});
      List<String> architectures = PAYLOAD.convertValue(payload.get("architectures"),
          new com.fasterxml.jackson.core.type.TypeReference<>() {});
      process = process.withDeployment(payload.get("version").asText(), payload.get("image").asText(), interfaces,
          architectures);
      if (!store.updateDeployment(id, process.version(), process.image(), process.interfaces(),
          process.architectures())) {
        return; // terminated meanwhile
      }
    }
    if (payload.has("target")) {
      process = process.withTarget(target(payload.get("target")));
      if (!store.updateTarget(id, process.placement().target())) {
        return; // terminated meanwhile
      }
    }
    String userId = process.userId();
    User owner = users.apply(userId).orElseThrow(() -> new ChangeFailed("the owner of process " + id
        + ", user " + userId + ", no longer exists"));
    // The old container goes with the old service: its management channel with it.
    processes.forget(id);
    callers.remove(id);
    swarm.replaceService(service(process, owner, settings));
    store.updateState(id, ProcessState.STARTING, Optional.empty());
    LOG.info("process {} redeployed as {} {} ({}) on {}; waiting for its new container", id, process.serviceId(),
        process.version(), process.image(), process.placement().target());
  }

  /** A target in a change's payload: {@code {"nodeId": …}}, {@code {"nodePoolId": …}} or {@code {}}. */
  private static com.fasterxml.jackson.databind.node.ObjectNode targetJson(Target target) {
    var json = PAYLOAD.createObjectNode();
    switch (target) {
      case Target.PrivateNode n -> json.put("nodeId", n.nodeId());
      case Target.Pool p -> json.put("nodePoolId", p.poolId());
      case Target.AnyPublicNode any -> { }
    }
    return json;
  }

  private static Target target(com.fasterxml.jackson.databind.JsonNode json) {
    return json.hasNonNull("nodeId") ? new Target.PrivateNode(json.get("nodeId").asText())
        : json.hasNonNull("nodePoolId") ? new Target.Pool(json.get("nodePoolId").asText()) : Target.ANY_PUBLIC_NODE;
  }

  /** Suspends the connections, then the process, and keeps what it hands over. */
  private void suspend(Process process) throws Exception {
    String id = process.id();
    connections.suspendAll(process);
    ProcessProto.GoToProcessStateMessage goTo = ProcessProto.GoToProcessStateMessage.newBuilder()
        .setProcessId(id).setTargetState(ProcessProto.ProcessState.SUSPENDED).build();
    com.google.protobuf.Message reply;
    try {
      reply = processes.call(id, Processes.Transport.of(process), goTo, settings.configureBudget());
    } catch (ManagementException e) {
      throw new ManagementException("cannot suspend the process: " + e.getMessage(), e); // retried
    }
    if (reply instanceof ProcessProto.ProcessStateUpdateMessage update
        && update.getState() == ProcessProto.ProcessState.SUSPENDED) {
      if (!savedStates.save(new SavedState(id, update.getStateData().toByteArray(), process.version(), now()))) {
        throw new ChangeFailed("process " + id + " was removed while it was being suspended");
      }
      store.updateState(id, ProcessState.SUSPENDED, Optional.empty());
      LOG.info("process {} suspended; kept its state of {} bytes", id, update.getStateData().size());
      return;
    }
    // It will not suspend: it keeps running where it is, with its connections.
    connections.resumeAll(process);
    String why = reply instanceof ProcessProto.ErrorMessage error ? error.getDebugInformation()
        : "it answered " + reply.getDescriptorForType().getName() + " instead of SUSPENDED";
    throw new ChangeFailed("process " + id + " did not suspend: " + why);
  }

  /** CONFIGURE_PROCESS with isUpdate: the stored configuration to a RUNNING process as an update. */
  void reconfigure(String id) throws InterruptedException {
    Optional<Process> found = store.findProcess(id);
    if (found.isEmpty() || found.get().state() != ProcessState.RUNNING) {
      return; // not running: its next (re)start is configured with what is stored now
    }
    ConfigureOutcome outcome = sendConfiguration(found.get(), true);
    store.updateState(id, outcome.state(), outcome.reason());
    LOG.info("process {} reconfigured: {}{}", id, outcome.state(), outcome.reason().map(r -> ": " + r).orElse(""));
  }

  /**
   * ResumeProcessMessage with the state the process saved. A refusal (say, a new version that
   * cannot read an old version's state) leaves it FAILED with the process's reason and the state
   * kept: upgrading back, or to a version that can read it, resumes from it.
   */
  private ConfigureOutcome resume(Process process, SavedState saved) throws InterruptedException {
    ProcessProto.ResumeProcessMessage resume = ProcessProto.ResumeProcessMessage.newBuilder()
        .setProcessId(process.id()).setStateData(com.google.protobuf.ByteString.copyFrom(saved.data())).build();
    try {
      ConfigureOutcome outcome = ConfigureOutcome.of(processes.call(process.id(), Processes.Transport.of(process),
          resume, settings.configureBudget()));
      return outcome.state() == ProcessState.RUNNING ? outcome : new ConfigureOutcome(ProcessState.FAILED,
          Optional.of("cannot resume from the state saved by version " + saved.serviceVersion() + " at "
              + saved.savedAt() + ": " + outcome.reason().orElse("")));
    } catch (ManagementException e) {
      return new ConfigureOutcome(ProcessState.FAILED, Optional.of("cannot resume the process: " + e.getMessage()));
    }
  }

  /** SetConfigMessage with the stored configuration, and what the process's answer makes of it. */
  private ConfigureOutcome sendConfiguration(Process process, boolean isUpdate) throws InterruptedException {
    ProcessProto.SetConfigMessage setConfig = ProcessProto.SetConfigMessage.newBuilder()
        .setProcessId(process.id()).setIsUpdate(isUpdate).putAllConfig(process.configuration()).build();
    try {
      return ConfigureOutcome.of(processes.call(process.id(), Processes.Transport.of(process), setConfig,
          settings.configureBudget()));
    } catch (ManagementException e) {
      return new ConfigureOutcome(ProcessState.FAILED, Optional.of("cannot " + (isUpdate ? "reconfigure" : "configure")
          + " the process: " + e.getMessage()));
    }
  }

  /**
   * Removes a process: marks it TERMINATED, drops the changes still waiting on it and queues its
   * teardown ({@link #tearDown}), then waits a while for that. Returns the change when it is not
   * done yet (the API answers 202 with it), empty when the process is gone.
   */
  public Optional<PendingChange> terminate(String id, User caller)
      throws Refusal.NotFound, InterruptedException {
    Process process = get(id, caller);
    store.updateState(id, ProcessState.TERMINATED, Optional.empty());
    changes.cancelPendingOf(id);
    PendingChange change = changes.submit(Kind.TERMINATE_PROCESS, Optional.of(id), Optional.empty(), process.userId(),
        PAYLOAD.createObjectNode().put("wasRunning", process.state() == ProcessState.RUNNING).toString());
    PendingChange settled = workers.await(change.id(), settings.requestWait());
    return settled.state() == PendingChange.State.DONE ? Optional.empty() : Optional.of(settled);
  }

  /**
   * TERMINATE_PROCESS: its connections (TERMINATE on the other ends), a polite GoToProcessState
   * TERMINATED when it ran (bounded), its Swarm service, its record. Idempotent: each step is a
   * no-op when already done.
   */
  void tearDown(PendingChange change) throws SwarmException, InterruptedException {
    String id = change.processId().orElseThrow();
    Optional<Process> found = store.findProcess(id);
    if (found.isPresent()) {
      connections.dropAll(found.get());
      if (wasRunning(change)) {
        ProcessProto.GoToProcessStateMessage goTo = ProcessProto.GoToProcessStateMessage.newBuilder()
            .setProcessId(id).setTargetState(ProcessProto.ProcessState.TERMINATED).build();
        try {
          processes.call(id, Processes.Transport.of(found.get()), goTo, settings.terminateBudget());
        } catch (ManagementException e) {
          // Best effort by design: the service is removed next whatever the process says.
          LOG.info("process {} did not confirm TERMINATED ({}); removing its service anyway", id, e.getMessage());
        }
      }
    }
    processes.forget(id);
    callers.remove(id);
    swarm.removeService(id);
    store.deleteProcess(id);
    LOG.info("terminated process {}", id);
  }

  private static boolean wasRunning(PendingChange change) {
    try {
      return PAYLOAD.readTree(change.payload()).path("wasRunning").asBoolean(false);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return false;
    }
  }

  /**
   * Brings the Swarm in line with the store ({@link Reconciliation}): queues a change for each
   * difference. Returns what it queued. Also forgets finished changes older than a day, joins the
   * orchestrator to any user network it is not on, and removes the networks of users that no
   * longer exist ({@link #userGone} missed them, or they were deleted while this instance was down).
   */
  public List<Reconciliation.Action> reconcile() throws SwarmException, InterruptedException {
    Set<String> busy = changes.busyProcesses();
    List<Process> all = store.listProcesses(); // one read of every process per round
    List<Reconciliation.Action> actions = Reconciliation.plan(all,
        new HashSet<>(swarm.managedServices()), busy, clock.instant());
    for (Reconciliation.Action a : actions) {
      LOG.info("reconcile: {} process {}: {}", a.kind(), a.processId(), a.why());
      changes.submit(a.kind(), Optional.of(a.processId()), Optional.empty(), a.userId(), "{}");
    }
    changes.deleteFinishedBefore(clock.instant().minus(Duration.ofDays(1)));
    observeTasks(all, busy);
    swarm.joinUserNetworks();
    for (String userId : swarm.userNetworks()) {
      // A user owning processes cannot be deleted, so a missing user's network has none of theirs left.
      if (users.apply(userId).isEmpty()) {
        LOG.info("reconcile: removing the network of user {}, who no longer exists", userId);
        swarm.removeUserNetwork(userId);
      }
    }
    return actions;
  }

  /**
   * A user was deleted: their network goes too. Best effort: a failure is logged and the
   * reconciler removes the network later.
   */
  public void userGone(String userId) {
    try {
      swarm.removeUserNetwork(userId);
      LOG.info("removed the network of deleted user {}", userId);
    } catch (SwarmException e) {
      LOG.warn("could not remove the network of deleted user {} (the reconciler tries again): {}", userId,
          e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * What Swarm says of each process's task now: the node it runs on (the reservations placement
   * counts per node), and whether it has one at all. A RUNNING process whose task has no node is not
   * running any more, though nobody told us: its node went away, or was handed to another user, and
   * Swarm has nowhere else to put it. It shows STARTING, with what it waits for as its reason
   * ({@link Waiting}), until a container of it calls the trigger.
   */
  private void observeTasks(List<Process> all, Set<String> busy) throws SwarmException {
    Map<String, String> running = swarm.taskNodes();
    List<org.defpi.orchestrator.node.Node> known = null;
    for (Process p : all) {
      Optional<String> now = Optional.ofNullable(running.get(p.id()));
      if (!now.equals(p.runsOn())) {
        store.updateRunsOn(p.id(), now);
      }
      if (busy.contains(p.id()) || p.state() != ProcessState.RUNNING && p.state() != ProcessState.STARTING) {
        continue;
      }
      if (now.isEmpty()) {
        known = known == null ? nodes.all() : known;
        Optional<String> why = Optional.of(Waiting.reason(p.placement().target(), known));
        if (p.state() != ProcessState.STARTING || !p.reason().equals(why)) {
          LOG.info("reconcile: process {} ({}, last on {}) has no node for its task: {}", p.id(), p.state(),
              p.runsOn().orElse("no node"), why.get());
          setIfUnchanged(p, why);
        }
      } else if (p.state() == ProcessState.STARTING && p.reason().isPresent()) {
        setIfUnchanged(p, Optional.empty()); // placed again: its container will call
      }
    }
  }

  /**
   * STARTING with this reason, unless the process changed since the reconciler read it (a container
   * that called meanwhile made it RUNNING, which must stand). Read again just before: the window
   * left is a write between two statements.
   */
  private void setIfUnchanged(Process seen, Optional<String> reason) {
    Optional<Process> now = store.findProcess(seen.id());
    if (now.isPresent() && now.get().state() == seen.state() && now.get().reason().equals(seen.reason())) {
      store.updateState(seen.id(), ProcessState.STARTING, reason);
    }
  }

  public String logs(String id, int tail, User caller) throws Refusal.NotFound, SwarmException, InterruptedException {
    get(id, caller);
    return swarm.logs(id, tail);
  }

  /** The process's output, followed as it comes (see {@link Swarm#followLogs}); blocks. */
  public void followLogs(String id, int tail, User caller, Swarm.LogSink sink)
      throws Refusal.NotFound, SwarmException, InterruptedException {
    get(id, caller);
    swarm.followLogs(id, tail, sink);
  }

  private static Refusal.NotFound notFound(String id) {
    return new Refusal.NotFound("process '" + id + "' does not exist");
  }

  /** Now, to the microsecond the store keeps, so a record reads back as it was made. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
