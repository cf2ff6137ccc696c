package org.defpi.orchestrator;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import org.defpi.orchestrator.certificate.CertificateManager;
import org.defpi.orchestrator.logging.LogFormat;
import org.defpi.orchestrator.registry.RealRegistry;
import org.defpi.orchestrator.store.RealStore;

/**
 * Everything the orchestrator is told by its environment. Each field has a default that fits the
 * runtime layout of ARCHITECTURE.md, except the admin password, which has none.
 *
 * <pre>
 * DEFPI_PORT                 8484                               the REST API's port
 * DEFPI_ADMIN_PASSWORD_FILE  /run/secrets/defpi-admin-password  the first admin's password (or bcrypt hash), read
 *                                                               only at the first start, when there are no users
 * DEFPI_ADMIN_EMAIL          admin@localhost                    the first admin's email (USER_EMAIL of their processes)
 * DEFPI_TOKEN_TTL            43200                              seconds a login's bearer token is valid
 * DEFPI_RECONCILE            10                                 seconds between reconciliations of Swarm and store;
 *                                                               off: no reconciliation, node sync or pending-change
 *                                                               workers, and nothing of the Swarm is its own: it
 *                                                               only serves its store (for benchmarks of the API and
 *                                                               the web UI; never for a deployment)
 * DEFPI_DATA_DIR             /var/lib/defpi                     the H2 database file (when DEFPI_DB_URL is not set)
 * DEFPI_DB_URL               jdbc:h2:file:DATA_DIR/defpi;...      the store's JDBC URL (H2 file or jdbc:postgresql://...)
 * DEFPI_DB_USER              defpi                              the database user
 * DEFPI_DB_PASSWORD_FILE     (none: empty password)             a file holding the database password
 * DEFPI_REGISTRY_URL         http://defpi-registry:5000         the registry, as the orchestrator reaches it
 * DEFPI_IMAGE_PREFIX         127.0.0.1:5000                     the registry, as the engines pull from it
 * DEFPI_REGISTRY_USER        (none: no registry auth)           the registry user (HTTP Basic, or for its token server)
 * DEFPI_REGISTRY_PASSWORD_FILE (none)                           a file holding the registry password
 * DEFPI_REGISTRY_REFRESH     30                                 seconds between reads of the registry's services
 * DEFPI_DOCKER_HOST          unix:///var/run/docker.sock        the Docker engine (a Swarm manager)
 * DEFPI_CONTAINER            (none: not in a container)         the orchestrator's own container (name or id), which
 *                                                               joins each user's network as DEFPI_ORCHESTRATOR_HOST
 * DEFPI_ORCHESTRATOR_HOST    defpi-orchestrator                 ORCHESTRATOR_HOST given to processes
 * DEFPI_ORCHESTRATOR_PORT    8484                               ORCHESTRATOR_PORT given to processes
 * DEFPI_CONFIGURE_TIMEOUT    60                                 seconds to reach and configure a triggered process
 * DEFPI_CALL_TIMEOUT         10                                 seconds for one connection message
 * DEFPI_TERMINATE_TIMEOUT    5                                  seconds for the polite TERMINATED on removal
 * DEFPI_NODE_SYNC            10                                 seconds between syncs of the nodes from the Swarm
 * DEFPI_LOG_FORMAT           text                               text: lines a person reads; json: one JSON object
 *                                                               per line (time, level, logger, thread, MDC, message,
 *                                                               exception) for a log collector
 * DEFPI_OVERLAY_ENCRYPTION   off                                on: users' networks are made as encrypted overlays
 *                                                               (Swarm's IPsec, which needs the kernel's ESP with
 *                                                               AES-GCM on every node; without it traffic between
 *                                                               nodes silently vanishes). Off: the SDK's TLS encrypts
 *                                                               what crosses nodes (docs/wire-additions.md)
 * DEFPI_OVERLAY_CHECK        30                                 with DEFPI_OVERLAY_ENCRYPTION=on: seconds between
 *                                                               checks that the encrypted overlay carries traffic
 *                                                               between every two nodes (node.OverlayCheck)
 * DEFPI_TLS                  on                                 on: the orchestrator is the deployment's certificate
 *                                                               authority, and processes that hold its certificates
 *                                                               talk TLS 1.3 (docs/wire-additions.md, "TLS"); off:
 *                                                               POST /process/{id}/certificate answers 404 and
 *                                                               everything is plain TCP, as in WIRE.md
 * DEFPI_CERT_TTL             3600                               seconds a certificate is valid (at least 60); renewed
 *                                                               two thirds of the way
 * </pre>
 */
