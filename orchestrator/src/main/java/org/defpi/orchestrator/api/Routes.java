package org.defpi.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.security.BasicAuthCredentials;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.connection.ConnectionManager;
import org.defpi.orchestrator.node.NodeKind;
import org.defpi.orchestrator.node.NodeManager;
import org.defpi.orchestrator.process.ProcessManager;
import org.defpi.orchestrator.process.Swarm.SwarmException;
import org.defpi.orchestrator.service.Registry.RegistryException;
import org.defpi.orchestrator.service.ServiceManager;
import org.defpi.orchestrator.user.User;
import org.defpi.orchestrator.user.UserManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API (ARCHITECTURE.md "REST API"), every route registered here in plain code. Handlers
 * read the request, call one manager and write the answer; refusals are thrown as {@link Refusal}s
 * and written as RFC 9457 problems.
 *
 * <pre>
 * GET    /health, /version                     public
 * PUT    /process/trigger/{id}                 X-Auth-Token of the process, 204
 * GET    /service, /service/{id}               HTTP Basic (admin) from here on
 * POST   /process                              201 {process}
 * GET    /process, /process/{id}
 * GET    /process/{id}/log?tail=N              text/plain
 * DELETE /process/{id}                         204
 * POST   /connection                           201 {connection}
 * GET    /connection, /connection/{id}
 * DELETE /connection/{id}                      204
 * GET    /node?kind=unidentified|public|private, /node/{id}   synced from the Swarm first
 * PUT    /node/{id}                            {kind, poolId?, userId?} 200 {node}
 * POST   /nodepool                             {name} 201 {pool}
 * GET    /nodepool, /nodepool/{id}
 * PUT    /nodepool/{id}                        {name} 200 {pool}
 * DELETE /nodepool/{id}                        204; 409 while nodes are in it
 * </pre>
 */
public final class Routes {
  private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
  static final String PROBLEM_TYPE_PREFIX = "urn:defpi:problem:";
  static final String PROBLEM_JSON = "application/problem+json";
  static final String JSON = "application/json";
  static final int DEFAULT_LOG_TAIL = 200;
  static final int MAX_LOG_TAIL = 10_000;
  private static final String USER = "defpi.user";

  private final ServiceManager services;
  private final ProcessManager processes;
  private final ConnectionManager connections;
  private final NodeManager nodes;
  private final UserManager users;
  private final String version;

  public Routes(ServiceManager services, ProcessManager processes, ConnectionManager connections, NodeManager nodes,
      UserManager users, String version) {
    this.services = Objects.requireNonNull(services, "services");
    this.processes = Objects.requireNonNull(processes, "processes");
    this.connections = Objects.requireNonNull(connections, "connections");
    this.nodes = Objects.requireNonNull(nodes, "nodes");
    this.users = Objects.requireNonNull(users, "users");
    this.version = Objects.requireNonNull(version, "version");
  }

