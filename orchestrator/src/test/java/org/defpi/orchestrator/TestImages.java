package org.defpi.orchestrator;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.defpi.wire.label.ImageLabels;
import org.defpi.wire.label.InterfaceLabel;
import org.defpi.wire.label.InterfaceVersionLabel;
import org.defpi.wire.label.ServiceLabels;
import org.defpi.wire.service.Parameter;
import org.defpi.wire.service.ParameterType;

/**
 * Pushes small labelled images to the project's registry (scripts/env.sh) with jib-core, no Docker
 * daemon involved. Repositories are fixed names under {@code services/defpi-test-…}, so reruns
 * overwrite instead of piling up. Each image is pushed once per JVM.
 */
public final class TestImages {
  public static final String REGISTRY = "127.0.0.1:5000";
  public static final String BASE = REGISTRY + "/defpi/jre:25";
  public static final String METER = "defpi-test-meter";
  public static final String LOGGER = "defpi-test-logger";
  public static final String INVALID = "defpi-test-invalid";
  public static final String MALFORMED = "defpi-test-malformed";
  public static final String INDEXED = "defpi-test-indexed";
  public static final String OCI = "defpi-test-oci";
  public static final String VERSION = "0.1.0";

  public static final String HASH_A = "a1".repeat(32);
  public static final String HASH_B = "b2".repeat(32);

  /**
   * Says who it is on stdout and stderr, then sleeps, but ends at once on SIGTERM (a bare
   * {@code sleep} as PID 1 ignores it, and Docker would wait its 10 s grace period).
   */
  static final List<String> SLEEPER = List.of("sh", "-c",
      "echo started $PROCESS_ID; echo to stderr >&2; trap 'exit 0' TERM; sleep 600 & wait $!");

  private static final Map<String, String> DIGESTS = new ConcurrentHashMap<>();

  private TestImages() {}

  public static ServiceLabels meterLabels() {
    return new ServiceLabels("Test Meter", List.of(new InterfaceLabel(METER + "/power-measurement", "Power Measurement",
        METER, List.of(new InterfaceVersionLabel("v1", HASH_B, HASH_A)), true, false)),
        List.of(new Parameter("count", "Count", ParameterType.INTEGER, false, false, List.of(), List.of(), Optional.of("10"))));
  }

  public static ServiceLabels loggerLabels() {
    return new ServiceLabels("Test Logger", List.of(
        new InterfaceLabel(LOGGER + "/power-measurement", "Power Measurement", LOGGER,
            List.of(new InterfaceVersionLabel("v1", HASH_A, HASH_B)), false, false),
        new InterfaceLabel(LOGGER + "/other", "Other", LOGGER,
            List.of(new InterfaceVersionLabel("v1", "c3".repeat(32), "d4".repeat(32))), true, false)),
        List.of());
  }

  /** The meter: runnable (a shell that sleeps), tags 0.1.0 and latest. Returns the digest. */
  public static synchronized String meter() throws Exception {
    return push(METER, ImageLabels.write(meterLabels()), true, ImageFormat.Docker, false);
  }

  public static synchronized String logger() throws Exception {
    return push(LOGGER, ImageLabels.write(loggerLabels()), true, ImageFormat.Docker, false);
  }

  /** A service with two versions, for upgrades: the meter's labels, tags 0.1.0 (and latest) and 0.2.0. */
  public static final String UPGRADABLE = "defpi-test-upgradable";
  public static final String NEXT_VERSION = "0.2.0";

  /**
   * Pushes {@link #UPGRADABLE} in both versions: the same labels, images that differ by one env var
   * (so their digests differ). Returns the digest of {@value #NEXT_VERSION}.
   */
  public static synchronized String upgradable() throws Exception {
    String known = DIGESTS.get(UPGRADABLE + ":" + NEXT_VERSION);
    if (known != null) {
      return known;
    }
    push(UPGRADABLE, ImageLabels.write(meterLabels()), true, ImageFormat.Docker, false);
    String digest = Jib.from(RegistryImage.named(BASE)).setEntrypoint(SLEEPER)
        .setLabels(ImageLabels.write(meterLabels())).addEnvironmentVariable("BUILD", NEXT_VERSION)
        .setCreationTime(Instant.EPOCH)
        .containerize(Containerizer.to(RegistryImage.named(REGISTRY + "/services/" + UPGRADABLE + ":" + NEXT_VERSION))
            .setAllowInsecureRegistries(true)
            .setToolName("defpi-orchestrator-tests"))
        .getDigest().toString();
    DIGESTS.put(UPGRADABLE + ":" + NEXT_VERSION, digest);
    return digest;
  }

  /** An image without any of our labels. */
  public static synchronized String invalid() throws Exception {
    return push(INVALID, Map.of("org.example.other", "x"), false, ImageFormat.Docker, false);
  }

  /** An image whose interfaces label is not JSON. */
  public static synchronized String malformed() throws Exception {
    return push(MALFORMED, Map.of(ImageLabels.SERVICE_NAME, "Broken", ImageLabels.INTERFACES, "[{not json"), false,
        ImageFormat.Docker, false);
  }

  /** The meter's labels behind a manifest list (two platforms). */
  public static synchronized String indexed() throws Exception {
    return push(INDEXED, ImageLabels.write(meterLabels()), false, ImageFormat.Docker, true);
  }

  /** The meter's labels in an OCI manifest. */
  public static synchronized String oci() throws Exception {
    return push(OCI, ImageLabels.write(meterLabels()), false, ImageFormat.OCI, false);
  }

  private static String push(String serviceId, Map<String, String> labels, boolean runnable, ImageFormat format,
      boolean twoPlatforms) throws Exception {
    String key = serviceId;
    String known = DIGESTS.get(key);
    if (known != null) {
      return known;
    }
    JibContainerBuilder builder = runnable ? Jib.from(RegistryImage.named(BASE)).setEntrypoint(SLEEPER) : Jib.fromScratch();
    builder.setLabels(labels).setFormat(format).setCreationTime(Instant.EPOCH);
    if (twoPlatforms) {
      builder.setPlatforms(Set.of(new Platform("amd64", "linux"), new Platform("arm64", "linux")));
    }
    String digest = builder.containerize(Containerizer.to(RegistryImage.named(REGISTRY + "/services/" + serviceId + ":" + VERSION))
            .withAdditionalTag("latest")
            // As defpi-maven-plugin and the original tools do; the registry connector must not list it.
            .withAdditionalTag(VERSION + "-arm")
            .setAllowInsecureRegistries(true)
            .setToolName("defpi-orchestrator-tests"))
        .getDigest().toString();
    DIGESTS.put(key, digest);
    return digest;
  }
}
