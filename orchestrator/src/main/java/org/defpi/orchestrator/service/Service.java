package org.defpi.orchestrator.service;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A service as the registry shows it: all its tags, and the version a process gets when it names
 * none ({@code defaultVersion}: the version tag that {@code latest} points to).
 */
public record Service(String id, Optional<Image.Valid> defaultImage, List<Image> images) {
  public Service {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(defaultImage, "defaultImage");
    images = List.copyOf(images);
  }

  /** The service's display name from the default image's labels, else its id. */
  public String name() {
    return defaultImage.map(i -> i.labels().serviceName()).orElse(id);
  }
}
