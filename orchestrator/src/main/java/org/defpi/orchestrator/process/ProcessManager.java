package org.defpi.orchestrator.process;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.defpi.orchestrator.Ids;
import org.defpi.orchestrator.Refusal;
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
 * <p>Order matters: a process is stored with its token <em>before</em> its Swarm service exists,
 * because a container's first act is the trigger call and an original dEF-Pi process exits for good
 * when that call fails (WIRE.md section 8). The trigger is answered at once; configuring runs on
 * the executor, one run per process at a time.
 */
public final class ProcessManager {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessManager.class);
  static final int MAX_NAME_LENGTH = 128;

  /**
   * @param orchestratorHost how processes reach the orchestrator (ORCHESTRATOR_HOST)
   * @param orchestratorPort ditto (ORCHESTRATOR_PORT)
   * @param configureBudget the most one configuration may take: connecting (the process may still be
   *     starting) and its answer to SetConfigMessage
   * @param terminateBudget the most the polite GoToProcessState TERMINATED may take on removal
   */
  public record Settings(String orchestratorHost, int orchestratorPort, Duration configureBudget, Duration terminateBudget) {
    public Settings {
      Objects.requireNonNull(orchestratorHost, "orchestratorHost");
      Objects.requireNonNull(configureBudget, "configureBudget");
      Objects.requireNonNull(terminateBudget, "terminateBudget");
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
  private final PerProcessQueue configureQueue;

  public ProcessManager(ServiceManager services, ProcessStore store, Swarm swarm, Processes processes,
      ProcessConnections connections, Ids ids, Clock clock, Executor executor, Settings settings) {
    this.services = Objects.requireNonNull(services, "services");
    this.store = Objects.requireNonNull(store, "store");
    this.swarm = Objects.requireNonNull(swarm, "swarm");
    this.processes = Objects.requireNonNull(processes, "processes");
    this.connections = Objects.requireNonNull(connections, "connections");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.configureQueue = new PerProcessQueue(executor, this::configure);
  }

  /**
   * Stores the process (STARTING) and creates its Swarm service. If Swarm refuses, the process is
   * kept as FAILED with the reason, so the caller sees why and can remove it.
   */
  public Process create(NewProcess request, User user) throws Refusal, RegistryException {
    if (request.name().isBlank() || request.name().length() > MAX_NAME_LENGTH) {
      throw new Refusal.Unprocessable("name must be 1 to " + MAX_NAME_LENGTH + " characters and not blank");
    }
    ResolvedService resolved = services.resolve(request.serviceId(), request.version(), request.configuration());
    Process process = new Process(ids.newId(), resolved.serviceId(), request.name(), resolved.version(), user.id(),
        ProcessState.STARTING, Optional.empty(), request.configuration(), now(),
        resolved.imageReference(), resolved.labels().interfaces(), new Token(ids.newToken()));
    store.insert(process);
    try {
      swarm.createService(new Swarm.ProcessService(process.id(), process.image(), environment(process, user, settings)));
    } catch (SwarmException e) {
      String reason = "Swarm did not create the service: " + e.getMessage();
      store.updateState(process.id(), ProcessState.FAILED, Optional.of(reason));
      return process.withState(ProcessState.FAILED, Optional.of(reason));
    }
    LOG.info("created process {} ({} {}) from {}", process.id(), process.serviceId(), process.version(), process.image());
    return process;
  }

  /** The env of a process's container (WIRE.md section 4). */
  static Map<String, String> environment(Process process, User user, Settings settings) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("ORCHESTRATOR_HOST", settings.orchestratorHost());
    env.put("ORCHESTRATOR_PORT", Integer.toString(settings.orchestratorPort()));
    env.put("ORCHESTRATOR_TOKEN", process.token().value());
    env.put("PROCESS_ID", process.id());
    env.put("USER_ID", user.id());
    env.put("USER_NAME", user.name());
    env.put("USER_EMAIL", user.email().orElse(""));
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
    configureQueue.request(id);
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
    ProcessProto.SetConfigMessage setConfig = ProcessProto.SetConfigMessage.newBuilder()
        .setProcessId(id).setIsUpdate(false).putAllConfig(process.configuration()).build();
    ConfigureOutcome outcome;
    try {
      outcome = ConfigureOutcome.of(processes.call(id, setConfig, settings.configureBudget()));
    } catch (ManagementException e) {
      outcome = new ConfigureOutcome(ProcessState.FAILED, Optional.of("cannot configure the process: " + e.getMessage()));
    }
    if (!store.updateState(id, outcome.state(), outcome.reason())) {
      return; // removed meanwhile
    }
    LOG.info("process {} is {}{}", id, outcome.state(), outcome.reason().map(r -> ": " + r).orElse(""));
    if (outcome.state() == ProcessState.RUNNING) {
      connections.restore(process.withState(ProcessState.RUNNING, Optional.empty()));
    }
  }

  /**
   * Removes a process: its connections (TERMINATE on the other ends), a polite GoToProcessState
   * TERMINATED when it runs (bounded), its Swarm service, its record.
   */
  public void terminate(String id, User caller) throws Refusal.NotFound, SwarmException, InterruptedException {
    Process process = get(id, caller);
    store.updateState(id, ProcessState.TERMINATED, Optional.empty());
    connections.dropAll(process);
    if (process.state() == ProcessState.RUNNING) {
      ProcessProto.GoToProcessStateMessage goTo = ProcessProto.GoToProcessStateMessage.newBuilder()
          .setProcessId(id).setTargetState(ProcessProto.ProcessState.TERMINATED).build();
      try {
        processes.call(id, goTo, settings.terminateBudget());
      } catch (ManagementException e) {
        // Best effort by design: the service is removed next whatever the process says.
        LOG.info("process {} did not confirm TERMINATED ({}); removing its service anyway", id, e.getMessage());
      }
    }
    processes.forget(id);
    swarm.removeService(id);
    store.deleteProcess(id);
    LOG.info("terminated process {}", id);
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
