package org.defpi.orchestrator.registry;

import io.micrometer.core.instrument.MeterRegistry;
import org.defpi.orchestrator.metrics.CallMeter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.defpi.orchestrator.service.Image;
import org.defpi.orchestrator.service.Registry;
import org.defpi.wire.label.ImageLabels;
import org.defpi.wire.label.InvalidLabelsException;

/**
 * The image registry over the Docker Registry HTTP API v2: catalog, then the tags of each
 * {@code services/<serviceId>} repository, then per tag its manifest (Docker schema 2 or OCI; an
 * index or manifest list is resolved to its linux/amd64 entry), the config blob and its labels. What
 * the image is built for is the index's linux platforms, or the config's own platform.
 *
 * <p>The catalog and each tag list are read page by page ({@code n}, then the {@code Link: <…>;
 * rel="next"} header). A {@code 401} is answered once, with HTTP Basic or a Bearer token as its
 * challenge asks ({@link RegistryAuth}); a second {@code 401} fails the whole read, as it is no one
 * image's fault.
 *
 * <p>One bad image never breaks a listing: whatever is wrong with it becomes an
 * {@link Image.Invalid} with the reason. Only a registry that cannot be reached, or that answers the
 * catalog or a tag list with something unreadable, is an exception.
 */
public final class RealRegistry implements Registry {
  static final String SERVICES = "services/";
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  private static final String ACCEPT = String.join(", ", DOCKER_MANIFEST, OCI_MANIFEST, OCI_INDEX, DOCKER_LIST);
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param url where the orchestrator reaches the registry ({@code http://defpi-registry:5000})
   * @param imagePrefix the registry as the Docker engines name it in image references
   *     ({@code 127.0.0.1:5000}): they pull from their own loopback, not from our network
   * @param pageSize the {@code n} asked for per catalog and tag-list page; the registry may send
   *     fewer, and links the next page with {@code Link: <…>; rel="next"}
   * @param credentials for a registry that asks for HTTP Basic, or for the token server its Bearer
   *     challenge names
   */
  public record Settings(URI url, String imagePrefix, Duration timeout, int pageSize, Optional<Credentials> credentials) {
    public Settings {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(imagePrefix, "imagePrefix");
      Objects.requireNonNull(timeout, "timeout");
      Objects.requireNonNull(credentials, "credentials");
      if (pageSize < 1) {
        throw new IllegalArgumentException("pageSize must be at least 1, not " + pageSize);
      }
    }

    public Settings(URI url, String imagePrefix, Duration timeout) {
      this(url, imagePrefix, timeout, DEFAULT_PAGE_SIZE, Optional.empty());
    }

    public Settings withPageSize(int pageSize) {
      return new Settings(url, imagePrefix, timeout, pageSize, credentials);
    }

    public Settings withCredentials(Credentials credentials) {
      return new Settings(url, imagePrefix, timeout, pageSize, Optional.of(credentials));
    }
  }

  /** A registry user and password; {@link #toString()} never shows the password. */
  public record Credentials(String user, String password) {
    public Credentials {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      if (user.isEmpty() || user.contains(":")) {
        throw new IllegalArgumentException("a registry user name must be non-empty and without ':'");
      }
    }

    String basic() {
      return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "Credentials[user=" + user + ", password=██]";
    }
  }

  static final int DEFAULT_PAGE_SIZE = 100;

  private final Settings settings;
  private final HttpClient http;
  private final RegistryAuth auth;
  private final CallMeter meter;

  public RealRegistry(Settings settings) {
    this(settings, Clock.systemUTC());
  }

  /** @param clock times the Bearer tokens' expiry */
  public RealRegistry(Settings settings, Clock clock) {
    this(settings, clock, CallMeter.none());
  }

  /** @param meters where each call to the registry is timed ({@code defpi.registry.calls}) */
  public RealRegistry(Settings settings, Clock clock, MeterRegistry meters) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.meter = new CallMeter(meters, "defpi.registry");
    this.http = HttpClient.newBuilder()
        .connectTimeout(settings.timeout())
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
    this.auth = new RegistryAuth(settings.credentials(), http, settings.timeout(), Objects.requireNonNull(clock, "clock"));
  }

  @Override
  public List<String> serviceIds() throws RegistryException {
    List<String> ids = new ArrayList<>();
    Optional<URI> page = Optional.of(resolve("/v2/_catalog?n=" + settings.pageSize()));
    while (page.isPresent()) {
      HttpResponse<String> response = get(page.get(), "application/json");
      if (response.statusCode() != 200) {
        throw new RegistryException("the registry answered its catalog with " + response.statusCode() + ": "
            + abbreviate(response.body()));
      }
      JsonNode repositories = parseOrThrow(response.body(), "the catalog").path("repositories");
      for (JsonNode repository : repositories) {
        String name = repository.asText();
        if (name.startsWith(SERVICES) && name.length() > SERVICES.length()) {
          ids.add(name.substring(SERVICES.length()));
        }
      }
      page = nextPage(response);
    }
    ids.sort(null);
    return ids;
  }

  @Override
  public List<Image> images(String serviceId) throws RegistryException {
    if (!serviceId.matches("[a-z0-9]+(?:[._-][a-z0-9]+)*")) {
      return List.of(); // not a repository name component: no such repository
    }
    String repository = SERVICES + serviceId;
    List<String> tags = new ArrayList<>();
    Optional<URI> page = Optional.of(resolve("/v2/" + repository + "/tags/list?n=" + settings.pageSize()));
    while (page.isPresent()) {
      HttpResponse<String> response = get(page.get(), "application/json");
      if (response.statusCode() == 404) {
        return List.of();
      }
      if (response.statusCode() != 200) {
        throw new RegistryException("the registry answered the tags of " + repository + " with " + response.statusCode()
            + ": " + abbreviate(response.body()));
      }
      parseOrThrow(response.body(), "the tags of " + repository).path("tags").forEach(t -> {
        // "<version>-arm" tags (WIRE §3) name the ARM variant of a version, not a version of their own;
        // our images carry every architecture in one index under the version tag itself.
        if (!t.asText().endsWith(ARM_SUFFIX)) {
          tags.add(t.asText());
        }
      });
      page = nextPage(response);
    }
    tags.sort(null);
    List<Image> images = new ArrayList<>();
    for (String tag : tags) {
      images.add(image(serviceId, tag));
    }
    return images;
  }

  static final String ARM_SUFFIX = "-arm";

  @Override
  public String imageReference(String serviceId, String tag, String digest) {
    return settings.imagePrefix() + "/" + SERVICES + serviceId + ":" + tag + "@" + digest;
  }

  /** One tag's image; everything wrong with it becomes an {@link Image.Invalid}. */
  private Image image(String serviceId, String tag) throws RegistryException {
    String repository = SERVICES + serviceId;
    HttpResponse<String> manifest = get(resolve("/v2/" + repository + "/manifests/" + tag), ACCEPT);
    if (manifest.statusCode() != 200) {
      return new Image.Invalid(serviceId, tag, "", "the registry answered its manifest with " + manifest.statusCode());
    }
    String digest = manifest.headers().firstValue("Docker-Content-Digest").orElseGet(() -> sha256(manifest.body()));
    try {
      JsonNode body = parse(manifest.body(), "the manifest");
      String mediaType = body.path("mediaType").asText(manifest.headers().firstValue("Content-Type").orElse(""));
      List<String> architectures = List.of();
      boolean index = mediaType.equals(OCI_INDEX) || mediaType.equals(DOCKER_LIST) || body.has("manifests");
      if (index) {
        architectures = architectures(body);
        String platformDigest = platformManifest(body);
        HttpResponse<String> platform = get(resolve("/v2/" + repository + "/manifests/" + platformDigest), ACCEPT);
        if (platform.statusCode() != 200) {
          return new Image.Invalid(serviceId, tag, digest, "the registry answered the linux/amd64 manifest "
              + platformDigest + " with " + platform.statusCode());
        }
        body = parse(platform.body(), "the linux/amd64 manifest");
      }
      String configDigest = body.path("config").path("digest").asText("");
      if (configDigest.isEmpty()) {
        return new Image.Invalid(serviceId, tag, digest,
            "the manifest has no config digest (media type '" + mediaType + "'; schema 1 manifests are not supported)");
      }
      HttpResponse<String> config = get(resolve("/v2/" + repository + "/blobs/" + configDigest), "*/*");
      if (config.statusCode() != 200) {
        return new Image.Invalid(serviceId, tag, digest, "the registry answered the config blob with " + config.statusCode());
      }
      JsonNode configBody = parse(config.body(), "the image config");
      if (!index) {
        architectures = architecture(configBody.path("os").asText(""), configBody.path("architecture").asText(""))
            .map(List::of).orElse(List.of());
      }
      JsonNode labels = configBody.path("config").path("Labels");
      Map<String, String> labelMap = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        labelMap.put(e.getKey(), e.getValue().asText());
      }
      return new Image.Valid(serviceId, tag, digest, ImageLabels.read(labelMap), architectures);
    } catch (InvalidLabelsException | UnreadableException e) {
      return new Image.Invalid(serviceId, tag, digest, e.getMessage());
    }
  }

