package org.defpi.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import io.javalin.security.BasicAuthCredentials;
import io.javalin.security.RouteRole;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.defpi.orchestrator.Ids;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.api.ListQuery.Fields;
import org.defpi.orchestrator.api.ListQuery.Key;
import org.defpi.orchestrator.certificate.CertificateManager;
import org.defpi.orchestrator.connection.ConnectionManager;
import org.defpi.orchestrator.connection.ConnectionPlanner;
import org.defpi.orchestrator.event.Event;
import org.defpi.orchestrator.event.EventBus;
import org.defpi.orchestrator.event.Subscription;
import org.defpi.orchestrator.layout.LayoutManager;
import org.defpi.orchestrator.layout.Position;
import org.defpi.orchestrator.metrics.HttpMeters;
import org.defpi.orchestrator.node.NodeKind;
import org.defpi.orchestrator.node.NodeManager;
import org.defpi.orchestrator.pendingchange.PendingChange;
import org.defpi.orchestrator.pendingchange.PendingChanges;
import org.defpi.orchestrator.process.Mount;
import org.defpi.orchestrator.process.ProcessManager;
import org.defpi.orchestrator.process.PublishedPort;
import org.defpi.orchestrator.process.Target;
import org.defpi.orchestrator.node.SwarmNodes.SwarmException;
import org.defpi.orchestrator.service.Registry.RegistryException;
import org.defpi.orchestrator.service.Service;
import org.defpi.orchestrator.service.ServiceManager;
import org.defpi.orchestrator.traffic.ConnectionReport;
import org.defpi.orchestrator.traffic.Counters;
import org.defpi.orchestrator.traffic.TrafficManager;
import org.defpi.orchestrator.user.Role;
import org.defpi.orchestrator.user.User;
import org.defpi.orchestrator.user.UserManager;
import org.defpi.wire.tls.TlsNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API (ARCHITECTURE.md "REST API"). {@link #table()} is the whole API: each route with who
 * may call it and its handler. The same table registers the routes, decides authentication before
 * each one, and is checked against the OpenAPI document and by the authorization test. Handlers
 * read the request, call one manager and write the answer; refusals are thrown as {@link Refusal}s
 * and written as RFC 9457 problems.
 */
public final class Routes {
  private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
  static final String PROBLEM_TYPE_PREFIX = "urn:defpi:problem:";
  static final String PROBLEM_JSON = "application/problem+json";
  static final String JSON = "application/json";
  static final String TOTAL_COUNT = "X-Total-Count";
  /** The content types of GET /metrics, as the Prometheus client library's writers name them. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  static final int DEFAULT_LOG_TAIL = 200;
  static final int MAX_DETAIL = 1000;
  /** No request of this API needs more than a few KiB; 1 MiB leaves room for big configurations. */
  static final long MAX_BODY_BYTES = 1024 * 1024;
  static final int MAX_LOG_TAIL = 10_000;
  /** The request attribute that holds the authenticated caller. */
  static final String USER = "defpi.user";
  private static final int EVENT_QUEUE = 10_000;
  private static final java.time.Duration EVENT_KEEP_ALIVE = java.time.Duration.ofSeconds(15);
  /** Names this run of the orchestrator in event ids: numbers restart with it. */
  private final String eventRun = Long.toHexString(System.nanoTime() ^ new java.security.SecureRandom().nextLong());
  /** Javalin drops parameters with broken %-escapes silently; such a query is refused instead. */
  private static final java.util.regex.Pattern WELL_FORMED_QUERY =
      java.util.regex.Pattern.compile("([^%]|%[0-9A-Fa-f]{2})*");
  /** Same-origin everything and no inline script: what the docs page and the web UI are built for. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
      + " img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
  /** The answer to a traffic report: seconds to the next (the SDK's TrafficReporter reads it). */
  static final String TRAFFIC_INTERVAL_HEADER = "X-Defpi-Report-Interval";
  private static final List<String> TRAFFIC_COUNTERS = List.of("messagesIn", "messagesOut", "bytesIn", "bytesOut",
      "dropped", "errors", "stateChanges");
  // encrypted: sent by the SDK with TLS (its own word on the end); checked, not kept
  private static final Set<String> TRAFFIC_FIELDS = Set.of("connectionId", "state", "messagesIn", "messagesOut",
      "bytesIn", "bytesOut", "dropped", "errors", "stateChanges", "encrypted");
  private static final String CHALLENGE = "Bearer realm=\"defpi\", Basic realm=\"defpi\", charset=\"UTF-8\"";

  /** Who may call a route. */
  public enum Access implements RouteRole {
    /** Anyone. */
    PUBLIC,
    /** A process, with its own X-Auth-Token (checked by the handler: the token belongs to the id in the path). */
    PROCESS,
    /** Any logged-in user; what they see is limited to their own environment, an admin's to all. */
    USER,
    /** Admins only. */
    ADMIN
  }

  /** One route: method, path (Javalin's and OpenAPI's {@code {id}} syntax), access, handler. */
  public record Route(HandlerType method, String path, Access access, Handler handler) {
    public Route {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(access, "access");
      Objects.requireNonNull(handler, "handler");
    }
  }

  // What each list can be filtered and sorted by: fields of the JSON views in Views.
  private static final Fields SERVICE_FIELDS = new Fields(Set.of("name"),
      Set.of("id", "name", "version"), List.of(Key.asc("id")));
  private static final Fields INTERFACE_FIELDS = new Fields(Set.of("name", "serviceId"),
      Set.of("id", "name", "serviceId"), List.of(Key.asc("id")));
  private static final Fields PROCESS_FIELDS = new Fields(Set.of("serviceId", "name", "userId", "state"),
      Set.of("serviceId", "name", "version", "userId", "state", "createdAt"), List.of(Key.asc("createdAt")));
  private static final Fields CONNECTION_FIELDS = new Fields(Set.of("userId", "state"),
      Set.of("state", "createdAt"), List.of(Key.asc("createdAt")));
  private static final Fields NODE_FIELDS = new Fields(
      Set.of("status", "kind", "poolId", "userId"),
      Set.of("hostname", "architecture", "status", "kind", "poolId", "userId", "lastSeen"), List.of(Key.asc("hostname")));
  private static final Fields POOL_FIELDS = new Fields(Set.of("name"), Set.of("name"), List.of(Key.asc("name")));
  private static final Fields PENDING_CHANGE_FIELDS = new Fields(
      Set.of("kind", "processId", "connectionId", "userId", "state"),
      Set.of("kind", "state", "attempts", "createdAt", "updatedAt", "notBefore"), List.of(Key.asc("createdAt")));
  private static final Fields USER_FIELDS = new Fields(Set.of("name", "role"),
      Set.of("name", "role", "email", "createdAt"), List.of(Key.asc("createdAt")));

  /** The filters of each list route, by path: the OpenAPI document must declare exactly these. */
  static final java.util.Map<String, Set<String>> LIST_FILTERS = java.util.Map.of(
      "/user", USER_FIELDS.filterable(), "/service", SERVICE_FIELDS.filterable(),
      "/interface", INTERFACE_FIELDS.filterable(), "/process", PROCESS_FIELDS.filterable(),
      "/connection", CONNECTION_FIELDS.filterable(), "/node", NODE_FIELDS.filterable(),
      "/nodepool", POOL_FIELDS.filterable(), "/pendingchange", PENDING_CHANGE_FIELDS.filterable());

  private final ServiceManager services;
  private final ProcessManager processes;
  private final ConnectionManager connections;
  private final NodeManager nodes;
  private final UserManager users;
  private final PendingChanges pendingChanges;
  private final LayoutManager layouts;
  private final EventBus events;
  private final TrafficManager traffic;
  /** Empty with DEFPI_TLS=off: no certificates, and the certificate route answers as if it did not exist. */
  private final Optional<CertificateManager> certificates;
  private final String version;
  private final PrometheusMeterRegistry meterRegistry;
  private final OpenApi openApi;
  private final DocsPage docsPage = new DocsPage();
  private final WebApp webApp = new WebApp();

  public Routes(ServiceManager services, ProcessManager processes, ConnectionManager connections, NodeManager nodes,
      UserManager users, PendingChanges pendingChanges, LayoutManager layouts, EventBus events, TrafficManager traffic,
      Optional<CertificateManager> certificates, String version, PrometheusMeterRegistry meterRegistry) {
    this.services = Objects.requireNonNull(services, "services");
    this.processes = Objects.requireNonNull(processes, "processes");
    this.connections = Objects.requireNonNull(connections, "connections");
    this.nodes = Objects.requireNonNull(nodes, "nodes");
    this.users = Objects.requireNonNull(users, "users");
    this.pendingChanges = Objects.requireNonNull(pendingChanges, "pendingChanges");
    this.layouts = Objects.requireNonNull(layouts, "layouts");
    this.events = Objects.requireNonNull(events, "events");
    this.traffic = Objects.requireNonNull(traffic, "traffic");
    this.certificates = Objects.requireNonNull(certificates, "certificates");
    this.version = Objects.requireNonNull(version, "version");
    this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
    this.openApi = new OpenApi(version);
  }

  /** Every route of the API. */
  public List<Route> table() {
    List<Route> t = new ArrayList<>();
    t.add(get("/health", Access.PUBLIC, ctx -> json(ctx, 200, Bodies.JSON.createObjectNode().put("status", "UP"))));
    t.add(get("/version", Access.PUBLIC, ctx -> json(ctx, 200, Bodies.JSON.createObjectNode().put("version", version))));
    t.add(get("/openapi.json", Access.PUBLIC,
        ctx -> ctx.status(200).contentType(JSON).header("Cache-Control", "no-cache").result(openApi.json())));
    t.addAll(docsPage.routes());
    t.addAll(webApp.routes());

    t.add(get("/status", Access.ADMIN, this::status));
    t.add(get("/metrics", Access.ADMIN, this::metrics));
    t.add(post("/login", Access.PUBLIC, this::login));
    t.add(post("/logout", Access.USER, ctx -> {
      bearer(ctx).ifPresent(users::logout);
      ctx.status(204);
    }));

    t.add(get("/user/me", Access.USER, ctx -> json(ctx, 200, Views.user(user(ctx)))));
    t.add(get("/user/me/layout", Access.USER, this::layout));
    t.add(put("/user/me/layout", Access.USER, this::place));
    t.add(get("/user", Access.ADMIN, ctx -> list(ctx, users.list(user(ctx)), Views::user, USER_FIELDS)));
    t.add(post("/user", Access.ADMIN, this::createUser));
    t.add(get("/user/{id}", Access.USER, ctx -> json(ctx, 200, Views.user(users.get(ctx.pathParam("id"), user(ctx))))));
    t.add(put("/user/{id}", Access.USER, this::updateUser));
    t.add(delete("/user/{id}", Access.ADMIN, ctx -> users.delete(ctx.pathParam("id"), user(ctx))));

    t.add(get("/service", Access.USER, ctx -> list(ctx, services.list(), Views::service, SERVICE_FIELDS)));
    t.add(get("/service/{id}", Access.USER, ctx -> json(ctx, 200, Views.service(services.get(ctx.pathParam("id"))))));
    t.add(get("/interface", Access.USER, this::listInterfaces));

    t.add(post("/process", Access.USER, this::createProcess));
    t.add(get("/process", Access.USER, ctx -> list(ctx, processes.list(user(ctx)), Views::process, PROCESS_FIELDS)));
    t.add(get("/process/{id}", Access.USER,
        ctx -> json(ctx, 200, Views.process(processes.get(ctx.pathParam("id"), user(ctx))))));
    t.add(put("/process/{id}", Access.USER, this::updateProcess));
    t.add(get("/process/{id}/log", Access.USER, this::processLog));
    // 204 once the process is gone; 202 with the pending change when its teardown takes longer
    t.add(new Route(HandlerType.DELETE, "/process/{id}", Access.USER, ctx -> {
      Optional<PendingChange> waiting = processes.terminate(ctx.pathParam("id"), user(ctx));
      if (waiting.isPresent()) {
        json(ctx, 202, Views.pendingChange(waiting.get()));
      } else {
        ctx.status(204);
      }
    }));
    t.add(put("/process/trigger/{id}", Access.PROCESS, ctx -> {
      processes.trigger(ctx.pathParam("id"), ctx.header("X-Auth-Token"), saysTls(ctx), remoteAddress(ctx));
      ctx.status(204);
    }));
    t.add(post("/process/{id}/certificate", Access.PROCESS, this::issueCertificate));
    t.add(put("/process/{id}/traffic", Access.PROCESS, this::reportTraffic));
    t.add(get("/process/{id}/traffic", Access.USER,
        ctx -> json(ctx, 200, Views.processTraffic(traffic.ofProcess(ctx.pathParam("id"), user(ctx))))));
    t.add(get("/traffic", Access.USER, this::listTraffic));

    t.add(post("/connection", Access.USER, this::createConnection));
    t.add(get("/connection", Access.USER,
        ctx -> list(ctx, connections.list(user(ctx)), Views::connection, CONNECTION_FIELDS)));
    t.add(get("/connection/{id}", Access.USER,
        ctx -> json(ctx, 200, Views.connection(connections.get(ctx.pathParam("id"), user(ctx))))));
    // as DELETE /process: 204 once the connection is gone, 202 with the pending change otherwise
    t.add(new Route(HandlerType.DELETE, "/connection/{id}", Access.USER, ctx -> {
      Optional<PendingChange> waiting = connections.delete(ctx.pathParam("id"), user(ctx));
      if (waiting.isPresent()) {
        json(ctx, 202, Views.pendingChange(waiting.get()));
      } else {
        ctx.status(204);
      }
    }));

    t.add(get("/node", Access.USER, this::listNodes));
    t.add(get("/node/{id}", Access.USER, ctx -> json(ctx, 200, Views.node(nodes.get(ctx.pathParam("id"), user(ctx))))));
    t.add(put("/node/{id}", Access.ADMIN, this::assignNode));

    t.add(post("/nodepool", Access.ADMIN, ctx -> json(ctx, 201, Views.nodePool(nodes.createPool(poolName(ctx))))));
    t.add(get("/nodepool", Access.USER, ctx -> list(ctx, nodes.pools(), Views::nodePool, POOL_FIELDS)));
    t.add(get("/nodepool/{id}", Access.USER, ctx -> json(ctx, 200, Views.nodePool(nodes.pool(ctx.pathParam("id"))))));
    t.add(put("/nodepool/{id}", Access.ADMIN,
        ctx -> json(ctx, 200, Views.nodePool(nodes.renamePool(ctx.pathParam("id"), poolName(ctx))))));
    t.add(delete("/nodepool/{id}", Access.ADMIN, ctx -> nodes.deletePool(ctx.pathParam("id"))));

    t.add(get("/pendingchange", Access.USER,
        ctx -> list(ctx, pendingChanges.list(user(ctx)), Views::pendingChange, PENDING_CHANGE_FIELDS)));
    t.add(get("/pendingchange/{id}", Access.USER,
        ctx -> json(ctx, 200, Views.pendingChange(pendingChanges.get(ctx.pathParam("id"), user(ctx))))));
    t.add(delete("/pendingchange/{id}", Access.USER, ctx -> pendingChanges.cancel(ctx.pathParam("id"), user(ctx))));
    t.add(post("/pendingchange/{id}/retry", Access.USER,
        ctx -> json(ctx, 200, Views.pendingChange(pendingChanges.retry(ctx.pathParam("id"), user(ctx))))));

    t.add(get("/events", Access.USER, new SseHandler(this::streamEvents)));
    return List.copyOf(t);
  }

  /** The app with every route; not started. */
  public Javalin app() {
    List<Route> table = table();
    RequestLog requestLog = new RequestLog(new RouteTemplates(table.stream().map(Route::path).toList()),
        new HttpMeters(meterRegistry));
    return Javalin.create(config -> {
      // Around everything Javalin does, so a request's id is in each line logged while it is handled
      config.jetty.modifyServletContextHandler(handler -> handler.addFilter(
          new org.eclipse.jetty.ee10.servlet.FilterHolder(requestLog), "/*",
          java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST)));
      config.startup.showJavalinBanner = false;
      config.concurrency.useVirtualThreads = true;
      config.http.defaultContentType = JSON;
      config.http.maxRequestSize = MAX_BODY_BYTES;
      config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
      // Jetty's header cache matches a request's headers against the earlier ones on its connection
      // ignoring case, and hands the handler the earlier spelling. Credentials are case-sensitive: a
      // token starting like an earlier header but for case arrived changed and was refused, and a
      // valid Basic header with its case changed (other credentials) was taken for the valid one.
      // Every header is read from the bytes of its own request.
      config.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheSize(0));
      var r = config.routes;

      // Javalin answers HEAD for every GET route itself, without the route's roles, so the access
      // check could not tell which route it guards: HEAD is refused instead (no client needs it).
      r.before(ctx -> {
        String query = ctx.queryString();
        if (query != null && !WELL_FORMED_QUERY.matcher(query).matches()) {
          throw new Refusal.BadRequest("the query string has a '%' that is not followed by two hex digits");
        }
        if (ctx.method() == HandlerType.HEAD) {
          problem(ctx, "method-not-allowed", "Method not allowed", 405, "HEAD is not supported here; use GET");
          ctx.header("Allow", "GET");
          ctx.skipRemainingHandlers();
        }
      });
      r.beforeMatched(this::authenticate);
      for (Route route : table) {
        r.addHttpHandler(route.method(), route.path(), route.handler(), route.access());
      }
      r.after(ctx -> {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        if (ctx.res().getHeader("Cache-Control") == null) {
          ctx.header("Cache-Control", "no-store");
        }
      });

      r.exception(Refusal.class, (e, ctx) -> refuse(ctx, e));
      // Javalin's own refusals (a body over the size limit, …): the same problem format as ours.
      r.exception(HttpResponseException.class, (e, ctx) -> {
        switch (e.getStatus()) {
          case 404 -> problem(ctx, "not-found", "Not found", 404, "no route " + ctx.method() + " " + ctx.path());
          case 405 -> problem(ctx, "method-not-allowed", "Method not allowed", 405,
              "no route " + ctx.method() + " " + ctx.path());
          case 413 -> problem(ctx, "content-too-large", "Content too large", 413,
              "the request body is larger than the orchestrator takes (" + MAX_BODY_BYTES / 1024 + " KiB)");
          default -> problem(ctx, "http-" + e.getStatus(), HttpStatus.forStatus(e.getStatus()).getMessage(),
              e.getStatus(), e.getMessage());
        }
      });
      r.exception(RegistryException.class, (e, ctx) ->
          problem(ctx, "registry-unavailable", "Registry unavailable", 502, e.getMessage()));
      r.exception(SwarmException.class, (e, ctx) ->
          problem(ctx, "swarm-unavailable", "Docker Swarm refused or unavailable", 502, e.getMessage()));
      r.exception(Exception.class, (e, ctx) -> {
        // This handler must not throw: Javalin hands what it throws back to it, for ever
        // (javalin/javalin#2422). It does when the request is over, as for an event stream whose
        // client went away (Jetty recycled the request and response).
        try {
          LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
          problem(ctx, "internal", "Internal error", 500,
              "the orchestrator failed on this request; its log has the details");
        } catch (RuntimeException over) {
          LOG.debug("a request that is over failed: {}", e.toString());
        }
      });
      // Javalin's own answers (no such route, wrong method) become problems too.
      r.error(404, ctx -> {
        if (!isProblem(ctx)) {
          problem(ctx, "not-found", "Not found", 404, "no route " + ctx.method() + " " + ctx.path());
        }
      });
      r.error(405, ctx -> {
        if (!isProblem(ctx)) {
          problem(ctx, "method-not-allowed", "Method not allowed", 405, "no route " + ctx.method() + " " + ctx.path());
        }
      });
    });
  }

  // ---- handlers

  /** For operators: how the registry reads went, the event stream, the queue of pending changes. */
  private void status(Context ctx) throws Exception {
    ObjectNode o = Bodies.JSON.createObjectNode();
    o.put("version", version);
    ObjectNode registry = o.putObject("registry");
    services.catalogStatus().ifPresent(st -> {
      st.snapshot().ifPresent(snap -> {
        registry.put("loadedAt", Views.time(snap.loadedAt()));
        registry.put("services", snap.services().size());
      });
      st.lastFailure().ifPresent(f -> {
        registry.put("lastError", f.error());
        registry.put("lastErrorAt", Views.time(f.at()));
      });
    });
    ObjectNode stream = o.putObject("events");
    stream.put("lastSeq", events.lastSeq());
    stream.put("subscribers", events.subscriberCount());
    ObjectNode queue = o.putObject("pendingChanges");
    pendingChanges.countByState().forEach((state, n) -> queue.put(state.name(), n));
    nodes.overlayReport().ifPresent(r -> {
      ObjectNode overlay = o.putObject("overlayCheck");
      overlay.put("at", Views.time(r.at()));
      var pairs = overlay.putArray("pairs");
      r.pairs().forEach(p -> pairs.addObject().put("nodeA", p.nodeA()).put("nodeB", p.nodeB())
          .put("carries", p.carries()).put("how", p.how()));
      overlay.put("failing", r.failing().size());
    });
    json(ctx, 200, o);
  }

  /**
   * GET /metrics: what Prometheus scrapes, in its text format, or OpenMetrics when the Accept header
   * names it (as Prometheus's own scraper does when it prefers it).
   */
  private void metrics(Context ctx) {
    String accept = Optional.ofNullable(ctx.header("Accept")).orElse("");
    String type = accept.contains("application/openmetrics-text") ? OPENMETRICS : PROMETHEUS_TEXT;
    ctx.status(200).contentType(type).result(meterRegistry.scrape(type));
  }

  private void login(Context ctx) throws Exception {
    ObjectNode body = body(ctx, Set.of("name", "password"));
    UserManager.Login login = users.login(Bodies.requiredText(body, "name"), Bodies.requiredText(body, "password"),
        ctx.ip());
    ObjectNode o = Bodies.JSON.createObjectNode();
    o.put("token", login.token());
    o.put("expiresAt", Views.time(login.expiresAt()));
    o.set("user", Views.user(login.user()));
    json(ctx, 201, o);
  }

  private void createUser(Context ctx) throws Exception {
    ObjectNode body = body(ctx, Set.of("name", "password", "role", "email"));
    Role role = role(Bodies.optionalText(body, "role")).orElse(Role.USER);
    User user = users.create(new UserManager.NewUser(Bodies.requiredText(body, "name"),
        Bodies.requiredText(body, "password"), role, Bodies.optionalText(body, "email")), user(ctx));
    json(ctx, 201, Views.user(user));
  }

  private void updateUser(Context ctx) throws Exception {
    ObjectNode body = body(ctx, Set.of("email", "role", "password", "currentPassword"));
    // "email": null removes it; absent leaves it alone.
    Optional<String> email = body.has("email") && body.get("email").isNull()
        ? Optional.of("") : Bodies.optionalText(body, "email");
    String id = ctx.pathParam("id").equals("me") ? user(ctx).id() : ctx.pathParam("id");
    User user = users.update(id, new UserManager.UserUpdate(email,
        role(Bodies.optionalText(body, "role")), Bodies.optionalText(body, "password"),
        Bodies.optionalText(body, "currentPassword")), user(ctx));
    json(ctx, 200, Views.user(user));
  }

  /** GET /user/me/layout[?userId=…]: the caller's positions of those users' processes. */
  private void layout(Context ctx) throws Exception {
    for (String name : ctx.queryParamMap().keySet()) {
      if (!name.equals("userId")) {
        throw new Refusal.BadRequest("query parameter '" + name + "' is not known here; only userId (repeat it for"
            + " several users) filters the layout");
      }
    }
    json(ctx, 200, Views.layout(layouts.positions(user(ctx), Set.copyOf(ctx.queryParams("userId")))));
  }

  /** PUT /user/me/layout {positions:[{processId, x, y}]}: keeps these positions, all or none. */
  private void place(Context ctx) throws Exception {
    ObjectNode body = body(ctx, Set.of("positions"));
    if (!body.hasNonNull("positions")) {
      throw new Refusal.BadRequest("field 'positions' is required (an array of {processId, x, y}; it may be empty)");
    }
    List<ObjectNode> items = Bodies.objects(body, "positions", Set.of("processId", "x", "y"));
    List<Position> positions = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      ObjectNode item = items.get(i);
      String at = "positions[" + i + "]";
      String processId = Bodies.nested(at, "processId", f -> Bodies.requiredText(item, f));
      if (!Ids.isId(processId)) {
        throw new Refusal.BadRequest("field '" + at + ".processId' must be a process id (24 lower-case hex digits), not '"
            + processId + "'");
      }
      positions.add(new Position(processId, coordinate(item, at, "x"), coordinate(item, at, "y")));
    }
    layouts.place(user(ctx), positions);
    ctx.status(204);
  }

  private static double coordinate(ObjectNode item, String at, String field) throws Refusal.BadRequest {
    double value = Bodies.nested(at, field, f -> Bodies.optionalNumber(item, f)).orElseThrow(() ->
        new Refusal.BadRequest("field '" + at + "." + field + "' is required (a number)"));
    if (!Position.within(value)) {
      throw new Refusal.BadRequest("field '" + at + "." + field + "' must be between " + (long) -Position.LIMIT
          + " and " + (long) Position.LIMIT + ", not " + value);
    }
    return value;
  }

  private static Optional<Role> role(Optional<String> text) throws Refusal.BadRequest {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Role.parse(text.get()).orElseThrow(() ->
        new Refusal.BadRequest("field 'role' must be user or admin, not '" + text.get() + "'")));
  }

  private void listInterfaces(Context ctx) throws Exception {
    List<ObjectNode> all = new ArrayList<>();
    for (Service s : services.list()) {
      // The service is the registry's (where it can be deployed from): two images may carry copies of
      // one service.json, whose labels then name the same service id.
      s.defaultImage().ifPresent(i -> i.labels().interfaces().forEach(iface -> all.add(Views.iface(iface)
          .put("serviceId", s.id()))));
    }
    page(ctx, all, INTERFACE_FIELDS);
  }

  private void createProcess(Context ctx) throws Exception {
    ObjectNode body = body(ctx, Set.of("serviceId", "name", "version", "configuration", "userId", "nodeId",
        "nodePoolId", "memoryMb", "cpus", "mounts", "ports"));
    String serviceId = Bodies.requiredText(body, "serviceId");
    Target target = target(body).orElse(Target.ANY_PUBLIC_NODE);
    ProcessManager.NewProcess request = new ProcessManager.NewProcess(
        serviceId,
        Bodies.optionalText(body, "name").orElse(serviceId),
        Bodies.optionalText(body, "version"),
        Bodies.stringMap(body, "configuration"),
        target,
        Bodies.optionalLong(body, "memoryMb"),
        Bodies.optionalNumber(body, "cpus"),
        mounts(body),
        ports(body));
    json(ctx, 201, Views.process(processes.create(request, owner(ctx, Bodies.optionalText(body, "userId")), user(ctx))));
  }

  private static List<Mount> mounts(ObjectNode body) throws Refusal.BadRequest {
    List<Mount> mounts = new ArrayList<>();
    List<ObjectNode> items = Bodies.objects(body, "mounts", Set.of("type", "source", "target", "readOnly"));
    for (int i = 0; i < items.size(); i++) {
      ObjectNode item = items.get(i);
      String at = "mounts[" + i + "]";
      String type = Bodies.nested(at, "type", f -> Bodies.optionalText(item, f)).orElse("volume");
      Mount.Type kind = switch (type) {
        case "volume" -> Mount.Type.VOLUME;
        case "bind" -> Mount.Type.BIND;
        default -> throw new Refusal.BadRequest("field '" + at + ".type' must be volume or bind, not '" + type + "'");
      };
      mounts.add(new Mount(kind, Bodies.nested(at, "source", f -> Bodies.requiredText(item, f)),
          Bodies.nested(at, "target", f -> Bodies.requiredText(item, f)),
          Bodies.nested(at, "readOnly", f -> Bodies.optionalBoolean(item, f)).orElse(false)));
    }
    return mounts;
  }

  private static List<PublishedPort> ports(ObjectNode body) throws Refusal.BadRequest {
    List<PublishedPort> ports = new ArrayList<>();
    List<ObjectNode> items = Bodies.objects(body, "ports", Set.of("target", "published", "protocol"));
    for (int i = 0; i < items.size(); i++) {
      ObjectNode item = items.get(i);
      String at = "ports[" + i + "]";
      String protocol = Bodies.nested(at, "protocol", f -> Bodies.optionalText(item, f)).orElse("tcp");
      ports.add(new PublishedPort(Bodies.nested(at, "target", f -> Bodies.requiredInt(item, f)),
          Bodies.nested(at, "published", f -> Bodies.requiredInt(item, f)),
          PublishedPort.Protocol.parse(protocol).filter(p -> p.apiName().equals(protocol)).orElseThrow(() ->
              new Refusal.BadRequest("field '" + at + ".protocol' must be tcp, udp or sctp, not '" + protocol + "'"))));
    }
    return ports;
  }

  private void updateProcess(Context ctx) throws Exception {
    ObjectNode body = body(ctx, Set.of("name", "configuration", "version", "nodeId", "nodePoolId", "anyPublicNode"));
    Optional<java.util.Map<String, String>> configuration = body.has("configuration")
        ? Optional.of(Bodies.stringMap(body, "configuration")) : Optional.empty();
    ProcessManager.ProcessUpdate update = new ProcessManager.ProcessUpdate(Bodies.optionalText(body, "name"),
        configuration, Bodies.optionalText(body, "version"), moveTarget(body));
    json(ctx, 200, Views.process(processes.update(ctx.pathParam("id"), update, user(ctx))));
  }

  /** The place a body names: {@code nodeId} (a private node) or {@code nodePoolId}, not both; empty if neither. */
  private static Optional<Target> target(ObjectNode body) throws Refusal.BadRequest {
    Optional<String> nodeId = Bodies.optionalText(body, "nodeId");
    Optional<String> poolId = Bodies.optionalText(body, "nodePoolId");
    if (nodeId.isPresent() && poolId.isPresent()) {
      throw new Refusal.BadRequest("give nodeId (one of your private nodes) or nodePoolId (a pool of public nodes),"
          + " not both; neither means any public node");
    }
    return nodeId.<Target>map(Target.PrivateNode::new).or(() -> poolId.map(Target.Pool::new));
  }

  /**
   * Where a PUT moves a process: {@code nodeId}, {@code nodePoolId}, or {@code anyPublicNode: true}
   * (a move needs a word for "anywhere public", which a new process says by naming neither); at
   * most one of them; empty if none.
   */
  private static Optional<Target> moveTarget(ObjectNode body) throws Refusal.BadRequest {
    Optional<Boolean> anyPublic = Bodies.optionalBoolean(body, "anyPublicNode");
    if (anyPublic.isEmpty()) {
      return target(body);
    }
    if (!anyPublic.get()) {
      throw new Refusal.BadRequest("anyPublicNode can only be true (move to any public node); to move elsewhere give"
          + " nodeId or nodePoolId instead");
    }
    if (body.has("nodeId") || body.has("nodePoolId")) {
      throw new Refusal.BadRequest("give one of nodeId, nodePoolId or anyPublicNode, not several");
    }
    return Optional.of(Target.ANY_PUBLIC_NODE);
  }

  /** Whom a new thing is for: the caller, or for an admin anyone they name. */
  private User owner(Context ctx, Optional<String> userId) throws Refusal {
    User caller = user(ctx);
    if (userId.isEmpty() || userId.get().equals(caller.id())) {
      return caller;
    }
    if (!caller.isAdmin()) {
      throw new Refusal.Forbidden("only an admin can act for another user ('userId')");
    }
    try {
      return users.get(userId.get(), caller);
    } catch (Refusal.NotFound e) {
      throw new Refusal.Unprocessable("user '" + userId.get() + "' does not exist");
    }
  }

  private void processLog(Context ctx) throws Exception {
    int tail = DEFAULT_LOG_TAIL;
    String tailParam = ctx.queryParam("tail");
    if (tailParam != null) {
      try {
        tail = Integer.parseInt(tailParam);
      } catch (NumberFormatException e) {
        throw new Refusal.BadRequest("query parameter 'tail' must be a whole number, not '" + tailParam + "'");
      }
      if (tail < 1 || tail > MAX_LOG_TAIL) {
        throw new Refusal.BadRequest("query parameter 'tail' must be between 1 and " + MAX_LOG_TAIL + ", not " + tail);
      }
    }
    String follow = ctx.queryParam("follow");
    if (follow != null && !follow.equals("true") && !follow.equals("false")) {
      throw new Refusal.BadRequest("query parameter 'follow' must be true or false, not '" + follow + "'");
    }
    if ("true".equals(follow)) {
      followLog(ctx, tail);
      return;
    }
    String log = processes.logs(ctx.pathParam("id"), tail, user(ctx));
    ctx.status(200).contentType("text/plain; charset=utf-8").result(log);
  }

  /**
   * {@code ?follow=true}: the last lines, then the output as it comes, until the client goes away
   * or the process is removed. Plain text, flushed chunk by chunk, so {@code curl -N} and a
   * {@code fetch} reader see each line when it is written. The access check happens before the
   * first byte, so a refusal is still a problem response.
   */
  private void followLog(Context ctx, int tail) throws Exception {
    String id = ctx.pathParam("id");
    User caller = user(ctx);
    processes.get(id, caller);
    ctx.status(200).contentType("text/plain; charset=utf-8").header("Cache-Control", "no-cache")
        .header("X-Content-Type-Options", "nosniff");
    var out = ctx.res().getOutputStream();
    out.flush(); // the headers now: the client knows the stream is on before the first line
    try {
      processes.followLogs(id, tail, caller, chunk -> {
        out.write(chunk);
        out.flush();
      });
    } catch (SwarmException e) {
      // The headers are out: nothing to answer with; the stream just ends.
      LOG.debug("following the log of {} ended: {}", id, e.getMessage());
    }
  }

  private void createConnection(Context ctx) throws Exception {
    Set<String> endpointFields = Set.of("processId", "interfaceId");
    ObjectNode body = body(ctx, Set.of("endpoint1", "endpoint2", "interfaceVersions"));
    ObjectNode e1 = Bodies.requiredObject(body, "endpoint1", endpointFields);
    ObjectNode e2 = Bodies.requiredObject(body, "endpoint2", endpointFields);
    Optional<ConnectionPlanner.VersionChoice> versions = Optional.empty();
    if (body.has("interfaceVersions") && !body.get("interfaceVersions").isNull()) {
      ObjectNode v = Bodies.requiredObject(body, "interfaceVersions", Set.of("endpoint1", "endpoint2"));
      versions = Optional.of(new ConnectionPlanner.VersionChoice(Bodies.requiredText(v, "interfaceVersions", "endpoint1"),
          Bodies.requiredText(v, "interfaceVersions", "endpoint2")));
    }
    ConnectionManager.NewConnection request = new ConnectionManager.NewConnection(
        Bodies.requiredText(e1, "endpoint1", "processId"), Bodies.requiredText(e1, "endpoint1", "interfaceId"),
        Bodies.requiredText(e2, "endpoint2", "processId"), Bodies.requiredText(e2, "endpoint2", "interfaceId"),
        versions);
    json(ctx, 201, Views.connection(connections.create(request, user(ctx))));
  }

  /**
   * Whether a trigger says the process holds a certificate ({@code X-Defpi-Tls: 1}). Never with
   * DEFPI_TLS=off: this orchestrator then gives no certificates and speaks no TLS.
   */
  private boolean saysTls(Context ctx) {
    String said = ctx.header(TlsNames.TLS_HEADER);
    return certificates.isPresent() && said != null && said.strip().equals("1");
  }

  /**
   * POST /process/{id}/certificate {publicKey}: a certificate of the deployment's authority for the
   * process that asks with its own token (docs/wire-additions.md, "TLS", 1). With DEFPI_TLS=off the
   * answer is the one for a route that does not exist, as from an orchestrator without TLS: the
   * process then stays plain.
   */
  private void issueCertificate(Context ctx) throws Exception {
    if (certificates.isEmpty()) {
      problem(ctx, "not-found", "Not found", 404, "no route " + ctx.method() + " " + ctx.path());
      return;
    }
    var issued = certificates.get().issue(ctx.pathParam("id"), ctx.header("X-Auth-Token"),
        () -> Bodies.requiredText(body(ctx, Set.of("publicKey")), "publicKey"));
    json(ctx, 200, Views.certificate(issued));
  }

  /** PUT /process/{id}/traffic: a process's report of its connections (an addition to WIRE.md; see TrafficManager). */
  private void reportTraffic(Context ctx) throws Exception {
    java.time.Duration next = traffic.report(ctx.pathParam("id"), ctx.header("X-Auth-Token"), () -> {
      ObjectNode body = body(ctx, Set.of("connections"));
      if (!body.has("connections")) {
        throw new Refusal.BadRequest("field 'connections' is required (an array, empty when the process has none)");
      }
      List<ObjectNode> items = Bodies.objects(body, "connections", TRAFFIC_FIELDS);
      List<ConnectionReport> reports = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        reports.add(connectionReport(items.get(i), "connections[" + i + "]"));
      }
      return reports;
    });
    ctx.header(TRAFFIC_INTERVAL_HEADER, Long.toString(next.toSeconds()));
    ctx.status(204);
  }

  private static ConnectionReport connectionReport(ObjectNode item, String at) throws Refusal.BadRequest {
    String connectionId = Bodies.nested(at, "connectionId", f -> Bodies.requiredText(item, f));
    Bodies.nested(at, "encrypted", f -> Bodies.optionalBoolean(item, f));
    String state = Bodies.nested(at, "state", f -> Bodies.requiredText(item, f));
    if (!ConnectionReport.STATES.contains(state)) {
      throw new Refusal.BadRequest("field '" + at + ".state' must be one of " + new java.util.TreeSet<>(ConnectionReport.STATES)
          + ", not '" + state + "'");
    }
    long[] v = new long[TRAFFIC_COUNTERS.size()];
    for (int k = 0; k < v.length; k++) {
      String name = TRAFFIC_COUNTERS.get(k);
      long value = Bodies.nested(at, name, f -> Bodies.optionalLong(item, f).orElseThrow(
          () -> new Refusal.BadRequest("field '" + f + "' is required (a whole number, 0 or more)")));
      if (value < 0) {
        throw new Refusal.BadRequest("field '" + at + "." + name + "' must be 0 or more, not " + value);
      }
      v[k] = value;
    }
    return new ConnectionReport(connectionId, state, new Counters(v[0], v[1], v[2], v[3], v[4], v[5], v[6]));
  }

  /** GET /traffic[?userId=…]: the connections with reports that the caller may see. */
  private void listTraffic(Context ctx) throws Exception {
    for (String name : ctx.queryParamMap().keySet()) {
      if (!name.equals("userId")) {
        throw new Refusal.BadRequest("query parameter '" + name + "' is not known here; only userId");
      }
    }
    List<String> userIds = ctx.queryParams("userId");
    if (userIds.size() > 1) {
      throw new Refusal.BadRequest("query parameter 'userId' may be given once");
    }
    Optional<String> userId = userIds.stream().findFirst();
    List<org.defpi.orchestrator.traffic.ConnectionTraffic> all = traffic.all(user(ctx), userId);
    ctx.header(TOTAL_COUNT, Integer.toString(all.size())); // as every array answer: here, all of it
    json(ctx, 200, Views.list(all, Views::connectionTraffic));
  }

  private void listNodes(Context ctx) throws Exception {
    String kindParam = ctx.queryParam("kind");
    if (kindParam != null && NodeKind.parse(kindParam).isEmpty()) {
      throw new Refusal.BadRequest("query parameter 'kind' must be unidentified, public or private, not '" + kindParam + "'");
    }
    // kind is one of the list filters too; parsing it above only gives a wrong value a clear refusal.
    list(ctx, nodes.list(Optional.empty(), user(ctx)), Views::node, NODE_FIELDS);
  }

  private void assignNode(Context ctx) throws Exception {
    ObjectNode body = body(ctx, Set.of("kind", "poolId", "userId"));
    String kindText = Bodies.requiredText(body, "kind");
    NodeKind kind = NodeKind.parse(kindText).orElseThrow(() -> new Refusal.BadRequest(
        "field 'kind' must be unidentified, public or private, not '" + kindText + "'"));
    Optional<String> userId = Bodies.optionalText(body, "userId");
    if (userId.isPresent()) {
      owner(ctx, userId); // the user must exist
    }
    json(ctx, 200, Views.node(nodes.assign(ctx.pathParam("id"), kind, Bodies.optionalText(body, "poolId"), userId)));
  }

  /**
   * The request body as a JSON object with only the {@code allowed} fields. A body declared as
   * something else than JSON is refused (415) rather than guessed at: {@code curl -d} sends
   * form encoding unless told otherwise.
   */
  private static ObjectNode body(Context ctx, Set<String> allowed) throws Refusal {
    String type = ctx.contentType();
    if (type != null && !type.isBlank()) {
      String mediaType = type.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
      if (!mediaType.equals(JSON) && !mediaType.endsWith("+json")) {
        throw new Refusal.UnsupportedMediaType("the request body must be JSON (Content-Type: application/json), not '"
            + mediaType + "'");
      }
    }
    return Bodies.object(ctx.bodyAsBytes(), allowed);
  }

  private static String poolName(Context ctx) throws Refusal {
    return Bodies.requiredText(body(ctx, Set.of("name")), "name");
  }

  /**
   * GET /events: server-sent events of the caller's processes, connections and pending changes
   * (an admin's: everyone's), as {@code event: process|connection|pendingchange}, {@code id:
   * <run>-<seq>}, {@code data: {seq, at, subject, action, id, userId, state, reason?}}, after a
   * first {@code event: ready} once the stream listens (everything later is on it). A client
   * that reconnects with {@code Last-Event-ID} (or {@code ?after=}) gets what it missed; when that
   * is no longer known (too old, or from before a restart) it gets one {@code event: reset} and
   * the stream ends: reload, then listen again without an id. A comment every 15 s keeps proxies
   * from closing a quiet stream.
   */
  private void streamEvents(SseClient client) {
    Context ctx = client.ctx();
    User caller = user(ctx);
    String last = Optional.ofNullable(ctx.header("Last-Event-ID")).orElse(ctx.queryParam("after"));
    long after = events.lastSeq();
    boolean known = true;
    if (last != null && !last.isBlank()) {
      known = false;
      String[] parts = last.strip().split("-", 2);
      if (parts.length == 2 && parts[0].equals(eventRun)) {
        try {
          after = Long.parseLong(parts[1]);
          known = true;
        } catch (NumberFormatException e) {
          known = false;
        }
      }
    }
    Optional<Subscription> subscribed = known
        ? events.subscribe(e -> caller.canSee(e.userId()), after, EVENT_QUEUE) : Optional.empty();
    if (subscribed.isEmpty()) {
      // built as JSON: the id quoted back is the client's own text
      client.sendEvent("reset", Bodies.JSON.createObjectNode().put("reason", "the events after " + last
          + " are not known here; reload and listen again").toString());
      client.close();
      return;
    }
    try (Subscription subscription = subscribed.get()) {
      // Says the stream is listening from here on: what happens after this event is on it.
      client.sendEvent("ready", "{\"seq\":" + after + "}", eventRun + "-" + after);
      while (!client.terminated()) {
        Optional<Event> next = subscription.next(EVENT_KEEP_ALIVE);
        if (next.isPresent()) {
          Event e = next.get();
          client.sendEvent(e.subject().streamName(), Bodies.JSON.writeValueAsString(Views.event(e)), eventRun + "-" + e.seq());
        } else if (subscription.overflowed()) {
          client.sendEvent("reset", "{\"reason\":\"this stream fell too far behind; reload and listen again\"}");
          break;
        } else {
          client.sendComment("keep-alive");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an event always serialises", e);
    } catch (RuntimeException e) {
      // The client went away while we wrote (Jetty recycles the response): the stream is over.
      LOG.debug("event stream of {} ended: {}", caller.name(), e.toString());
    } finally {
      try {
        client.close();
      } catch (RuntimeException e) {
        // already closed with its connection
      }
    }
  }

  // ---- authentication

  /**
   * Runs before every matched route. Public and process routes pass (a process's token is checked
   * by its handler, against the process in the path); the others need a bearer token or HTTP Basic
   * credentials, and admin routes an admin. A route without an {@link Access} needs a user: the
   * safe default.
   */
  private void authenticate(Context ctx) throws Refusal {
    Access access = ctx.routeRoles().stream().filter(Access.class::isInstance).map(Access.class::cast)
        .findFirst().orElse(Access.USER);
    if (access == Access.PUBLIC || access == Access.PROCESS) {
      return;
    }
    String header = ctx.header("Authorization");
    Optional<String> token = bearer(ctx);
    User user;
    if (token.isPresent()) {
      user = users.authenticateToken(token.get());
    } else if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
      BasicAuthCredentials credentials;
      try {
        credentials = ctx.basicAuthCredentials();
      } catch (RuntimeException e) {
        credentials = null;
      }
      if (credentials == null) {
        throw new Refusal.Unauthorized("the Authorization header is not valid HTTP Basic",
            Refusal.Unauthorized.Challenge.CREDENTIALS);
      }
      user = users.authenticate(credentials.getUsername(), credentials.getPassword(), ctx.ip());
    } else {
      throw new Refusal.Unauthorized(
          "this route needs a bearer token (POST /login) or HTTP Basic credentials in the Authorization header",
          Refusal.Unauthorized.Challenge.CREDENTIALS);
    }
    if (access == Access.ADMIN && !user.isAdmin()) {
      throw new Refusal.Forbidden("only an admin can " + ctx.method() + " " + ctx.path());
    }
    ctx.attribute(USER, user);
  }

  private static Optional<String> bearer(Context ctx) {
    String header = ctx.header("Authorization");
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
        ? Optional.of(header.substring(7).strip()) : Optional.empty();
  }

  private static User user(Context ctx) {
    User user = ctx.attribute(USER);
    return Objects.requireNonNull(user, "authenticate() runs before every user and admin route");
  }

  // ---- writing

  private static Route get(String path, Access access, Handler handler) {
    return new Route(HandlerType.GET, path, access, handler);
  }

  private static Route post(String path, Access access, Handler handler) {
    return new Route(HandlerType.POST, path, access, handler);
  }

  private static Route put(String path, Access access, Handler handler) {
    return new Route(HandlerType.PUT, path, access, handler);
  }

  /** A DELETE answers 204 when its handler returns. */
  private static Route delete(String path, Access access, Handler handler) {
    return new Route(HandlerType.DELETE, path, access, ctx -> {
      handler.handle(ctx);
      ctx.status(204);
    });
  }

  /** A list: filtered, sorted and paged by the query ({@link ListQuery}), the total in {@value #TOTAL_COUNT}. */
  private static <T> void list(Context ctx, List<T> items, Function<T, ObjectNode> view, Fields fields)
      throws Refusal.BadRequest, JsonProcessingException {
    page(ctx, items.stream().map(view).toList(), fields);
  }

  private static void page(Context ctx, List<ObjectNode> views, Fields fields)
      throws Refusal.BadRequest, JsonProcessingException {
    ListQuery.Page page = ListQuery.parse(ctx.queryParamMap(), fields).apply(views);
    ArrayNode array = Bodies.JSON.createArrayNode();
    page.items().forEach(array::add);
    ctx.header(TOTAL_COUNT, Integer.toString(page.total()));
    json(ctx, 200, array);
  }

  private static void json(Context ctx, int status, JsonNode body) throws JsonProcessingException {
    ctx.status(status).contentType(JSON).result(Bodies.JSON.writeValueAsString(body));
  }

  private static void refuse(Context ctx, Refusal refusal) {
    if (refusal instanceof Refusal.Unauthorized u) {
      ctx.header("WWW-Authenticate", switch (u.challenge()) {
        case CREDENTIALS -> CHALLENGE;
        case INVALID_TOKEN -> "Bearer realm=\"defpi\", error=\"invalid_token\"";
        // no standard scheme for dEF-Pi's header; named so a client knows what is asked for
        case PROCESS_TOKEN -> "X-Auth-Token realm=\"defpi-process\"";
      });
    }
    if (refusal instanceof Refusal.TooManyRequests t) {
      ctx.header("Retry-After", Long.toString(t.retryAfterSeconds()));
    }
    problem(ctx, refusal.slug(), refusal.title(), refusal.status(), refusal.getMessage());
  }

  private static void problem(Context ctx, String slug, String title, int status, String detail) {
    try {
      // A refusal may quote the input; a 100 000-character input need not come back whole.
      String shown = detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL) + "… (cut)";
      ctx.status(status).contentType(PROBLEM_JSON)
          .result(Bodies.JSON.writeValueAsString(Views.problem(slug, title, status, shown, ctx.path(),
              Optional.ofNullable(ctx.attribute(RequestLog.REQUEST_ID)))));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree always serialises", e);
    }
  }

  private static boolean isProblem(Context ctx) {
    String type = ctx.res().getContentType();
    return type != null && type.startsWith(PROBLEM_JSON);
  }

  /** The caller's address as this server saw it (no proxy is trusted to tell another). */
  private static Optional<java.net.InetAddress> remoteAddress(io.javalin.http.Context ctx) {
    try {
      return Optional.of(java.net.InetAddress.getByName(ctx.req().getRemoteAddr())); // a literal: no lookup
    } catch (java.net.UnknownHostException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
