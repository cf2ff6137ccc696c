package org.defpi.orchestrator.service;

import java.util.List;

/**
 * What the service manager needs from the image registry (implemented by the {@code registry}
 * connector over the Docker Registry HTTP API v2).
 */
public interface Registry {
  /** Ids of the services that have a repository under {@code services/}, sorted. */
  List<String> serviceIds() throws RegistryException;

  /**
   * Every tag of {@code services/<serviceId>} with what its labels say; an image whose labels are
   * missing or malformed is an {@link Image.Invalid}, never an exception. Empty for an unknown
   * service.
   */
  List<Image> images(String serviceId) throws RegistryException;

  /** The reference Swarm pulls the image by: {@code <prefix>/services/<serviceId>:<tag>@<digest>}. */
  String imageReference(String serviceId, String tag, String digest);

  /** The registry could not be reached or answered something unreadable. */
  final class RegistryException extends Exception {
    public RegistryException(String message) {
      super(message);
    }

    public RegistryException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
