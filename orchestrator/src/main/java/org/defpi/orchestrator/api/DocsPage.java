package org.defpi.orchestrator.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.HandlerType;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.defpi.orchestrator.Refusal;

/**
 * The documentation page: Swagger UI from the {@code org.webjars:swagger-ui} jar, on the same origin,
 * showing {@code /openapi.json}. The page has no inline script ({@code docs/init.js} starts Swagger
 * UI), so it works under {@code script-src 'self'}.
 *
 * <pre>
 * GET /docs, /docs/              the page (docs/index.html)                       no-cache
 * GET /docs/{file}               the page's own files (docs/init.js, docs/docs.css)  no-cache
 *                                Swagger UI's files from the webjar                 a year, immutable
 * </pre>
 *
 * Only the files named here are served; any other name, including any with a path in it, is 404.
 * The page asks for Swagger UI's files with {@code ?v=<webjar version>}, so a new Swagger UI is
 * fetched afresh despite the long cache.
 */
public final class DocsPage {
  /** The page's path; its files are under {@code PATH + "/"}. */
  public static final String PATH = "/docs";
  /** The version of the {@code org.webjars:swagger-ui} jar on the class path. */
  public static final String SWAGGER_UI_VERSION = swaggerUiVersion();

  /** Where the page's own files are, relative to this package. */
  static final String OWN_DIRECTORY = "docs/";
  static final Set<String> OWN_FILES = Set.of("index.html", "init.js", "docs.css");
  /** Where Swagger UI's files are on the class path. */
  static final String WEBJAR_DIRECTORY = "/META-INF/resources/webjars/swagger-ui/" + SWAGGER_UI_VERSION + "/";
  /** The files of the webjar the page uses (not its demo index.html, initializer or OAuth2 redirect page). */
  static final Set<String> WEBJAR_FILES = Set.of("swagger-ui-bundle.js", "swagger-ui-bundle.js.LICENSE.txt",
      "swagger-ui.css", "favicon-16x16.png", "favicon-32x32.png");
  private static final String VERSION_PLACEHOLDER = "@SWAGGER_UI_VERSION@";

  private final Map<String, byte[]> own;

  /** Reads the page's own files; fails if they or the webjar's files are missing. */
  public DocsPage() {
    own = Map.of(
        "index.html", readOwn("index.html").replace(VERSION_PLACEHOLDER, SWAGGER_UI_VERSION)
            .getBytes(StandardCharsets.UTF_8),
        "init.js", readOwn("init.js").getBytes(StandardCharsets.UTF_8),
        "docs.css", readOwn("docs.css").getBytes(StandardCharsets.UTF_8));
    for (String file : WEBJAR_FILES) {
      if (DocsPage.class.getResource(WEBJAR_DIRECTORY + file) == null) {
        throw new IllegalStateException("no " + WEBJAR_DIRECTORY + file + " on the class path");
      }
    }
  }

  /** {@code GET /docs} and {@code GET /docs/{file}}, both public, for the route table. */
  public List<Routes.Route> routes() {
    return List.of(
        new Routes.Route(HandlerType.GET, PATH, Routes.Access.PUBLIC, ctx -> ownFile(ctx, "index.html")),
        new Routes.Route(HandlerType.GET, PATH + "/{file}", Routes.Access.PUBLIC, this::file));
  }

  /** Adds {@link #routes()} to an app (for tests of the page alone). */
  public void register(RoutesConfig routes) {
    StaticFiles.register(routes(), routes);
  }

  private void file(Context ctx) throws Refusal.NotFound {
    String name = ctx.pathParam("file");
    if (OWN_FILES.contains(name)) {
      ownFile(ctx, name);
    } else if (WEBJAR_FILES.contains(name)) {
      InputStream in = DocsPage.class.getResourceAsStream(WEBJAR_DIRECTORY + name);
      if (in == null) {
        throw new IllegalStateException("no " + WEBJAR_DIRECTORY + name + " on the class path");
      }
      StaticFiles.send(ctx, name, StaticFiles.IMMUTABLE, in);
    } else {
      throw new Refusal.NotFound("the documentation page has no file '" + name + "'");
    }
  }

  private void ownFile(Context ctx, String name) {
    StaticFiles.send(ctx, name, StaticFiles.NO_CACHE, own.get(name));
  }

  private static String readOwn(String name) {
    return new String(StaticFiles.read(OWN_DIRECTORY + name, ""), StandardCharsets.UTF_8);
  }

  private static String swaggerUiVersion() {
    String resource = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";
    try (InputStream in = DocsPage.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no " + resource + ": is org.webjars:swagger-ui on the class path?");
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version");
      if (version == null || !version.matches("[0-9A-Za-z.-]+")) {
        throw new IllegalStateException(resource + " has no usable version: " + version);
      }
      return version;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
