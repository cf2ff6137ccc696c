package org.defpi.orchestrator.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.service.Registry.RegistryException;

/** Services are what the registry holds: this manager reads them and picks the image a process runs. */
public final class ServiceManager {
  static final String LATEST = "latest";

  private final Registry registry;

  public ServiceManager(Registry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  public List<Service> list() throws RegistryException {
    List<Service> services = new ArrayList<>();
    for (String id : registry.serviceIds()) {
      List<Image> images = registry.images(id);
      if (!images.isEmpty()) {
        services.add(new Service(id, defaultImage(images), images));
      }
    }
    return services;
  }

  public Service get(String serviceId) throws RegistryException, Refusal.NotFound {
    List<Image> images = registry.images(serviceId);
    if (images.isEmpty()) {
      throw new Refusal.NotFound("service '" + serviceId + "' has no image in the registry");
    }
    return new Service(serviceId, defaultImage(images), images);
  }

  /**
   * The image a new process of {@code serviceId} runs, and the configuration it gets; refuses an
   * unknown service or version, an image with invalid labels and a configuration that does not fit
   * the service's parameters.
   */
  public ResolvedService resolve(String serviceId, Optional<String> version, Map<String, String> configuration)
      throws RegistryException, Refusal.Unprocessable {
    List<Image> images = registry.images(serviceId);
    if (images.isEmpty()) {
      throw new Refusal.Unprocessable("service '" + serviceId + "' has no image in the registry");
    }
    Image image;
    if (version.isEmpty() || version.get().equals(LATEST)) {
      // An invalid 'latest' is reported as such below rather than silently replaced.
      image = defaultImage(images).map(Image.class::cast)
          .or(() -> images.stream().filter(i -> i.tag().equals(LATEST)).findFirst())
          .orElseThrow(() -> new Refusal.Unprocessable("service '" + serviceId + "' has no valid image; its tags are "
              + images.stream().map(Image::tag).toList()));
    } else {
      image = images.stream().filter(i -> i.tag().equals(version.get())).findFirst()
          .orElseThrow(() -> new Refusal.Unprocessable("service '" + serviceId + "' has no version '" + version.get()
              + "'; it has " + images.stream().map(Image::tag).toList()));
    }
    return switch (image) {
      case Image.Invalid invalid -> throw new Refusal.Unprocessable("image " + serviceId + ":" + invalid.tag()
          + " cannot be run: " + invalid.reason());
      case Image.Valid valid -> {
        List<String> problems = ConfigurationCheck.problems(valid.labels().parameters(), configuration);
        if (!problems.isEmpty()) {
          throw new Refusal.Unprocessable("configuration does not fit " + serviceId + ":" + valid.tag() + ": "
              + String.join("; ", problems));
        }
        yield new ResolvedService(serviceId, valid.tag(), valid.labels(),
            registry.imageReference(serviceId, valid.tag(), valid.digest()));
      }
    };
  }

  /**
   * The image a process gets when it names no version. When there is a {@code latest} tag: the
   * version tag with the same digest (the highest in String order if several), else {@code latest}
   * itself; none if {@code latest} is invalid. Without a {@code latest} tag: the highest valid tag.
   */
  static Optional<Image.Valid> defaultImage(List<Image> images) {
    Optional<Image> latest = images.stream().filter(i -> i.tag().equals(LATEST)).findFirst();
    if (latest.isEmpty()) {
      return images.stream().filter(Image.Valid.class::isInstance).map(Image.Valid.class::cast)
          .max((a, b) -> a.tag().compareTo(b.tag()));
    }
    if (!(latest.get() instanceof Image.Valid latestValid)) {
      return Optional.empty();
    }
    return images.stream()
        .filter(i -> !i.tag().equals(LATEST) && i.digest().equals(latestValid.digest()))
        .filter(Image.Valid.class::isInstance)
        .map(Image.Valid.class::cast)
        .max((a, b) -> a.tag().compareTo(b.tag()))
        .or(() -> Optional.of(latestValid));
  }
}
