package org.defpi.orchestrator.process;

import java.util.Optional;

/**
 * Where the state of a suspended process is kept durably until it has resumed (implemented by the
 * {@code store} connector). The orchestrator may die between suspend and resume: what the process
 * handed over must not die with it.
 */
public interface SavedStateStore {
  /** Keeps {@code state}, replacing one kept before; false when the process no longer exists. */
  boolean save(SavedState state);

  Optional<SavedState> find(String processId);

  /** False when none was kept. */
  boolean delete(String processId);
}