  /** The linux architectures an index lists (attestations, platform unknown/unknown, left out), sorted. */
  static List<String> architectures(JsonNode index) {
    java.util.Set<String> found = new java.util.TreeSet<>();
    for (JsonNode m : index.path("manifests")) {
      JsonNode platform = m.path("platform");
      architecture(platform.path("os").asText(""), platform.path("architecture").asText("")).ifPresent(found::add);
    }
    return List.copyOf(found);
  }

  /** An OCI platform's architecture (GOARCH: amd64, arm64, arm, ...) if it is a linux one. */
  private static Optional<String> architecture(String os, String architecture) {
    String arch = architecture.strip().toLowerCase(java.util.Locale.ROOT);
    return os.equals("linux") && !arch.isEmpty() && !arch.equals("unknown") ? Optional.of(arch) : Optional.empty();
  }

  private static String platformManifest(JsonNode index) throws UnreadableException {
    JsonNode first = null;
    for (JsonNode m : index.path("manifests")) {
      if (first == null) {
        first = m;
      }
      JsonNode platform = m.path("platform");
      if (platform.path("os").asText().equals("linux") && platform.path("architecture").asText().equals("amd64")) {
        return m.path("digest").asText();
      }
    }
    if (first == null || first.path("digest").asText().isEmpty()) {
      throw new UnreadableException("the image index lists no manifest");
    }
    return first.path("digest").asText();
  }

