package org.defpi.orchestrator.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.defpi.orchestrator.connection.Connection;
import org.defpi.orchestrator.connection.ConnectionManager;
import org.defpi.orchestrator.connection.Endpoint;
import org.defpi.orchestrator.node.Node;
import org.defpi.orchestrator.node.NodePool;
import org.defpi.orchestrator.process.Mount;
import org.defpi.orchestrator.process.Placement;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.process.PublishedPort;
import org.defpi.orchestrator.process.Target;
import org.defpi.orchestrator.service.Image;
import org.defpi.orchestrator.service.Service;
import org.defpi.orchestrator.event.Event;
import org.defpi.orchestrator.layout.Position;
import org.defpi.orchestrator.pendingchange.PendingChange;
import org.defpi.orchestrator.traffic.ConnectionTraffic;
import org.defpi.orchestrator.traffic.Counters;
import org.defpi.orchestrator.traffic.EndTraffic;
import org.defpi.orchestrator.traffic.ProcessTraffic;
import org.defpi.orchestrator.user.User;
import org.defpi.wire.label.InterfaceLabel;
import org.defpi.wire.label.InterfaceVersionLabel;
import org.defpi.wire.service.Parameter;

/** The JSON the API answers with, written out field by field: what a client sees is all here. */
final class Views {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private Views() {}

  /**
   * {@code {id, serviceId, name, version, userId, state, reason?, configuration, createdAt, nodeId?,
   * nodePoolId?, memoryMb?, cpus?, mounts, ports, runsOn?, tls, interfaces}}; never the token. The
   * placement fields are as its creator asked (neither nodeId nor nodePoolId: any public node); runsOn
   * is where Swarm ran it when last looked; tls whether its last trigger said it holds a certificate.
   * The interfaces are those of the version it runs (its image is pinned), which the service's
   * default version need not share: what a connection to it can use.
   */
  static ObjectNode process(Process p) {
    ObjectNode o = F.objectNode();
    o.put("id", p.id());
    o.put("serviceId", p.serviceId());
    o.put("name", p.name());
    o.put("version", p.version());
    o.put("userId", p.userId());
    o.put("state", p.state().name());
    p.reason().ifPresent(r -> o.put("reason", r));
    ObjectNode config = o.putObject("configuration");
    p.configuration().forEach(config::put);
    o.put("createdAt", time(p.createdAt()));
    Placement placement = p.placement();
    switch (placement.target()) {
      case Target.PrivateNode n -> o.put("nodeId", n.nodeId());
      case Target.Pool pool -> o.put("nodePoolId", pool.poolId());
      case Target.AnyPublicNode any -> { }
    }
    if (placement.resources().memoryBytes() > 0) {
      o.put("memoryMb", placement.resources().memoryMb());
    }
    if (placement.resources().nanoCpus() > 0) {
      o.put("cpus", placement.resources().cpus());
    }
    ArrayNode mounts = o.putArray("mounts");
    for (Mount m : placement.mounts()) {
      mounts.addObject().put("type", m.type().name().toLowerCase(java.util.Locale.ROOT)).put("source", m.source())
          .put("target", m.target()).put("readOnly", m.readOnly());
    }
    ArrayNode ports = o.putArray("ports");
    for (PublishedPort port : placement.ports()) {
      ports.addObject().put("target", port.target()).put("published", port.published())
          .put("protocol", port.protocol().apiName());
    }
    p.runsOn().ifPresent(n -> o.put("runsOn", n));
    o.put("tls", p.tls());
    ArrayNode interfaces = o.putArray("interfaces");
    p.interfaces().forEach(i -> interfaces.add(iface(i)));
    return o;
  }

  /**
   * {@code {id, userId, endpoint1:{processId, interfaceId, listenPort}, endpoint2:{…},
   * interfaceVersions:{endpoint1, endpoint2}, state, reason?, encrypted, createdAt}}; userId is its
   * processes' user; state STARTING, ACTIVE, SUSPENDED or FAILED, reason only when FAILED; encrypted
   * when the orchestrator last told both ends tls = true.
   */
  static ObjectNode connection(ConnectionManager.Owned owned) {
    Connection c = owned.connection();
    ObjectNode o = F.objectNode();
    o.put("id", c.id());
    o.put("userId", owned.userId());
    o.set("endpoint1", endpoint(c.endpoint1(), c.listenPort()));
    o.put("userId", owned.userId());
    o.set("endpoint2", endpoint(c.endpoint2(), c.listenPort()));
    ObjectNode versions = o.putObject("interfaceVersions");
    versions.put("endpoint1", c.endpoint1().versionName());
    versions.put("endpoint2", c.endpoint2().versionName());
    o.put("state", c.state().name());
    c.reason().ifPresent(r -> o.put("reason", r));
    o.put("encrypted", c.encrypted());
    o.put("createdAt", time(c.createdAt()));
    return o;
  }