public record Settings(
    int port,
    Path adminPasswordFile,
    String adminEmail,
    Path dataDir,
    String dbUrl,
    String dbUser,
    Optional<Path> dbPasswordFile,
    URI registryUrl,
    String imagePrefix,
    Optional<String> registryUser,
    Optional<Path> registryPasswordFile,
    Duration registryRefresh,
    URI dockerHost,
    Optional<String> container,
    String orchestratorHost,
    int orchestratorPort,
    Duration configureTimeout,
    Duration callTimeout,
    Duration terminateTimeout,
    Duration nodeSync,
    Duration tokenTtl,
    Optional<Duration> reconcile,
    LogFormat logFormat,
    boolean overlayEncryption,
    Duration overlayCheck,
    boolean tls,
    Duration certTtl) {
  public Settings {
    Objects.requireNonNull(adminPasswordFile, "adminPasswordFile");
    Objects.requireNonNull(adminEmail, "adminEmail");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(dbUrl, "dbUrl");
    Objects.requireNonNull(dbUser, "dbUser");
    Objects.requireNonNull(dbPasswordFile, "dbPasswordFile");
    Objects.requireNonNull(registryUrl, "registryUrl");
    Objects.requireNonNull(imagePrefix, "imagePrefix");
    Objects.requireNonNull(registryUser, "registryUser");
    Objects.requireNonNull(registryPasswordFile, "registryPasswordFile");
    Objects.requireNonNull(registryRefresh, "registryRefresh");
    Objects.requireNonNull(dockerHost, "dockerHost");
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(orchestratorHost, "orchestratorHost");
    Objects.requireNonNull(configureTimeout, "configureTimeout");
    Objects.requireNonNull(callTimeout, "callTimeout");
    Objects.requireNonNull(terminateTimeout, "terminateTimeout");
    Objects.requireNonNull(nodeSync, "nodeSync");
    Objects.requireNonNull(tokenTtl, "tokenTtl");
    Objects.requireNonNull(reconcile, "reconcile");
    Objects.requireNonNull(logFormat, "logFormat");
    Objects.requireNonNull(certTtl, "certTtl");
  }

  /** Reads the settings; a malformed value is refused with the variable's name. */
  public static Settings fromEnv(Map<String, String> env) {
    Path dataDir = Path.of(text(env, "DEFPI_DATA_DIR", "/var/lib/defpi"));
    String dbUrl = text(env, "DEFPI_DB_URL", RealStore.h2Url(dataDir));
    if (!dbUrl.startsWith("jdbc:")) {
      throw new IllegalArgumentException("DEFPI_DB_URL must be a JDBC URL (jdbc:...), not '" + RealStore.redact(dbUrl) + "'");
    }
    String passwordFile = text(env, "DEFPI_DB_PASSWORD_FILE", "");
    return new Settings(
        port(env, "DEFPI_PORT", 8484, true),
        Path.of(text(env, "DEFPI_ADMIN_PASSWORD_FILE", "/run/secrets/defpi-admin-password")),
        text(env, "DEFPI_ADMIN_EMAIL", "admin@localhost"),
        dataDir,
        dbUrl,
        text(env, "DEFPI_DB_USER", "defpi"),
        passwordFile.isEmpty() ? Optional.empty() : Optional.of(Path.of(passwordFile)),
        uri(env, "DEFPI_REGISTRY_URL", "http://defpi-registry:5000"),
        text(env, "DEFPI_IMAGE_PREFIX", "127.0.0.1:5000"),
        Optional.of(text(env, "DEFPI_REGISTRY_USER", "")).filter(u -> !u.isEmpty()),
        Optional.of(text(env, "DEFPI_REGISTRY_PASSWORD_FILE", "")).filter(f -> !f.isEmpty()).map(Path::of),
        seconds(env, "DEFPI_REGISTRY_REFRESH", 30),
        uri(env, "DEFPI_DOCKER_HOST", "unix:///var/run/docker.sock"),
        Optional.of(text(env, "DEFPI_CONTAINER", "")).filter(c -> !c.isEmpty()),
        text(env, "DEFPI_ORCHESTRATOR_HOST", "defpi-orchestrator"),
        port(env, "DEFPI_ORCHESTRATOR_PORT", 8484, false),
        seconds(env, "DEFPI_CONFIGURE_TIMEOUT", 60),
        seconds(env, "DEFPI_CALL_TIMEOUT", 10),
        seconds(env, "DEFPI_TERMINATE_TIMEOUT", 5),
        seconds(env, "DEFPI_NODE_SYNC", 10),
        seconds(env, "DEFPI_TOKEN_TTL", 43_200),
        text(env, "DEFPI_RECONCILE", "").equalsIgnoreCase("off") ? Optional.empty()
            : Optional.of(seconds(env, "DEFPI_RECONCILE", 10)),
        logFormat(env),
        onOff(env, "DEFPI_OVERLAY_ENCRYPTION", false),
        seconds(env, "DEFPI_OVERLAY_CHECK", 30),
        onOff(env, "DEFPI_TLS", true),
        certTtl(env));
  }

  private static Duration certTtl(Map<String, String> env) {
    Duration ttl = seconds(env, "DEFPI_CERT_TTL", (int) CertificateManager.DEFAULT_TTL.toSeconds());
    if (ttl.compareTo(CertificateManager.MIN_TTL) < 0) {
      throw new IllegalArgumentException("DEFPI_CERT_TTL must be at least " + CertificateManager.MIN_TTL.toSeconds()
          + " (seconds), not " + ttl.toSeconds());
    }
    return ttl;
  }

  /** Every field, with any password in the database URL hidden (the record's own would show it). */
  @Override
  public String toString() {
    StringJoiner fields = new StringJoiner(", ", "Settings[", "]");
    for (RecordComponent c : Settings.class.getRecordComponents()) {
      Object value;
      try {
        value = c.getAccessor().invoke(this);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("a record's accessor is callable", e);
      }
      fields.add(c.getName() + "=" + (c.getName().equals("dbUrl") ? RealStore.redact(dbUrl) : value));
    }
    return fields.toString();
  }

  /**
   * Whether the orchestrator acts on the Swarm: reconciles, syncs nodes and carries out pending
   * changes. Not with {@code DEFPI_RECONCILE=off}, where it only serves what its store has.
   */
  public boolean acts() {
    return reconcile.isPresent();
  }

  /**
   * The store's settings: the password is read from {@link #dbPasswordFile} now (trailing line
   * breaks dropped), never from the environment, and never logged.
   */
  public RealStore.Settings store() throws IOException {
    String password = "";
    if (dbPasswordFile.isPresent()) {
      password = Files.readString(dbPasswordFile.get()).replaceAll("[\\r\\n]+$", "");
    }
    return new RealStore.Settings(dbUrl, dbUser, password);
  }

  /** The registry credentials, the password read from its file now; none without a user. */
  public Optional<RealRegistry.Credentials> registryCredentials() throws IOException {
    if (registryUser.isEmpty()) {
      return Optional.empty();
    }
    String password = registryPasswordFile.isEmpty() ? "" : Files.readString(registryPasswordFile.get()).replaceAll("[\\r\\n]+$", "");
    return Optional.of(new RealRegistry.Credentials(registryUser.get(), password));
  }

  private static LogFormat logFormat(Map<String, String> env) {
    try {
      return LogFormat.parse(text(env, "DEFPI_LOG_FORMAT", "text"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("DEFPI_LOG_FORMAT " + e.getMessage(), e);
    }
  }

  private static boolean onOff(Map<String, String> env, String name, boolean fallback) {
    String value = text(env, name, fallback ? "on" : "off");
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "on" -> true;
      case "off" -> false;
      default -> throw new IllegalArgumentException(name + " must be on or off, not '" + value + "'");
    };
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
