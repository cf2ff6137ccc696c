package org.defpi.orchestrator.process;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a process answered when it was suspended for a move or an upgrade: its state, opaque to the
 * orchestrator, to be handed to the process in its new container (ResumeProcessMessage).
 *
 * @param serviceVersion the version of the service that saved it (the upgrade may change it)
 */
public record SavedState(String processId, byte[] data, String serviceVersion, Instant savedAt) {
  public SavedState {
    Objects.requireNonNull(processId, "processId");
    data = data.clone();
    Objects.requireNonNull(serviceVersion, "serviceVersion");
    Objects.requireNonNull(savedAt, "savedAt");
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SavedState s && processId.equals(s.processId) && Arrays.equals(data, s.data)
        && serviceVersion.equals(s.serviceVersion) && savedAt.equals(s.savedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(processId, Arrays.hashCode(data), serviceVersion, savedAt);
  }

  @Override
  public String toString() {
    return "SavedState[processId=" + processId + ", " + data.length + " bytes, serviceVersion=" + serviceVersion
        + ", savedAt=" + savedAt + "]";
  }
}