  /**
   * {@code {certificate, caCertificate, notAfter, renewAfter}}: the issued certificate and the
   * authority's, as PEM. Never a key: the process keeps its own, and the authority's stays in the store.
   */
  static ObjectNode certificate(org.defpi.orchestrator.certificate.IssuedCertificate issued) {
    ObjectNode o = F.objectNode();
    o.put("certificate", issued.certificatePem());
    o.put("caCertificate", issued.authorityPem());
    o.put("notAfter", time(issued.notAfter()));
    o.put("renewAfter", time(issued.renewAfter()));
    return o;
  }

  /**
   * {@code {id, hostname, architecture, status, kind, poolId?, userId?, lastSeen, memoryMb?, cpus?}};
   * kind in lower case as in PUT; memory and CPUs as the Swarm reports them, once it has.
   */
  static ObjectNode node(Node n) {
    ObjectNode o = F.objectNode();
    o.put("id", n.id());
    o.put("hostname", n.hostname());
    o.put("architecture", n.architecture());
    o.put("status", n.status().name());
    o.put("kind", n.kind().apiName());
    n.poolId().ifPresent(p -> o.put("poolId", p));
    n.ownerUserId().ifPresent(u -> o.put("userId", u));
    o.put("lastSeen", time(n.lastSeen()));
    if (n.capacity().memoryBytes() > 0) {
      o.put("memoryMb", n.capacity().memoryMb());
    }
    if (n.capacity().nanoCpus() > 0) {
      o.put("cpus", n.capacity().cpus());
    }
    return o;
  }

  /** {@code {id, name}}. */
  static ObjectNode nodePool(NodePool p) {
    ObjectNode o = F.objectNode();
    o.put("id", p.id());
    o.put("name", p.name());
    return o;
  }

  private static ObjectNode endpoint(Endpoint e, int listenPort) {
    ObjectNode o = F.objectNode();
    o.put("processId", e.processId());
    o.put("interfaceId", e.interfaceId());
    o.put("listenPort", listenPort);
    return o;
  }

  /**
   * {@code {id, name, version?, interfaces, parameters, versions:[{version, digest, valid, reason?}]}}:
   * name, interfaces and parameters are those of the default version (the one {@code latest} is).
   */
  static ObjectNode service(Service s) {
    ObjectNode o = F.objectNode();
    o.put("id", s.id());
    o.put("name", s.name());
    Optional<Image.Valid> shown = s.defaultImage();
    shown.ifPresent(i -> o.put("version", i.tag()));
    ArrayNode interfaces = o.putArray("interfaces");
    shown.ifPresent(i -> i.labels().interfaces().forEach(iface -> interfaces.add(iface(iface))));
    ArrayNode parameters = o.putArray("parameters");
    shown.ifPresent(i -> i.labels().parameters().forEach(p -> parameters.add(parameter(p))));
    ArrayNode versions = o.putArray("versions");
    for (Image image : s.images()) {
      ObjectNode v = versions.addObject();
      v.put("version", image.tag());
      v.put("digest", image.digest());
      switch (image) {
        case Image.Valid valid -> v.put("valid", true);
        case Image.Invalid invalid -> {
          v.put("valid", false);
          v.put("reason", invalid.reason());
        }
      }
    }
    return o;
  }

  static ObjectNode iface(InterfaceLabel i) {
    ObjectNode o = F.objectNode();
    o.put("id", i.id());
    o.put("name", i.name());
    o.put("serviceId", i.serviceId());
    ArrayNode versions = o.putArray("interfaceVersions");
    for (InterfaceVersionLabel v : i.interfaceVersions()) {
      ObjectNode vo = versions.addObject();
      vo.put("versionName", v.versionName());
      vo.put("receivesHash", v.receivesHash());
      vo.put("sendsHash", v.sendsHash());
    }
    o.put("allowMultiple", i.allowMultiple());
    o.put("autoConnect", i.autoConnect());
    return o;
  }

  private static ObjectNode parameter(Parameter p) {
    ObjectNode o = F.objectNode();
    o.put("id", p.id());
    o.put("name", p.name());
    o.put("type", p.type().jsonName());
    o.put("isArray", p.isArray());
    o.put("isOptional", p.isOptional());
    p.values().forEach(o.putArray("values")::add);
    p.labels().forEach(o.putArray("labels")::add);
    p.defaultValue().ifPresent(d -> o.put("default", d));
    return o;
  }

  /**
   * {@code {id, kind, processId?, connectionId?, userId, state, attempts, maxAttempts, lastError?,
   * createdAt, updatedAt, notBefore}}; the lease and payload are the workers' business.
   */
  static ObjectNode pendingChange(PendingChange c) {
    ObjectNode o = F.objectNode();
    o.put("id", c.id());
    o.put("kind", c.kind().name());
    c.processId().ifPresent(p -> o.put("processId", p));
    c.connectionId().ifPresent(p -> o.put("connectionId", p));
    o.put("userId", c.userId());
    o.put("state", c.state().name());
    o.put("attempts", c.attempts());
    o.put("maxAttempts", c.maxAttempts());
    c.lastError().ifPresent(e -> o.put("lastError", e));
    o.put("createdAt", time(c.createdAt()));
    o.put("updatedAt", time(c.updatedAt()));
    o.put("notBefore", time(c.notBefore()));
    return o;
  }

