package org.defpi.benchmarks;

import com.google.protobuf.BytesValue;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.defpi.sdk.Connection;
import org.defpi.sdk.ConnectionHandler;
import org.defpi.sdk.ConnectionState;
import org.defpi.sdk.InterfaceVersion;
import org.defpi.sdk.MessageCodec;
import org.defpi.sdk.Service;
import org.defpi.sdk.ServiceDefinition;
import org.defpi.sdk.ServiceProcess;
import org.defpi.sdk.ServiceRunner;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage.ModeType;

/**
 * Two SDK processes in this JVM, started and wired as the orchestrator would (trigger call,
 * SetConfigMessage, ConnectionMessage CREATE), with one data connection on loopback between them:
 * {@link #listener()} listens, {@link #connector()} connects. What each end does with a message is
 * the benchmark's to set.
 */
final class SdkPath implements AutoCloseable {
  private static final String A_TO_B = "bench-a-to-b";
  private static final String B_TO_A = "bench-b-to-a";

  /** What an end does with each message it receives; runs on the connection's handler executor. */
  @FunctionalInterface
  interface OnMessage {
    void accept(Connection connection, BytesValue message) throws Exception;
  }

  /** A generated-style handler whose behaviour the benchmark sets. */
  static final class Handler implements ConnectionHandler {
    private final Connection connection;
    volatile OnMessage onMessage = (c, m) -> {};

    Handler(Connection connection) {
      this.connection = connection;
    }

    Connection connection() {
      return connection;
    }
  }

  private final LoopbackOrchestrator orchestrator;
  private final ServiceProcess listening;
  private final ServiceProcess connecting;
  private final Handler listener;
  private final Handler connector;

  private SdkPath(LoopbackOrchestrator orchestrator, ServiceProcess listening, ServiceProcess connecting,
      Handler listener, Handler connector) {
    this.orchestrator = orchestrator;
    this.listening = listening;
    this.connecting = connecting;
    this.listener = listener;
    this.connector = connector;
  }

  static SdkPath open() throws Exception {
    LoopbackOrchestrator orchestrator = new LoopbackOrchestrator();
    CompletableFuture<Handler> listenerBuilt = new CompletableFuture<>();
    CompletableFuture<Handler> connectorBuilt = new CompletableFuture<>();
    ServiceProcess listening = ServiceRunner.start(definition(B_TO_A, A_TO_B, listenerBuilt), orchestrator.options("bench-a"));
    ServiceProcess connecting = ServiceRunner.start(definition(A_TO_B, B_TO_A, connectorBuilt), orchestrator.options("bench-b"));
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    orchestrator.configureAndConnect(listening, "bench-a", create(B_TO_A, A_TO_B, "", port));
    orchestrator.configureAndConnect(connecting, "bench-b", create(A_TO_B, B_TO_A, "127.0.0.1", port));
    Handler listener = listenerBuilt.get(10, TimeUnit.SECONDS);
    Handler connector = connectorBuilt.get(10, TimeUnit.SECONDS);
    awaitConnected(listener.connection(), connector.connection());
    return new SdkPath(orchestrator, listening, connecting, listener, connector);
  }

  Handler listener() {
    return listener;
  }

  Handler connector() {
    return connector;
  }

  /** A service of one interface version carrying {@link BytesValue}s; {@code built} gets its connection's handler. */
  static ServiceDefinition<Map<String, String>> definition(String receives, String sends,
      CompletableFuture<Handler> built) {
    Service<Map<String, String>> service = (config, parameters) -> {};
    InterfaceVersion version = new InterfaceVersion("bench/data-path", "v1", receives, sends,
        MessageCodec.protobuf(BytesValue.getDefaultInstance()),
        connection -> {
          Handler handler = new Handler(connection);
          built.complete(handler);
          return handler;
        },
        (handler, message) -> {
          Handler h = (Handler) handler;
          h.onMessage.accept(h.connection(), (BytesValue) message);
        });
    return new ServiceDefinition<>(service, config -> config, List.of(version));
  }

  private static ConnectionMessage create(String receives, String sends, String target, int port) {
    return ConnectionMessage.newBuilder().setMode(ModeType.CREATE).setConnectionId("bench")
        .setTargetAddress(target).setListenPort(port).setReceiveHash(receives).setSendHash(sends)
        .build();
  }

  /** Waits (10 s at most) until each connection's handshake is confirmed. */
  static void awaitConnected(Connection... connections) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    for (Connection c : connections) {
      while (c.state() != ConnectionState.CONNECTED) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("connection " + c.connectionId() + " is " + c.state() + " after 10 s");
        }
        LockSupport.parkNanos(1_000_000);
      }
    }
  }

  @Override
  public void close() {
    connecting.close();
    listening.close();
    orchestrator.close();
  }
}
