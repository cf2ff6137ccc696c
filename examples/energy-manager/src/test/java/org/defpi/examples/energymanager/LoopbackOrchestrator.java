package org.defpi.examples.energymanager;

import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.defpi.sdk.DefPiParameters;
import org.defpi.sdk.InterfaceVersion;
import org.defpi.sdk.RunOptions;
import org.defpi.sdk.ServiceDefinition;
import org.defpi.sdk.ServiceProcess;
import org.defpi.sdk.ServiceRunner;
import org.defpi.wire.frame.FrameReader;
import org.defpi.wire.frame.FrameWriter;
import org.defpi.wire.message.ProtobufMessageCodec;
import org.defpi.wire.message.UnknownMessageException;
import org.defpi.wire.protocol.ConnectionProto.ConnectionHandshake;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage;
import org.defpi.wire.protocol.ProcessProto.ErrorMessage;
import org.defpi.wire.protocol.ProcessProto.ProcessStateUpdateMessage;
import org.defpi.wire.protocol.ProcessProto.SetConfigMessage;

/**
 * Just enough of an orchestrator to run services in this JVM over loopback (WIRE.md §4, §6, §7):
 * answers their trigger calls, configures them over their management port and creates
 * connections between them, each end told the other's hashes as the real orchestrator does.
 */
final class LoopbackOrchestrator implements AutoCloseable {
  private static final ProtobufMessageCodec REPLIES = ProtobufMessageCodec.of(
      ProcessStateUpdateMessage.getDefaultInstance(), ErrorMessage.getDefaultInstance(),
      ConnectionHandshake.getDefaultInstance());

  /** A started process and its management connection. */
  record Process(String id, ServiceDefinition<?> definition, ServiceProcess process, Socket management,
      FrameReader reader, FrameWriter writer) {
    InterfaceVersion interfaceVersion(String interfaceId) {
      return definition.interfaceVersions().stream().filter(v -> v.interfaceId().equals(interfaceId)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException(id + " has no interface " + interfaceId));
    }

    synchronized Message request(Message request) throws IOException {
      writer.write(REPLIES.encode(request));
      Optional<byte[]> frame = reader.read();
      if (frame.isEmpty()) {
        throw new IOException(id + " closed its management connection");
      }
      try {
        Message reply = REPLIES.decode(frame.get());
        if (reply instanceof ErrorMessage error) {
          throw new IOException(id + " refused " + request.getClass().getSimpleName() + ": " + error.getDebugInformation());
        }
        return reply;
      } catch (UnknownMessageException e) {
        throw new IOException("unexpected reply from " + id + ": " + e.getMessage(), e);
      }
    }
  }

  private final HttpServer http;
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final List<Process> processes = new ArrayList<>();
  private int connections;

  LoopbackOrchestrator() throws IOException {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/process/trigger/", exchange -> {
      String processId = exchange.getRequestURI().getPath().substring("/process/trigger/".length());
      String token = exchange.getRequestHeaders().getFirst("X-Auth-Token");
      exchange.sendResponseHeaders(token != null && token.equals(tokens.get(processId)) ? 204 : 401, -1);
      exchange.close();
    });
    http.start();
  }

  /** Starts {@code definition} as process {@code id} and configures it with {@code config}. */
  Process start(String id, ServiceDefinition<?> definition, Map<String, String> config) throws IOException {
    tokens.put(id, "token-of-" + id);
    RunOptions options = RunOptions.defaults(new DefPiParameters("127.0.0.1", http.getAddress().getPort(),
            "token-of-" + id, id, "u1", "Demo", "demo@example.org"))
        .withManagementPort(0)
        .withTriggerTimeout(Duration.ofSeconds(5))
        .withHeartbeat(Duration.ofMillis(200), 5)
        .withMaxReconnectDelay(Duration.ofMillis(200))
        .withServiceCallTimeout(Duration.ofSeconds(5));
    ServiceProcess process = ServiceRunner.start(definition, options);
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), process.managementPort());
    socket.setSoTimeout(5000);
    Process started = new Process(id, definition, process, socket, new FrameReader(socket.getInputStream()),
        new FrameWriter(socket.getOutputStream()));
    processes.add(started);
    started.request(SetConfigMessage.newBuilder().setProcessId(id).setIsUpdate(false).putAllConfig(config).build());
    return started;
  }

  /** Connects interface {@code fromInterface} of {@code from} (which listens) to {@code toInterface} of {@code to}. */
  void connect(Process from, String fromInterface, Process to, String toInterface) throws IOException {
    String connectionId = "connection-" + ++connections;
    int port = freePort();
    InterfaceVersion a = from.interfaceVersion(fromInterface);
    InterfaceVersion b = to.interfaceVersion(toInterface);
    from.request(create(connectionId, a, "", port, to.id(), toInterface));
    to.request(create(connectionId, b, "127.0.0.1", port, from.id(), fromInterface));
  }

  private static ConnectionMessage create(String connectionId, InterfaceVersion own, String target, int port,
      String remoteProcess, String remoteInterface) {
    return ConnectionMessage.newBuilder().setMode(ConnectionMessage.ModeType.CREATE).setConnectionId(connectionId)
        .setTargetAddress(target).setListenPort(port).setReceiveHash(own.receivesHash()).setSendHash(own.sendsHash())
        .setRemoteProcessId(remoteProcess).setRemoteServiceId(remoteInterface.substring(0, remoteInterface.indexOf('/')))
        .setRemoteInterfaceId(remoteInterface).build();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    for (Process p : processes) {
      try {
        p.management().close();
      } catch (IOException e) {
        // closing anyway
      }
      p.process().close();
    }
    http.stop(0);
  }
}
