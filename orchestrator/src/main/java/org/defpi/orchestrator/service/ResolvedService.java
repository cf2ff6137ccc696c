package org.defpi.orchestrator.service;

import java.util.List;
import java.util.Objects;
import org.defpi.wire.label.ServiceLabels;

/**
 * The one image a new process runs: a concrete version, its labels and the reference Swarm pulls.
 *
 * @param architectures what the image is built for; empty when unknown
 */
public record ResolvedService(String serviceId, String version, ServiceLabels labels, String imageReference,
    List<String> architectures) {
  public ResolvedService {
    Objects.requireNonNull(serviceId, "serviceId");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(imageReference, "imageReference");
    architectures = List.copyOf(architectures);
  }
}
