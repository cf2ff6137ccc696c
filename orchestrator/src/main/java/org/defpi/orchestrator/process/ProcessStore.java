package org.defpi.orchestrator.process;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.defpi.wire.label.InterfaceLabel;

/** Where process records live (implemented by the {@code store} connector). */
public interface ProcessStore {
  void insert(Process process);

  Optional<Process> findProcess(String id);

  /** All processes, oldest first. */
  List<Process> listProcesses();

  /** Sets state and reason; false when the process no longer exists. */
  boolean updateState(String id, ProcessState state, Optional<String> reason);

  /** Sets name and configuration; false when the process no longer exists or is being terminated. */
  boolean updateDefinition(String id, String name, Map<String, String> configuration);

  /**
   * Sets what the process runs (an upgrade): version, pinned image and the interfaces its labels
   * declare; false when the process no longer exists or is being terminated.
   */
  boolean updateDeployment(String id, String version, String image, List<InterfaceLabel> interfaces,
      List<String> architectures);

  /** Sets where it may run (a move); false when the process no longer exists or is being terminated. */
  boolean updateTarget(String id, Target target);

  /** Sets the node its task runs on (empty: none); false when the process no longer exists. */
  boolean updateRunsOn(String id, Optional<String> nodeId);

  /**
   * Records what its last trigger call said of TLS ({@code X-Defpi-Tls: 1}); false when the process
   * no longer exists or is being terminated.
   */
  boolean updateTls(String id, boolean tls);

  /** False when it did not exist. */
  boolean deleteProcess(String id);
}
