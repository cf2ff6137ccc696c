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
import org.defpi.orchestrator.pendingchange.ChangeFailed;
import org.defpi.orchestrator.pendingchange.ChangeHandler;
import org.defpi.orchestrator.pendingchange.PendingChange;
import org.defpi.orchestrator.pendingchange.PendingChange.Kind;
import org.defpi.orchestrator.pendingchange.PendingChanges;
import org.defpi.orchestrator.pendingchange.Workers;
import org.defpi.orchestrator.process.Processes.ManagementException;
import org.defpi.orchestrator.process.Swarm.SwarmException;
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
   */
  public record Settings(String orchestratorHost, int orchestratorPort, Duration configureBudget, Duration terminateBudget,
      Duration requestWait) {
    public Settings {
      Objects.requireNonNull(orchestratorHost, "orchestratorHost");
      Objects.requireNonNull(configureBudget, "configureBudget");
      Objects.requireNonNull(terminateBudget, "terminateBudget");
      Objects.requireNonNull(requestWait, "requestWait");
    }

    /** With the default wait of a request for its change: 30 s. */
    public Settings(String orchestratorHost, int orchestratorPort, Duration configureBudget, Duration terminateBudget) {
      this(orchestratorHost, orchestratorPort, configureBudget, terminateBudget, Duration.ofSeconds(30));
    }
  }

  /** A request for a new process; {@code version} empty means the version {@code latest} points to. */
  public record NewProcess(String serviceId, String name, Optional<String> version, Map<String, String> configuration) {
    public NewProcess {
      Objects.requireNonNull(serviceId, "serviceId");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(version, "version");
      configuration = Map.copyOf(configuration);
    }
  }

  private final ServiceManager services;
  private final ProcessStore store;
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

  public ProcessManager(ServiceManager services, ProcessStore store, Swarm swarm, Processes processes,
      ProcessConnections connections, Ids ids, Clock clock, PendingChanges changes, Workers workers,
      Function<String, Optional<User>> users, Settings settings) {
    this.services = Objects.requireNonNull(services, "services");
    this.store = Objects.requireNonNull(store, "store");
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
        Kind.TERMINATE_PROCESS, this::tearDown);
  }

  /**
   * Stores the process (STARTING) and a change that creates its Swarm service, and waits a while
   * for that. If Swarm refuses for good, the process is FAILED with the reason, so the caller sees
   * why and can remove it.
   */
  public Process create(NewProcess request, User user) throws Refusal, RegistryException, InterruptedException {
    if (request.name().isBlank() || request.name().length() > MAX_NAME_LENGTH) {
      throw new Refusal.Unprocessable("name must be 1 to " + MAX_NAME_LENGTH + " characters and not blank");
    }
    ResolvedService resolved = services.resolve(request.serviceId(), request.version(), request.configuration());
    Process process = new Process(ids.newId(), resolved.serviceId(), request.name(), resolved.version(), user.id(),
        ProcessState.STARTING, Optional.empty(), request.configuration(), now(),
        resolved.imageReference(), resolved.labels().interfaces(), new Token(ids.newToken()));
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
    swarm.createService(new Swarm.ProcessService(process.id(), process.userId(), process.image(), environment(process, owner.name(),
        owner.email().orElse(""), settings)));
    LOG.info("created the service of process {} ({} {}) from {}", id, process.serviceId(), process.version(),
        process.image());
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

  private Process get(String id) throws Refusal.NotFound {
    return store.findProcess(id).orElseThrow(() -> notFound(id));
  }

  /**
   * The trigger call of WIRE.md section 4: checks the token and queues the configuration. Returns at
   * once; the caller answers 204.
   */
  public void trigger(String id, String presentedToken) throws Refusal {
    // The token first: without one, whether the process exists is none of the caller's business.
    if (presentedToken == null || presentedToken.isEmpty()) {
      throw new Refusal.Unauthorized("the trigger call needs the process's token in X-Auth-Token",
          Refusal.Unauthorized.Challenge.PROCESS_TOKEN);
    }
    Process process = get(id);
    if (!process.token().matches(presentedToken)) {
      throw new Refusal.Forbidden("X-Auth-Token does not match the token of process " + id);
    }
    if (process.state() == ProcessState.TERMINATED) {
      throw new Refusal.Conflict("process " + id + " is being terminated");
    }
    // A burst of triggers configures once more, not once per trigger: one waiting CONFIGURE is enough.
    boolean waiting = changes.unfinishedOf(id).stream()
        .anyMatch(c -> c.kind() == Kind.CONFIGURE_PROCESS && c.state() == PendingChange.State.PENDING);
    if (!waiting) {
      changes.submit(Kind.CONFIGURE_PROCESS, Optional.of(id), Optional.empty(), process.userId(), "{}");
    }
  }

  /** Configures a triggered process: SetConfigMessage, then its connections. Records the outcome. */
  void configure(String id) throws InterruptedException {
    Optional<Process> found = store.findProcess(id);
    if (found.isEmpty() || found.get().state() == ProcessState.TERMINATED) {
      return;
    }
    Process process = found.get();
    if (process.state() != ProcessState.STARTING) {
      // A trigger from a RUNNING or FAILED process: its container restarted and starts afresh.
      LOG.info("process {} was {} and called the trigger again: configuring it afresh", id, process.state());
      store.updateState(id, ProcessState.STARTING, Optional.empty());
    }
    ConfigureOutcome outcome = sendConfiguration(process, false);
    if (!store.updateState(id, outcome.state(), outcome.reason())) {
      return; // removed meanwhile
    }
    LOG.info("process {} is {}{}", id, outcome.state(), outcome.reason().map(r -> ": " + r).orElse(""));
    if (outcome.state() == ProcessState.RUNNING) {
      Process running = process.withState(ProcessState.RUNNING, Optional.empty());
      connections.restore(running);
      int made = connections.autoConnect(running);
      if (made > 0) {
        LOG.info("process {}: {} connection(s) made by autoConnect", id, made);
      }
    }
  }

  /** What a change of a process may set: empty fields are left as they are. */
  public record ProcessUpdate(Optional<String> name, Optional<Map<String, String>> configuration) {
    public ProcessUpdate {
      Objects.requireNonNull(name, "name");
      configuration = configuration.map(Map::copyOf);
    }
  }

  /**
   * Renames and/or reconfigures a process. A new configuration is checked against the parameters
   * of the process's service version, stored, and sent to the process as an update
   * (SetConfigMessage isUpdate=true) by a CONFIGURE change; a process not yet configured simply
   * gets it with its first configuration.
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
    if (update.configuration().isPresent()) {
      services.resolve(process.serviceId(), Optional.of(process.version()), configuration); // refuses what does not fit
    }
    if (!store.updateDefinition(id, name, configuration)) {
      throw new Refusal.Conflict("process " + id + " is being terminated");
    }
    if (update.configuration().isPresent() && !configuration.equals(process.configuration())) {
      PendingChange change = changes.submit(Kind.CONFIGURE_PROCESS, Optional.of(id), Optional.empty(),
          process.userId(), PAYLOAD.createObjectNode().put("isUpdate", true).toString());
      workers.await(change.id(), settings.requestWait());
    }
    return store.findProcess(id).orElseThrow(() -> notFound(id));
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

  /** SetConfigMessage with the stored configuration, and what the process's answer makes of it. */
  private ConfigureOutcome sendConfiguration(Process process, boolean isUpdate) throws InterruptedException {
    ProcessProto.SetConfigMessage setConfig = ProcessProto.SetConfigMessage.newBuilder()
        .setProcessId(process.id()).setIsUpdate(isUpdate).putAllConfig(process.configuration()).build();
    try {
      return ConfigureOutcome.of(processes.call(process.id(), setConfig, settings.configureBudget()));
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
          processes.call(id, goTo, settings.terminateBudget());
        } catch (ManagementException e) {
          // Best effort by design: the service is removed next whatever the process says.
          LOG.info("process {} did not confirm TERMINATED ({}); removing its service anyway", id, e.getMessage());
        }
      }
    }
    processes.forget(id);
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
    Set<String> busy = new HashSet<>();
    for (PendingChange c : changes.list()) {
      if (!c.state().finished()) {
        c.processId().ifPresent(busy::add);
      }
    }
    List<Reconciliation.Action> actions = Reconciliation.plan(store.listProcesses(),
        new HashSet<>(swarm.managedServices()), busy, clock.instant());
    for (Reconciliation.Action a : actions) {
      LOG.info("reconcile: {} process {}: {}", a.kind(), a.processId(), a.why());
      changes.submit(a.kind(), Optional.of(a.processId()), Optional.empty(), a.userId(), "{}");
    }
    changes.deleteFinishedBefore(clock.instant().minus(Duration.ofDays(1)));
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

  public String logs(String id, int tail, User caller) throws Refusal.NotFound, SwarmException, InterruptedException {
    get(id, caller);
    return swarm.logs(id, tail);
  }

  private static Refusal.NotFound notFound(String id) {
    return new Refusal.NotFound("process '" + id + "' does not exist");
  }

  /** Now, to the microsecond the store keeps, so a record reads back as it was made. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