  /** {@code {seq, at, subject, action, id, userId, state, reason?}}; subject and action in lower case. */
  static ObjectNode event(Event e) {
    ObjectNode o = F.objectNode();
    o.put("seq", e.seq());
    o.put("at", time(e.at()));
    o.put("subject", e.subject().streamName());
    o.put("action", e.action().name().toLowerCase(java.util.Locale.ROOT));
    o.put("id", e.id());
    o.put("userId", e.userId());
    o.put("state", e.state());
    e.reason().ifPresent(r -> o.put("reason", r));
    return o;
  }

  /** {@code {positions:[{processId, x, y}]}}. */
  static ObjectNode layout(List<Position> positions) {
    ObjectNode o = F.objectNode();
    ArrayNode array = o.putArray("positions");
    for (Position p : positions) {
      array.addObject().put("processId", p.processId()).put("x", p.x()).put("y", p.y());
    }
    return o;
  }

  /** {@code {id, name, role, email?, createdAt}}: never a password or its hash. */
  static ObjectNode user(User u) {
    ObjectNode o = F.objectNode();
    o.put("id", u.id());
    o.put("name", u.name());
    o.put("role", u.role().apiName());
    u.email().ifPresent(e -> o.put("email", e));
    o.put("createdAt", time(u.createdAt()));
    return o;
  }

  /** GET /process/{id}/traffic: {@code {processId, reportedAt (null if never), connections: [...]}}. */
  static ObjectNode processTraffic(ProcessTraffic t) {
    ObjectNode o = F.objectNode();
    o.put("processId", t.processId());
    if (t.reportedAt().isPresent()) {
      o.put("reportedAt", time(t.reportedAt().get()));
    } else {
      o.putNull("reportedAt");
    }
    ArrayNode connections = o.putArray("connections");
    for (EndTraffic e : t.connections()) {
      ObjectNode c = connections.addObject();
      c.put("connectionId", e.connectionId());
      trafficFields(c, e);
    }
    return o;
  }

  /** GET /traffic, one item: {@code {connectionId, userId, ends: [{processId, reportedAt, ...}]}}. */
  static ObjectNode connectionTraffic(ConnectionTraffic t) {
    ObjectNode o = F.objectNode();
    o.put("connectionId", t.connectionId());
    o.put("userId", t.userId());
    ArrayNode ends = o.putArray("ends");
    for (EndTraffic e : t.ends()) {
      ObjectNode end = ends.addObject();
      end.put("processId", e.processId());
      end.put("reportedAt", time(e.reportedAt()));
      trafficFields(end, e);
    }
    return o;
  }

  private static void trafficFields(ObjectNode o, EndTraffic e) {
    Counters c = e.counters();
    o.put("state", e.state());
    o.put("messagesIn", c.messagesIn());
    o.put("messagesOut", c.messagesOut());
    o.put("bytesIn", c.bytesIn());
    o.put("bytesOut", c.bytesOut());
    o.put("dropped", c.dropped());
    o.put("errors", c.errors());
    o.put("stateChanges", c.stateChanges());
    ObjectNode r = o.putObject("rates");
    r.put("messagesInPerSecond", rounded(e.rates().messagesInPerSecond()));
    r.put("messagesOutPerSecond", rounded(e.rates().messagesOutPerSecond()));
    r.put("bytesInPerSecond", rounded(e.rates().bytesInPerSecond()));
    r.put("bytesOutPerSecond", rounded(e.rates().bytesOutPerSecond()));
  }

  /** Three decimals are plenty for a rate, and keep 1/3 from reading 0.3333333333333333. */
  private static double rounded(double rate) {
    return Math.round(rate * 1000) / 1000.0;
  }

  /**
   * ISO-8601 UTC with always six fraction digits: the same instant always reads the same, and as
   * text times sort in time order (Instant.toString drops zero fractions, which breaks both).
   */
  static String time(Instant t) {
    return TIME.format(t);
  }

  static <T> ArrayNode list(List<T> items, java.util.function.Function<T, ObjectNode> view) {
    ArrayNode a = F.arrayNode();
    items.forEach(i -> a.add(view.apply(i)));
    return a;
  }

  /** RFC 9457: {@code {type, title, status, detail, instance}}. */
  /** An RFC 9457 problem; {@code requestId} an extension member (RFC 9457 §3.2), for a client to quote. */
  static ObjectNode problem(String slug, String title, int status, String detail, String instance,
      Optional<String> requestId) {
    ObjectNode o = F.objectNode();
    o.put("type", Routes.PROBLEM_TYPE_PREFIX + slug);
    o.put("title", title);
    o.put("status", status);
    o.put("detail", detail);
    o.put("instance", instance);
    requestId.ifPresent(id -> o.put("requestId", id));
    return o;
  }
}
