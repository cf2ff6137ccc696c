package org.defpi.orchestrator.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Files from the class path, as the docs page ({@link DocsPage}) and the web UI ({@link WebApp})
 * serve them: the content type by the file's ending, and one of two cache policies. A file whose
 * name changes with its content (a hashed asset, or one asked for with its version) is kept for a
 * year; a page that names such files, or a file whose name stays, is revalidated each time.
 */
final class StaticFiles {
  /** The {@code Cache-Control} of a file whose name changes with its content. */
  static final String IMMUTABLE = "public, max-age=31536000, immutable";
  /** The {@code Cache-Control} of a page, and of a file whose name stays the same. */
  static final String NO_CACHE = "no-cache";
  private static final Map<String, String> CONTENT_TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "txt", "text/plain; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "woff2", "font/woff2");

  private StaticFiles() {}

  /** The content type of a file by its ending; empty for an ending not served. */
  static Optional<String> contentType(String name) {
    return Optional.ofNullable(CONTENT_TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
  }

  /** A file of the class path, all of it; fails naming it, and {@code hint}, when it is missing. */
  static byte[] read(String resource, String hint) {
    try (InputStream in = StaticFiles.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no " + resource + " on the class path" + (hint.isEmpty() ? "" : ": " + hint));
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /** Answers 200 with {@code body}, typed by {@code name}'s ending, cached as {@code cacheControl} says. */
  static void send(Context ctx, String name, String cacheControl, byte[] body) {
    ctx.status(200).contentType(type(name)).header("Cache-Control", cacheControl).result(body);
  }

  /** {@link #send(Context, String, String, byte[])} streaming a resource the caller opened. */
  static void send(Context ctx, String name, String cacheControl, InputStream body) {
    ctx.status(200).contentType(type(name)).header("Cache-Control", cacheControl).result(body);
  }

  /** Adds {@code routes} to an app (for the tests of one page alone). */
  static void register(List<Routes.Route> routes, RoutesConfig config) {
    for (Routes.Route r : routes) {
      config.addHttpHandler(r.method(), r.path(), r.handler(), r.access());
    }
  }

  private static String type(String name) {
    return contentType(name).orElseThrow(() -> new IllegalArgumentException("no content type for " + name));
  }
}
