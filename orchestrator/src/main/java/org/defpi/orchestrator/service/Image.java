package org.defpi.orchestrator.service;

import java.util.List;
import java.util.Objects;
import org.defpi.wire.label.ServiceLabels;

/** One tag of a service's repository and what its labels say. */
public sealed interface Image {
  String serviceId();

  String tag();

  /** The manifest digest the tag points to ({@code sha256:…}). */
  String digest();

  /**
   * An image whose labels follow WIRE.md section 3.
   *
   * @param architectures the platforms it is built for (amd64, arm64, arm, ...: linux only), from its
   *     index or config; empty when the registry did not say
   */
  record Valid(String serviceId, String tag, String digest, ServiceLabels labels, List<String> architectures)
      implements Image {
    public Valid {
      Objects.requireNonNull(serviceId, "serviceId");
      Objects.requireNonNull(tag, "tag");
      Objects.requireNonNull(digest, "digest");
      Objects.requireNonNull(labels, "labels");
      architectures = List.copyOf(architectures);
    }
  }

  /** An image that cannot be run as a service; {@code reason} says why. */
  record Invalid(String serviceId, String tag, String digest, String reason) implements Image {
    public Invalid {
      Objects.requireNonNull(serviceId, "serviceId");
      Objects.requireNonNull(tag, "tag");
      Objects.requireNonNull(digest, "digest");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