  /** The app with every route; not started. */
  public Javalin app() {
    return Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.concurrency.useVirtualThreads = true;
      config.http.defaultContentType = JSON;
      var r = config.routes;

      r.beforeMatched(this::authenticate);

      r.get("/health", ctx -> json(ctx, 200, Bodies.JSON.createObjectNode().put("status", "UP")));
      r.get("/version", ctx -> json(ctx, 200, Bodies.JSON.createObjectNode().put("version", version)));

      r.get("/service", ctx -> json(ctx, 200, Views.list(services.list(), Views::service)));
      r.get("/service/{id}", ctx -> json(ctx, 200, Views.service(services.get(ctx.pathParam("id")))));

      r.post("/process", this::createProcess);
      r.get("/process", ctx -> json(ctx, 200, Views.list(processes.list(), Views::process)));
      r.get("/process/{id}", ctx -> json(ctx, 200, Views.process(processes.get(ctx.pathParam("id")))));
      r.get("/process/{id}/log", this::processLog);
      r.delete("/process/{id}", ctx -> {
        processes.terminate(ctx.pathParam("id"));
        ctx.status(204);
      });
      r.put("/process/trigger/{id}", ctx -> {
        processes.trigger(ctx.pathParam("id"), ctx.header("X-Auth-Token"));
        ctx.status(204);
      });

      r.post("/connection", this::createConnection);
      r.get("/connection", ctx -> json(ctx, 200, Views.list(connections.list(), Views::connection)));
      r.get("/connection/{id}", ctx -> json(ctx, 200, Views.connection(connections.get(ctx.pathParam("id")))));
      r.delete("/connection/{id}", ctx -> {
        connections.delete(ctx.pathParam("id"));
        ctx.status(204);
      });

      r.get("/node", this::listNodes);
      r.get("/node/{id}", ctx -> json(ctx, 200, Views.node(nodes.get(ctx.pathParam("id")))));
      r.put("/node/{id}", this::assignNode);

      r.post("/nodepool", ctx -> json(ctx, 201, Views.nodePool(nodes.createPool(poolName(ctx)))));
      r.get("/nodepool", ctx -> json(ctx, 200, Views.list(nodes.pools(), Views::nodePool)));
      r.get("/nodepool/{id}", ctx -> json(ctx, 200, Views.nodePool(nodes.pool(ctx.pathParam("id")))));
      r.put("/nodepool/{id}", ctx ->
          json(ctx, 200, Views.nodePool(nodes.renamePool(ctx.pathParam("id"), poolName(ctx)))));
      r.delete("/nodepool/{id}", ctx -> {
        nodes.deletePool(ctx.pathParam("id"));
        ctx.status(204);
      });

      r.exception(Refusal.class, (e, ctx) -> refuse(ctx, e));
      r.exception(RegistryException.class, (e, ctx) ->
          problem(ctx, "registry-unavailable", "Registry unavailable", 502, e.getMessage()));
      r.exception(SwarmException.class, (e, ctx) ->
          problem(ctx, "swarm-unavailable", "Docker Swarm refused or unavailable", 502, e.getMessage()));
      r.exception(Exception.class, (e, ctx) -> {
        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
        problem(ctx, "internal", "Internal error", 500, "the orchestrator failed: " + e);
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

  private void createProcess(Context ctx) throws Exception {
    ObjectNode body = Bodies.object(ctx.body(), Set.of("serviceId", "name", "version", "configuration"));
    String serviceId = Bodies.requiredText(body, "serviceId");
    ProcessManager.NewProcess request = new ProcessManager.NewProcess(
        serviceId,
        Bodies.optionalText(body, "name").orElse(serviceId),
        Bodies.optionalText(body, "version"),
        Bodies.stringMap(body, "configuration"));
    json(ctx, 201, Views.process(processes.create(request, user(ctx))));
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
    ctx.status(200).contentType("text/plain; charset=utf-8").result(processes.logs(ctx.pathParam("id"), tail));
  }

  private void createConnection(Context ctx) throws Exception {
    Set<String> endpointFields = Set.of("processId", "interfaceId");
    ObjectNode body = Bodies.object(ctx.body(), Set.of("endpoint1", "endpoint2"));
    ObjectNode e1 = Bodies.requiredObject(body, "endpoint1", endpointFields);
    ObjectNode e2 = Bodies.requiredObject(body, "endpoint2", endpointFields);
    ConnectionManager.NewConnection request = new ConnectionManager.NewConnection(
        Bodies.requiredText(e1, "endpoint1", "processId"), Bodies.requiredText(e1, "endpoint1", "interfaceId"),
        Bodies.requiredText(e2, "endpoint2", "processId"), Bodies.requiredText(e2, "endpoint2", "interfaceId"));
    json(ctx, 201, Views.connection(connections.create(request)));
  }

  private void listNodes(Context ctx) throws Exception {
    Optional<NodeKind> kind = Optional.empty();
    String kindParam = ctx.queryParam("kind");
    if (kindParam != null) {
      kind = Optional.of(NodeKind.parse(kindParam).orElseThrow(() -> new Refusal.BadRequest(
          "query parameter 'kind' must be unidentified, public or private, not '" + kindParam + "'")));
    }
    json(ctx, 200, Views.list(nodes.list(kind), Views::node));
  }

  private void assignNode(Context ctx) throws Exception {
    ObjectNode body = Bodies.object(ctx.body(), Set.of("kind", "poolId", "userId"));
    String kindText = Bodies.requiredText(body, "kind");
    NodeKind kind = NodeKind.parse(kindText).orElseThrow(() -> new Refusal.BadRequest(
        "field 'kind' must be unidentified, public or private, not '" + kindText + "'"));
    json(ctx, 200, Views.node(nodes.assign(ctx.pathParam("id"), kind, Bodies.optionalText(body, "poolId"),
        Bodies.optionalText(body, "userId"))));
  }

  private static String poolName(Context ctx) throws Refusal.BadRequest {
    return Bodies.requiredText(Bodies.object(ctx.body(), Set.of("name")), "name");
  }

  // ---- authentication

  /** Every matched route but the public ones needs the admin's HTTP Basic credentials. */
  private void authenticate(Context ctx) throws Refusal.Unauthorized {
    if (isPublic(ctx.method().name(), ctx.path())) {
      return;
    }
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      throw new Refusal.Unauthorized("this route needs HTTP Basic authentication", true);
    }
    BasicAuthCredentials credentials;
    try {
      credentials = ctx.basicAuthCredentials();
    } catch (RuntimeException e) {
      throw new Refusal.Unauthorized("the Authorization header is not valid HTTP Basic", true);
    }
    if (credentials == null) {
      throw new Refusal.Unauthorized("the Authorization header is not valid HTTP Basic", true);
    }
    Optional<User> user = users.authenticate(credentials.getUsername(), credentials.getPassword());
    if (user.isEmpty()) {
      throw new Refusal.Unauthorized("wrong user name or password", true);
    }
    ctx.attribute(USER, user.get());
  }

  static boolean isPublic(String method, String path) {
    return path.equals("/health") || path.equals("/version")
        || (method.equals("PUT") && path.startsWith("/process/trigger/"));
  }

  private static User user(Context ctx) {
    User user = ctx.attribute(USER);
    return Objects.requireNonNull(user, "authenticate() runs before every non-public route");
  }

  // ---- writing

  private static void json(Context ctx, int status, JsonNode body) throws JsonProcessingException {
    ctx.status(status).contentType(JSON).result(Bodies.JSON.writeValueAsString(body));
  }

  private static void refuse(Context ctx, Refusal refusal) {
    if (refusal instanceof Refusal.Unauthorized u && u.basicChallenge()) {
      ctx.header("WWW-Authenticate", "Basic realm=\"defpi\", charset=\"UTF-8\"");
    }
    problem(ctx, refusal.slug(), refusal.title(), refusal.status(), refusal.getMessage());
  }

  private static void problem(Context ctx, String slug, String title, int status, String detail) {
    try {
      ctx.status(status).contentType(PROBLEM_JSON)
          .result(Bodies.JSON.writeValueAsString(Views.problem(slug, title, status, detail, ctx.path())));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree always serialises", e);
    }
  }

  private static boolean isProblem(Context ctx) {
    String type = ctx.res().getContentType();
    return type != null && type.startsWith(PROBLEM_JSON);
  }
}
