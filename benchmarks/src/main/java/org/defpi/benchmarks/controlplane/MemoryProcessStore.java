package org.defpi.benchmarks.controlplane;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.process.ProcessState;
import org.defpi.orchestrator.process.ProcessStore;
import org.defpi.orchestrator.process.Target;
import org.defpi.wire.label.InterfaceLabel;

/**
 * Process records in a map, for timing what the reconciler decides without what the database costs:
 * it keeps the real store's rules that matter to the reconciler (oldest first; TERMINATED is final).
 */
final class MemoryProcessStore implements ProcessStore {
  private static final Comparator<Process> OLDEST_FIRST = Comparator.comparing(Process::createdAt)
      .thenComparing(Process::id);
  private final Map<String, Process> byId = new ConcurrentHashMap<>();

  MemoryProcessStore(List<Process> processes) {
    processes.forEach(this::insert);
  }

  @Override
  public void insert(Process process) {
    if (byId.putIfAbsent(process.id(), process) != null) {
      throw new IllegalArgumentException("process " + process.id() + " exists already");
    }
  }

  @Override
  public Optional<Process> findProcess(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public List<Process> listProcesses() {
    return byId.values().stream().sorted(OLDEST_FIRST).toList();
  }

  @Override
  public boolean updateState(String id, ProcessState state, Optional<String> reason) {
    return change(id, p -> p.withState(state, reason));
  }

  @Override
  public boolean updateDefinition(String id, String name, Map<String, String> configuration) {
    return change(id, p -> new Process(p.id(), p.serviceId(), name, p.version(), p.userId(), p.state(), p.reason(),
        configuration, p.createdAt(), p.image(), p.interfaces(), p.token(), p.placement(), p.architectures(),
        p.runsOn()));
  }

  @Override
  public boolean updateDeployment(String id, String version, String image, List<InterfaceLabel> interfaces,
      List<String> architectures) {
    return change(id, p -> p.withDeployment(version, image, interfaces, architectures));
  }

  @Override
  public boolean updateTarget(String id, Target target) {
    return change(id, p -> p.withTarget(target));
  }

  @Override
  public boolean updateRunsOn(String id, Optional<String> nodeId) {
    return byId.computeIfPresent(id, (k, p) -> p.withRunsOn(nodeId)) != null;
  }

  @Override
  public boolean updateTls(String id, boolean tls) {
    return byId.computeIfPresent(id, (k, p) -> p.withTls(tls)) != null;
  }

  @Override
  public boolean deleteProcess(String id) {
    return byId.remove(id) != null;
  }

  /** As the real store: a TERMINATED process is not changed any more (its runsOn aside). */
  private boolean change(String id, UnaryOperator<Process> how) {
    boolean[] took = {false};
    byId.computeIfPresent(id, (k, p) -> {
      if (p.state() == ProcessState.TERMINATED) {
        return p;
      }
      took[0] = true;
      return how.apply(p);
    });
    return took[0];
  }
}