  /**
   * A GET, timed as one call whatever its 401 round trip took ({@code defpi_registry_calls_seconds}
   * by {@link #operation}): an answer of 400 or more is an error named by its status
   * ({@code HTTP 404}), a failure to reach the registry by the exception's cause.
   */
  private HttpResponse<String> get(URI uri, String accept) throws RegistryException {
    String operation = operation(uri.getPath());
    long started = System.nanoTime();
    HttpResponse<String> response;
    try {
      response = authorizedGet(uri, accept);
    } catch (RegistryException e) {
      Throwable named = e.getCause() != null ? e.getCause() : e;
      meter.record(operation, Duration.ofNanos(System.nanoTime() - started), Optional.of(named.getClass().getSimpleName()));
      throw e;
    }
    meter.record(operation, Duration.ofNanos(System.nanoTime() - started),
        response.statusCode() >= 400 ? Optional.of("HTTP " + response.statusCode()) : Optional.empty());
    return response;
  }

  /** What a registry call is, as a metric's tag: catalog, tags, manifest, blob (or other). */
  static String operation(String path) {
    if (path.startsWith("/v2/_catalog")) {
      return "catalog";
    }
    Matcher m = OPERATION_PATH.matcher(path);
    if (!m.matches()) {
      return "other";
    }
    return switch (m.group(1)) {
      case "tags" -> "tags";
      case "manifests" -> "manifest";
      default -> "blob";
    };
  }

  private static final Pattern OPERATION_PATH = Pattern.compile("/v2/.+/(tags|manifests|blobs)/.*");

  /** A GET that answers the registry's 401 once (Basic or Bearer, see {@link RegistryAuth}). */
  private HttpResponse<String> authorizedGet(URI uri, String accept) throws RegistryException {
    String scope = scope(uri.getPath());
    HttpResponse<String> response = send(uri, accept, auth.header(scope));
    if (response.statusCode() == 401) {
      Optional<String> answer = auth.answer(response.headers().firstValue("WWW-Authenticate").orElse(""), scope);
      if (answer.isPresent()) {
        response = send(uri, accept, answer);
      }
      if (response.statusCode() == 401) {
        // Not one image's problem: every other request would be refused too.
        throw new RegistryException("the registry at " + settings.url() + " refused access to " + uri.getPath() + " (401, "
            + settings.credentials().map(c -> "user " + c.user()).orElse("no credentials configured") + ")");
      }
    }
    return response;
  }

  private HttpResponse<String> send(URI uri, String accept, Optional<String> authorization) throws RegistryException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(settings.timeout()).header("Accept", accept).GET();
    authorization.ifPresent(a -> request.header("Authorization", a));
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new RegistryException("cannot reach the registry at " + settings.url() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("interrupted while asking the registry " + uri, e);
    }
  }

  /** The token scope a request needs (Docker token spec): the catalog, or pulling one repository. */
  static String scope(String path) {
    if (path.startsWith("/v2/_catalog")) {
      return "registry:catalog:*";
    }
    Matcher m = REPOSITORY_PATH.matcher(path);
    return m.matches() ? "repository:" + m.group(1) + ":pull" : "";
  }

  private static final Pattern REPOSITORY_PATH = Pattern.compile("/v2/(.+)/(?:tags|manifests|blobs)/.*");

  private Optional<URI> nextPage(HttpResponse<String> response) {
    return response.headers().firstValue("Link").flatMap(link -> {
      Matcher m = NEXT_LINK.matcher(link);
      return m.find() ? Optional.of(resolve(m.group(1))) : Optional.empty();
    });
  }

  private URI resolve(String pathAndQuery) {
    return settings.url().resolve(pathAndQuery);
  }

  private static JsonNode parse(String body, String what) throws UnreadableException {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UnreadableException(what + " is not JSON: " + abbreviate(body));
    }
  }

  private static JsonNode parseOrThrow(String body, String what) throws RegistryException {
    try {
      return parse(body, what);
    } catch (UnreadableException e) {
      throw new RegistryException(e.getMessage());
    }
  }

  private static String sha256(String body) {
    try {
      return "sha256:" + HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String abbreviate(String s) {
    String flat = s.strip().replaceAll("\\s+", " ");
    return flat.length() <= 200 ? flat : flat.substring(0, 200) + "…";
  }

  /** Something the registry sent cannot be read; for one image that makes it invalid. */
  private static final class UnreadableException extends Exception {
    UnreadableException(String message) {
      super(message);
    }
  }
}
