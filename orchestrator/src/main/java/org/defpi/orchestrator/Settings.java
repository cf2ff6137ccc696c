package org.defpi.orchestrator;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the orchestrator is told by its environment. Each field has a default that fits the
 * runtime layout of ARCHITECTURE.md, except the admin password, which has none.
 *
 * <pre>
 * DEFPI_PORT                 8484                               the REST API's port
 * DEFPI_ADMIN_PASSWORD_FILE  /run/secrets/defpi-admin-password  the admin's password (or bcrypt hash)
 * DEFPI_ADMIN_EMAIL          admin@localhost                    USER_EMAIL of the admin's processes
 * DEFPI_DATA_DIR             /var/lib/defpi                     the H2 database file
 * DEFPI_REGISTRY_URL         http://defpi-registry:5000         the registry, as the orchestrator reaches it
 * DEFPI_IMAGE_PREFIX         127.0.0.1:5000                     the registry, as the engines pull from it
 * DEFPI_DOCKER_HOST          unix:///var/run/docker.sock        the Docker engine (a Swarm manager)
 * DEFPI_PROCESS_NETWORK      defpi-processes                    the processes' overlay network
 * DEFPI_ORCHESTRATOR_HOST    defpi-orchestrator                 ORCHESTRATOR_HOST given to processes
 * DEFPI_ORCHESTRATOR_PORT    8484                               ORCHESTRATOR_PORT given to processes
 * DEFPI_CONFIGURE_TIMEOUT    60                                 seconds to reach and configure a triggered process
 * DEFPI_CALL_TIMEOUT         10                                 seconds for one connection message
 * DEFPI_TERMINATE_TIMEOUT    5                                  seconds for the polite TERMINATED on removal
 * </pre>
 */
public record Settings(
    int port,
    Path adminPasswordFile,
    String adminEmail,
    Path dataDir,
    URI registryUrl,
    String imagePrefix,
    URI dockerHost,
    String processNetwork,
    String orchestratorHost,
    int orchestratorPort,
    Duration configureTimeout,
    Duration callTimeout,
    Duration terminateTimeout) {
  public Settings {
    Objects.requireNonNull(adminPasswordFile, "adminPasswordFile");
    Objects.requireNonNull(adminEmail, "adminEmail");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(registryUrl, "registryUrl");
    Objects.requireNonNull(imagePrefix, "imagePrefix");
    Objects.requireNonNull(dockerHost, "dockerHost");
    Objects.requireNonNull(processNetwork, "processNetwork");
    Objects.requireNonNull(orchestratorHost, "orchestratorHost");
    Objects.requireNonNull(configureTimeout, "configureTimeout");
    Objects.requireNonNull(callTimeout, "callTimeout");
    Objects.requireNonNull(terminateTimeout, "terminateTimeout");
  }

  /** Reads the settings; a malformed value is refused with the variable's name. */
  public static Settings fromEnv(Map<String, String> env) {
    return new Settings(
        port(env, "DEFPI_PORT", 8484, true),
        Path.of(text(env, "DEFPI_ADMIN_PASSWORD_FILE", "/run/secrets/defpi-admin-password")),
        text(env, "DEFPI_ADMIN_EMAIL", "admin@localhost"),
        Path.of(text(env, "DEFPI_DATA_DIR", "/var/lib/defpi")),
        uri(env, "DEFPI_REGISTRY_URL", "http://defpi-registry:5000"),
        text(env, "DEFPI_IMAGE_PREFIX", "127.0.0.1:5000"),
        uri(env, "DEFPI_DOCKER_HOST", "unix:///var/run/docker.sock"),
        text(env, "DEFPI_PROCESS_NETWORK", "defpi-processes"),
        text(env, "DEFPI_ORCHESTRATOR_HOST", "defpi-orchestrator"),
        port(env, "DEFPI_ORCHESTRATOR_PORT", 8484, false),
        seconds(env, "DEFPI_CONFIGURE_TIMEOUT", 60),
        seconds(env, "DEFPI_CALL_TIMEOUT", 10),
        seconds(env, "DEFPI_TERMINATE_TIMEOUT", 5));
  }

  private static String text(Map<String, String> env, String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value.strip();
  }

  private static int port(Map<String, String> env, String name, int fallback, boolean zeroAllowed) {
    int port = integer(env, name, fallback);
    if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
      throw new IllegalArgumentException(name + " must be a port number, not " + port);
    }
    return port;
  }

  private static Duration seconds(Map<String, String> env, String name, int fallback) {
    int seconds = integer(env, name, fallback);
    if (seconds < 1) {
      throw new IllegalArgumentException(name + " must be at least 1 (seconds), not " + seconds);
    }
    return Duration.ofSeconds(seconds);
  }

  private static int integer(Map<String, String> env, String name, int fallback) {
    String value = text(env, name, Integer.toString(fallback));
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'", e);
    }
  }

  private static URI uri(Map<String, String> env, String name, String fallback) {
    String value = text(env, name, fallback);
    try {
      URI uri = new URI(value);
      if (uri.getScheme() == null) {
        throw new IllegalArgumentException(name + " must be an absolute URI, not '" + value + "'");
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(name + " is not a URI: " + e.getMessage(), e);
    }
  }
}
