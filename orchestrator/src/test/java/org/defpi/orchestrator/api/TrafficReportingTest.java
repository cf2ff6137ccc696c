package org.defpi.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.defpi.orchestrator.api.ApiFixture.LOGGER_IFACE;
import static org.defpi.orchestrator.api.ApiFixture.METER_IFACE;
import static org.defpi.orchestrator.api.ApiFixture.PASSWORD;
import static org.defpi.orchestrator.api.ApiFixture.basic;
import static org.defpi.orchestrator.api.ApiFixture.connectionBody;
import static org.defpi.orchestrator.api.ApiFixture.ok;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.defpi.orchestrator.TestImages;
import org.defpi.orchestrator.connection.Connection;
import org.defpi.orchestrator.connection.Endpoint;
import org.defpi.orchestrator.processes.Backoff;
import org.defpi.orchestrator.certificate.CertificateAuthority;
import org.defpi.orchestrator.certificate.CertificateManager;
import org.defpi.orchestrator.certificate.OrchestratorIdentity;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.process.ProcessState;
import org.defpi.orchestrator.process.Processes.Transport;
import org.defpi.orchestrator.processes.RealProcesses;
import org.defpi.sdk.ConnectionHandler;
import org.defpi.sdk.DefPiParameters;
import org.defpi.sdk.InterfaceVersion;
import org.defpi.sdk.MessageCodec;
import org.defpi.sdk.RunOptions;
import org.defpi.sdk.ServiceDefinition;
import org.defpi.sdk.ServiceProcess;
import org.defpi.sdk.ServiceRunner;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage;
import org.defpi.wire.protocol.ProcessProto.ErrorMessage;
import org.defpi.wire.protocol.ProcessProto.SetConfigMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A real SDK process reports its traffic to a real orchestrator over HTTP: two runtimes of our SDK
 * in this JVM, made processes of the orchestrator's store (their ids and tokens), connected to each
 * other over loopback as the orchestrator's own management client connects processes, and the
 * traffic they report read back from {@code GET /traffic}. (The fixture's own calls to processes
 * go to its fake; this test drives the runtimes' management ports itself with {@link RealProcesses}.)
 * An SDK that holds a certificate of the fixture's authority (the TLS addition) is reached in TLS, as
 * its trigger said, and its data connection is told {@code tls}; one without, plain: so this runs
 * against either.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrafficReportingTest {
  private static final int MESSAGES = 25;
  private final ApiFixture fixture = new ApiFixture();
  private final Map<String, ServiceProcess> runtimes = new ConcurrentHashMap<>();
  private RealProcesses management;

  @BeforeAll
  void start() throws Exception {
    fixture.start(ApiFixture.Database.H2);
    SecureRandom random = new SecureRandom();
    CertificateAuthority authority = CertificateManager.loadAuthority(fixture.store().authority(), Clock.systemUTC(),
        random);
    management = new RealProcesses(new RealProcesses.Settings(
        id -> new InetSocketAddress("127.0.0.1", runtimes.get(id).managementPort()), Duration.ofSeconds(2),
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(500)), Optional.of(new RealProcesses.Tls(
            new OrchestratorIdentity(authority, Clock.systemUTC(), Duration.ofHours(1), random),
            authority.certificate()))));
  }

  @AfterAll
  void stop() throws Exception {
    if (management != null) {
      management.close();
    }
    runtimes.values().forEach(ServiceProcess::close);
    fixture.close();
  }

  @Test
  void anSdkProcessPushesItsConnectionsTrafficAndTheApiShowsIt() throws Exception {
    String meter = newProcess(TestImages.METER);
    String logger = newProcess(TestImages.LOGGER);
    String connectionId = ok(admin("POST", "/connection", connectionBody(meter, METER_IFACE, logger, LOGGER_IFACE)), 201)
        .path("id").asText();
    Connection connection = fixture.store().findConnection(connectionId).orElseThrow();

    BlockingQueue<org.defpi.sdk.Connection> meterConnections = new LinkedBlockingQueue<>();
    AtomicInteger loggerReceived = new AtomicInteger();
    runtimes.put(meter, run(meter, connection.endpoint(connection.sideOf(meter)), c -> {
      meterConnections.add(c);
      return new ConnectionHandler() {};
    }, message -> { }));
    runtimes.put(logger, run(logger, connection.endpoint(connection.sideOf(logger)),
        c -> new ConnectionHandler() {}, message -> loggerReceived.incrementAndGet()));

    // As the orchestrator configures and connects them, once they triggered (the fake configured
    // them): in TLS when their trigger said so; the smaller id listens, the larger connects.
    Map<String, Process> triggered = new java.util.HashMap<>();
    for (String id : List.of(meter, logger)) {
      triggered.put(id, running(id));
    }
    boolean tls = triggered.get(meter).tls() && triggered.get(logger).tls();
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    for (String id : List.of(meter, logger)) {
      management.call(id, Transport.of(triggered.get(id)), SetConfigMessage.newBuilder().setProcessId(id)
          .setIsUpdate(false).build(), Duration.ofSeconds(5));
    }
    for (String id : List.of(meter, logger)) {
      Endpoint end = connection.endpoint(connection.sideOf(id));
      String other = id.equals(meter) ? logger : meter;
      ConnectionMessage.Builder create = ConnectionMessage.newBuilder().setConnectionId(connectionId)
          .setMode(ConnectionMessage.ModeType.CREATE)
          .setTargetAddress(id.compareTo(other) > 0 ? "127.0.0.1" : "")
          .setListenPort(port)
          .setReceiveHash(end.receivesHash())
          .setSendHash(end.sendsHash())
          .setRemoteProcessId(other);
      management.call(id, Transport.of(triggered.get(id)), (tls ? create.setTls(true) : create).build(),
          Duration.ofSeconds(5));
    }
    org.defpi.sdk.Connection meterSide = meterConnections.poll(10, TimeUnit.SECONDS);
    assertThat(meterSide).as("the meter's connection handler was built").isNotNull();
    for (int i = 0; i < MESSAGES; i++) {
      meterSide.send(ErrorMessage.newBuilder().setProcessId(meter).setDebugInformation("reading " + i).build());
    }

    // Reports come every 2 s; wait (bounded) until both ends have reported everything.
    JsonNode ends = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode all = ok(admin("GET", "/traffic", null), 200);
      ends = null;
      for (JsonNode c : all) {
        if (c.path("connectionId").asText().equals(connectionId)) {
          ends = c.path("ends");
        }
      }
      if (ends != null && ends.size() == 2 && end(ends, meter).path("messagesOut").asLong() == MESSAGES
          && end(ends, logger).path("messagesIn").asLong() == MESSAGES) {
        break;
      }
      Thread.sleep(100); // polling the API as a client does, bounded by the deadline
    }
    assertThat(ends).as("connection %s in GET /traffic", connectionId).isNotNull();
    assertThat(end(ends, meter).path("messagesOut").asLong()).isEqualTo(MESSAGES);
    assertThat(end(ends, logger).path("messagesIn").asLong()).isEqualTo(MESSAGES);
    assertThat(loggerReceived.get()).isEqualTo(MESSAGES);
    assertThat(end(ends, logger).path("bytesIn").asLong()).isEqualTo(end(ends, meter).path("bytesOut").asLong())
        .isEqualTo(meterSide.traffic().bytesOut()).isPositive();
    assertThat(end(ends, meter).path("state").asText()).isEqualTo("CONNECTED");
    assertThat(end(ends, meter).path("errors").asLong()).isZero();
    assertThat(ok(admin("GET", "/process/" + logger + "/traffic", null), 200).at("/connections/0/connectionId").asText())
        .isEqualTo(connectionId);
  }

  /** The process once its runtime's trigger was answered and the fixture configured it (bounded wait). */
  private Process running(String id) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      Process p = fixture.store().findProcess(id).orElseThrow();
      if (p.state() == ProcessState.RUNNING) {
        return p;
      }
      Thread.sleep(20); // the runtime triggers on its own thread
    }
    throw new AssertionError("process " + id + " did not trigger within 20 s");
  }

  private static JsonNode end(JsonNode ends, String processId) {
    for (JsonNode e : ends) {
      if (e.path("processId").asText().equals(processId)) {
        return e;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private String newProcess(String serviceId) throws Exception {
    String id = ok(admin("POST", "/process", "{\"serviceId\": \"" + serviceId + "\"}"), 201).path("id").asText();
    fixture.removeOnClose(id);
    return id;
  }

  private java.net.http.HttpResponse<String> admin(String method, String path, String body) throws Exception {
    return fixture.send(method, path, body, basic("admin", PASSWORD));
  }

  /** Starts an SDK runtime as process {@code id}, with its token, against the fixture's server. */
  private ServiceProcess run(String id, Endpoint end,
      java.util.function.Function<org.defpi.sdk.Connection, ConnectionHandler> handlers,
      java.util.function.Consumer<Object> onMessage) {
    String token = fixture.store().findProcess(id).orElseThrow().token().value();
    InterfaceVersion version = new InterfaceVersion(end.interfaceId(), end.versionName(), end.receivesHash(),
        end.sendsHash(), MessageCodec.protobuf(ErrorMessage.getDefaultInstance()), handlers::apply,
        (handler, message) -> onMessage.accept(message));
    ServiceDefinition<Map<String, String>> definition = new ServiceDefinition<>((config, parameters) -> { },
        map -> map, List.of(version));
    RunOptions options = RunOptions.defaults(new DefPiParameters("127.0.0.1", fixture.port(), token, id,
            fixture.adminId(), "admin", "admin@example.org"))
        .withManagementPort(0)
        .withTriggerTimeout(Duration.ofSeconds(10))
        .withHeartbeat(Duration.ofMillis(200), 3);
    return ServiceRunner.start(definition, options);
  }
}
