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
  private final Optional<ServiceCatalog> catalog;

  /** Reads the registry on every request. */
  public ServiceManager(Registry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.catalog = Optional.empty();
  }

  /**
   * Answers from {@code catalog}'s snapshot of {@code registry}; a service or version missing there
   * is looked up in the registry itself, and makes the catalog refresh soon.
   */
  public ServiceManager(Registry registry, ServiceCatalog catalog) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.catalog = Optional.of(catalog);
  }

  /** A registry repository name component (distribution's grammar), as a service id must be. */
  private static final java.util.regex.Pattern SERVICE_ID =
      java.util.regex.Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  /** An image tag (distribution's grammar). */
  private static final java.util.regex.Pattern TAG = java.util.regex.Pattern.compile("[\\w][\\w.-]{0,127}");

  /** The catalog's last good read of the registry and any later failure; empty without a catalog. */
  public Optional<ServiceCatalog.Status> catalogStatus() {
    return catalog.map(ServiceCatalog::status);
  }

  public List<Service> list() throws RegistryException {
    if (catalog.isPresent()) {
      return catalog.get().snapshot().list();
    }
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
    List<Image> images = images(serviceId, Optional.empty());
    if (images.isEmpty()) {
      throw new Refusal.NotFound("service '" + serviceId + "' has no image in the registry");
    }
    return new Service(serviceId, defaultImage(images), images);
  }

  /**
   * The images of {@code serviceId}: from the snapshot when it has the service (and {@code version},
   * if one is named), else from the registry itself, and then, if that differs, the snapshot is
   * refreshed soon.
   */
  private List<Image> images(String serviceId, Optional<String> version) throws RegistryException {
    if (serviceId.length() > 128 || !SERVICE_ID.matcher(serviceId).matches()
        || version.map(v -> !TAG.matcher(v).matches()).orElse(false)) {
      return List.of(); // cannot name an image: no need to ask the registry, which may answer 500
    }
    if (catalog.isEmpty()) {
      return registry.images(serviceId);
    }
    Service known = catalog.get().snapshot().services().get(serviceId);
    if (known != null && version.map(v -> known.images().stream().anyMatch(i -> i.tag().equals(v))).orElse(true)) {
      return known.images();
    }
    List<Image> fresh = registry.images(serviceId);
    // Only a snapshot that turned out stale is refreshed: lookups of ids that exist nowhere cost no
    // full read of the registry each.
    if (!fresh.equals(known == null ? List.of() : known.images())) {
      catalog.get().refreshSoon();
    }
    return fresh;
  }

  /**
   * The image a new process of {@code serviceId} runs, and the configuration it gets; refuses an
   * unknown service or version, an image with invalid labels and a configuration that does not fit
   * the service's parameters.
   */
  public ResolvedService resolve(String serviceId, Optional<String> version, Map<String, String> configuration)
      throws RegistryException, Refusal.Unprocessable {
    List<Image> images = images(serviceId, version.filter(v -> !v.equals(LATEST)));
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
            registry.imageReference(serviceId, valid.tag(), valid.digest()), valid.architectures());
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
