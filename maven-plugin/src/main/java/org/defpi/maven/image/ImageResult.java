package org.defpi.maven.image;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A pushed image.
 *
 * @param image the primary reference, e.g. {@code 127.0.0.1:5000/services/power-meter:1.0.0}
 * @param digest the digest the registry stores it under: of the manifest list when built for several
 *     platforms, else of the image manifest
 * @param imageId the digest of the image config (of one of the platforms' images when several)
 * @param tags the tags that name {@link #digest}
 * @param platforms the platforms it was built for
 * @param armDigest the digest of the linux/arm64 image the {@code -arm} tags name, when they were pushed
 */
public record ImageResult(String image, String digest, String imageId, Set<String> tags, List<ImagePlatform> platforms,
    Optional<String> armDigest) {
  public ImageResult {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(imageId, "imageId");
    tags = Set.copyOf(tags);
    platforms = List.copyOf(platforms);
    Objects.requireNonNull(armDigest, "armDigest");
  }
}
