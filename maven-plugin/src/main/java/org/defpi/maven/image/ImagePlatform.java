package org.defpi.maven.image;

import com.google.cloud.tools.jib.api.buildplan.Platform;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A platform an image is built for, written {@code os/architecture} as Docker does ({@code linux/arm64}).
 *
 * @param os the operating system, e.g. {@code linux}
 * @param architecture the CPU architecture in Go's naming, e.g. {@code amd64}, {@code arm64}
 */
public record ImagePlatform(String os, String architecture) {
  // before the constants: the static initializer runs in this order, and they use it
  private static final Pattern PART = Pattern.compile("[a-z0-9_]+");

  public static final ImagePlatform LINUX_AMD64 = new ImagePlatform("linux", "amd64");
  public static final ImagePlatform LINUX_ARM64 = new ImagePlatform("linux", "arm64");
  /** What a service image is built for when its base image offers it (WIRE.md section 3: x86 and ARM nodes). */
  public static final List<ImagePlatform> DEFAULTS = List.of(LINUX_AMD64, LINUX_ARM64);

  public ImagePlatform {
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(architecture, "architecture");
    if (!PART.matcher(os).matches() || !PART.matcher(architecture).matches()) {
      throw new IllegalArgumentException("not a platform: '" + os + "/" + architecture + "'");
    }
  }

  /**
   * Parses {@code os/architecture}; a variant ({@code linux/arm64/v8}) is refused, because Jib
   * matches base image platforms by os and architecture only.
   */
  public static ImagePlatform parse(String text) {
    String[] parts = text.strip().split("/", -1);
    if (parts.length != 2 || !PART.matcher(parts[0]).matches() || !PART.matcher(parts[1]).matches()) {
      throw new IllegalArgumentException("platform '" + text + "' is not os/architecture (e.g. linux/arm64)");
    }
    return new ImagePlatform(parts[0], parts[1]);
  }

  Platform toJib() {
    return new Platform(architecture, os);
  }

  @Override
  public String toString() {
    return os + "/" + architecture;
  }
}
