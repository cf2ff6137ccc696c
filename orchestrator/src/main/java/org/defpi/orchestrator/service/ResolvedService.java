package org.defpi.orchestrator.service;

import java.util.Objects;
import org.defpi.wire.label.ServiceLabels;

/** The one image a new process runs: a concrete version, its labels and the reference Swarm pulls. */
public record ResolvedService(String serviceId, String version, ServiceLabels labels, String imageReference) {
  public ResolvedService {
    Objects.requireNonNull(serviceId, "serviceId");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(imageReference, "imageReference");
  }
}
