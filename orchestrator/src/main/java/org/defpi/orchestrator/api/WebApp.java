package org.defpi.orchestrator.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
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

  private final byte[] index;

  /** Reads the page; fails if the web jar is not on the class path. */
  public WebApp() {
    index = StaticFiles.read(DIRECTORY + "index.html", "is defpi-web a dependency, and was it built (mvn -pl web install)?");
  }

  /** {@code GET /} and {@code GET /assets/{file}}, both public, for the route table. */
  public List<Routes.Route> routes() {
    return List.of(
        new Routes.Route(HandlerType.GET, "/", Routes.Access.PUBLIC,
            ctx -> StaticFiles.send(ctx, "index.html", StaticFiles.NO_CACHE, index)),
        new Routes.Route(HandlerType.GET, ASSETS + "/{file}", Routes.Access.PUBLIC, this::asset));
  }

  /** Adds {@link #routes()} to an app (for tests of the app alone). */
  public void register(RoutesConfig routes) {
    StaticFiles.register(routes(), routes);
  }

  private void asset(Context ctx) throws Refusal.NotFound {
    String name = ctx.pathParam("file");
    boolean plain = FILE_NAME.matcher(name).matches();
    Optional<String> type = plain ? StaticFiles.contentType(name) : Optional.empty();
    // the name is one plain file name here, so the resource cannot be outside the assets directory
    InputStream in = type.isEmpty() ? null : WebApp.class.getResourceAsStream(DIRECTORY + "assets/" + name);
    if (in == null) {
      // a name that is no file name at all is not quoted back
      throw new Refusal.NotFound("the web UI has no asset " + (plain ? "'" + name + "'" : "by that name")
          + "; reload the page for the current ones");
    }
    StaticFiles.send(ctx, name, StaticFiles.IMMUTABLE, in);
  }
}
