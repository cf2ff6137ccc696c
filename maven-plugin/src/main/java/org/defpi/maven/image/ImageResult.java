package org.defpi.maven.image;

import java.util.Set;

/**
 * A pushed image.
 *
 * @param image the primary reference, e.g. {@code 127.0.0.1:5000/services/power-meter:1.0.0}
 * @param digest the manifest digest the registry stores it under
 * @param imageId the digest of the image config
 */
public record ImageResult(String image, String digest, String imageId, Set<String> tags) {
  public ImageResult {
    tags = Set.copyOf(tags);
  }
}
