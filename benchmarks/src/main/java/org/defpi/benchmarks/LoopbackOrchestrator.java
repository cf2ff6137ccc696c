package org.defpi.benchmarks;

import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import org.defpi.sdk.DefPiParameters;
import org.defpi.sdk.RunOptions;
import org.defpi.sdk.ServiceProcess;
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
 * Just enough of an orchestrator to start SDK processes in this JVM and wire them on loopback: it
 * answers trigger calls (WIRE.md section 4) and speaks the management protocol (section 6).
 */
final class LoopbackOrchestrator implements AutoCloseable {
  private static final ProtobufMessageCodec REPLIES = ProtobufMessageCodec.of(
      ProcessStateUpdateMessage.getDefaultInstance(), ErrorMessage.getDefaultInstance(),
      ConnectionHandshake.getDefaultInstance());

  private final HttpServer http;

  LoopbackOrchestrator() throws IOException {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/process/trigger/", exchange -> {
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    http.start();
  }

  RunOptions options(String processId) {
    DefPiParameters parameters = new DefPiParameters("127.0.0.1", http.getAddress().getPort(),
        "bench-token", processId, "bench", "Bench", "bench@example.org");
    return RunOptions.defaults(parameters).withManagementPort(0).withTriggerTimeout(Duration.ofSeconds(10));
  }

  /** Configures the process, then sends it a CREATE; fails on anything but the expected replies. */
  void configureAndConnect(ServiceProcess process, String processId, ConnectionMessage create) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), process.managementPort())) {
      socket.setSoTimeout(10_000);
      FrameWriter writer = new FrameWriter(socket.getOutputStream());
      FrameReader reader = new FrameReader(socket.getInputStream());
      expect(request(writer, reader, SetConfigMessage.newBuilder().setProcessId(processId).setIsUpdate(false).build()),
          ProcessStateUpdateMessage.class);
      expect(request(writer, reader, create), ConnectionHandshake.class);
    }
  }

  private static Message request(FrameWriter writer, FrameReader reader, Message request) throws IOException {
    writer.write(REPLIES.encode(request));
    Optional<byte[]> reply = reader.read();
    if (reply.isEmpty()) {
      throw new IOException("the process closed the management connection");
    }
    try {
      return REPLIES.decode(reply.get());
    } catch (UnknownMessageException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static void expect(Message reply, Class<? extends Message> type) throws IOException {
    if (!type.isInstance(reply)) {
      throw new IOException("expected a " + type.getSimpleName() + ", got " + reply);
    }
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
