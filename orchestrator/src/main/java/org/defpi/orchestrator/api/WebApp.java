package org.defpi.orchestrator.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.defpi.orchestrator.Refusal;

/**
 * The web UI (module {@code web}): a single-page app built by Vite into the {@code defpi-web} jar,
 * served on the API's own origin so it calls the API without CORS. Vite names each asset by a hash
 * of its content, so assets are cached for a year; the page that names them is revalidated each time.
 * The page has no inline script, so it works under the API's {@code script-src 'self'}.
 *
 * <pre>
 * GET /                  the page (index.html)          no-cache
 * GET /assets/{file}     a hashed script, style sheet…  a year, immutable
 * </pre>
 *
 * An asset is served only when its name is one plain file name (no path, no leading dot) with a
 * known type and the jar has it; anything else is 404.
 */
public final class WebApp {
  /** Where the build puts the app on the class path. */
  static final String DIRECTORY = "/org/defpi/web/";
  static final String ASSETS = "/assets";
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
  private static final Map<String, String> CONTENT_TYPES = Map.of(
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "woff2", "font/woff2");

  private final byte[] index;

  /** Reads the page; fails if the web jar is not on the class path. */
  public WebApp() {
    try (InputStream in = WebApp.class.getResourceAsStream(DIRECTORY + "index.html")) {
      if (in == null) {
        throw new IllegalStateException("no " + DIRECTORY + "index.html on the class path: is defpi-web a dependency,"
            + " and was it built (mvn -pl web install)?");
      }
      index = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DIRECTORY + "index.html", e);
    }
  }

  /** {@code GET /} and {@code GET /assets/{file}}, both public, for the route table. */
  public List<Routes.Route> routes() {
    return List.of(
        new Routes.Route(HandlerType.GET, "/", Routes.Access.PUBLIC, ctx -> ctx.status(200)
            .contentType("text/html; charset=utf-8").header("Cache-Control", DocsPage.NO_CACHE).result(index)),
        new Routes.Route(HandlerType.GET, ASSETS + "/{file}", Routes.Access.PUBLIC, this::asset));
  }

  /** Adds {@link #routes()} to an app (for tests of the app alone). */
  public void register(RoutesConfig routes) {
    for (Routes.Route r : routes()) {
      routes.addHttpHandler(r.method(), r.path(), r.handler(), r.access());
    }
  }

  private void asset(Context ctx) throws Refusal.NotFound {
    String name = ctx.pathParam("file");
    boolean plain = FILE_NAME.matcher(name).matches();
    String type = plain ? CONTENT_TYPES.get(name.substring(name.lastIndexOf('.') + 1)) : null;
    // the name is one plain file name here, so the resource cannot be outside the assets directory
    InputStream in = type == null ? null : WebApp.class.getResourceAsStream(DIRECTORY + "assets/" + name);
    if (in == null) {
      // a name that is no file name at all is not quoted back
      throw new Refusal.NotFound("the web UI has no asset " + (plain ? "'" + name + "'" : "by that name")
          + "; reload the page for the current ones");
    }
    ctx.status(200).contentType(type).header("Cache-Control", DocsPage.IMMUTABLE).result(in);
  }
}
