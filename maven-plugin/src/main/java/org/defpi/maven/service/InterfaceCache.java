package org.defpi.maven.service;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Interface files that service.json gives as an http(s) URL: fetched once into a cache directory
 * and read from there ever after, so every build hashes and compiles the same bytes.
 *
 * <p>The default directory is {@code ~/.m2/defpi-interface-cache} (system property
 * {@value #DIRECTORY_PROPERTY} overrides it), beside the Maven repository rather than in
 * {@code target/}: it survives {@code mvn clean}, so an offline build after a clean still works; the
 * generate and image goals, even in separate Maven runs, read the same bytes, so the hashes compiled
 * into the code match the image labels even if the file at the URL changed in between; and one
 * machine fetches a file shared by many services once. The price: a file changed at the same URL is
 * not seen until the build is asked to refresh ({@code -Ddefpi.refreshInterfaces}). Treat such URLs
 * like released artifacts: put a version in them.
 *
 * <p>Layout: {@code <directory>/<first 32 hex digits of SHA-256(url)>/<file name of the url>}, with
 * the URL itself in a {@code url} file beside it. A file is written to a temporary name and moved in
 * place atomically, so concurrent builds never see half a file.
 */
public final class InterfaceCache {
  public static final String DIRECTORY_PROPERTY = "defpi.interfaceCache";
  /** An interface file is a schema, not a download: anything larger is refused. */
  static final int MAX_BYTES = 16 * 1024 * 1024;
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Path directory;
  private final boolean offline;
  private final boolean refresh;
  private final Set<URI> refreshed = new HashSet<>();
  private HttpClient http;

  /**
   * @param offline never fetch: a URL not in the cache is a problem (Maven's {@code -o})
   * @param refresh fetch each URL again, once per instance, replacing the cached copy
   */
  public InterfaceCache(Path directory, boolean offline, boolean refresh) {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.offline = offline;
    this.refresh = refresh;
  }

  /** The default cache, online, without refresh. */
  public static InterfaceCache standard() {
    return new InterfaceCache(defaultDirectory(), false, false);
  }

  /** {@value #DIRECTORY_PROPERTY} if set, else {@code ~/.m2/defpi-interface-cache}. */
  public static Path defaultDirectory() {
    String configured = System.getProperty(DIRECTORY_PROPERTY);
    return configured != null && !configured.isBlank()
        ? Path.of(configured.strip())
        : Path.of(System.getProperty("user.home"), ".m2", "defpi-interface-cache");
  }

  public Path directory() {
    return directory;
  }

  /** True when {@code location} is a URL rather than a path (it has a scheme followed by {@code ://}). */
  public static boolean isUrl(String location) {
    return location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
  }

  /**
   * The cached copy of {@code url}, fetched first when it is not in the cache (or when refreshing).
   *
   * @throws IOException the URL is not http(s), it cannot be fetched, or it is not cached and the
   *     build is offline; the message says which, for the build log
   */
  public synchronized Path fetch(String url) throws IOException {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IOException("'" + url + "' is not a valid URL: " + e.getMessage(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IOException("only http and https URLs are fetched, not '" + url
          + "': give a path relative to service.json instead");
    }
    Path entry = directory.resolve(key(url));
    Path file = entry.resolve(fileName(uri));
    boolean fresh = !refresh || refreshed.contains(uri);
    if (Files.isRegularFile(file) && fresh) {
      return file;
    }
    if (offline) {
      throw new IOException("is not in the interface cache (" + file + ") and the build is offline: build once online");
    }
    byte[] bytes = download(uri);
    Files.createDirectories(entry);
    Path temp = Files.createTempFile(entry, ".fetch-", ".tmp");
    try {
      Files.write(temp, bytes);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    Files.writeString(entry.resolve("url"), url + "\n", StandardCharsets.UTF_8);
    refreshed.add(uri);
    return file;
  }

  private byte[] download(URI uri) throws IOException {
    if (http == null) {
      http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(TIMEOUT).build();
    }
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("User-Agent", "defpi-maven-plugin").GET().build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + uri, e);
    } catch (IOException e) {
      throw new IOException("cannot be fetched: " + e, e);
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("cannot be fetched: GET answered " + response.statusCode());
      }
      byte[] bytes = body.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new IOException("is larger than " + MAX_BYTES + " bytes: not an interface file");
      }
      return bytes;
    }
  }

  static String key(String url) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      return String.format("%064x", new BigInteger(1, digest)).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The last segment of the URL's path, made safe as a file name; protoc and xjc name it in errors. */
  static String fileName(URI uri) {
    String path = uri.getPath() == null ? "" : uri.getPath();
    String last = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
    return last.isEmpty() || last.startsWith(".") || last.equals("url") ? "interface" + last : last;
  }
}
