package org.defpi.maven.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.image.json.ManifestListTemplate;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.registry.RegistryClient;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Reads which of the platforms we build for a base image offers, from its manifest in its registry.
 * Uses Jib's own registry client (its {@code registry} package, not Jib's public API, hence pinned
 * with jib-core): it speaks plain HTTP to insecure registries and gets an anonymous token from
 * registries that want one (Docker Hub), exactly as the build's base image pull will.
 */
public final class BaseImageInspector {
  /**
   * The platforms of {@code candidates} that {@code image}'s manifest list (or OCI index) names, in
   * the order of {@code candidates}; empty when the image is a single-platform manifest.
   */
  public Optional<List<ImagePlatform>> indexPlatforms(String image, List<ImagePlatform> candidates,
      boolean allowInsecureRegistries) throws IOException, RegistryException, InvalidImageReferenceException {
    ImageReference reference = ImageReference.parse(image);
    FailoverHttpClient http = new FailoverHttpClient(allowInsecureRegistries, false, event -> {});
    try {
      RegistryClient client = RegistryClient.factory(EventHandlers.NONE, reference.getRegistry(),
              reference.getRepository(), http)
          .setUserAgent("defpi-maven-plugin")
          .newRegistryClient();
      ManifestTemplate manifest;
      try {
        manifest = client.pullManifest(reference.getQualifier()).getManifest();
      } catch (RegistryUnauthorizedException e) {
        // e.g. Docker Hub: an anonymous pull token, from the realm its /v2/ challenge names
        if (!client.doPullBearerAuth()) {
          throw e;
        }
        manifest = client.pullManifest(reference.getQualifier()).getManifest();
      }
      if (!(manifest instanceof ManifestListTemplate list)) {
        return Optional.empty();
      }
      return Optional.of(candidates.stream()
          .filter(p -> !list.getDigestsForPlatform(p.architecture(), p.os()).isEmpty())
          .toList());
    } finally {
      http.shutDown();
    }
  }
}
