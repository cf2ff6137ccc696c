package org.defpi.orchestrator.processes;

import com.google.protobuf.Message;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.defpi.wire.frame.FrameReader;
import org.defpi.wire.frame.FrameWriter;
import org.defpi.wire.message.ProtobufMessageCodec;
import org.defpi.wire.protocol.ConnectionProto;
import org.defpi.wire.protocol.ProcessProto;

/**
 * The process side of the management protocol on a real loopback socket, for the connector's
 * tests and those of the managers above it: decodes requests with the real framing and codec and
 * answers through {@code answer} (which may return empty to stay silent).
 */
public final class ManagementPeer implements AutoCloseable {
  public static final ProtobufMessageCodec REQUESTS = ProtobufMessageCodec.of(
      ProcessProto.SetConfigMessage.getDefaultInstance(),
      ProcessProto.GoToProcessStateMessage.getDefaultInstance(),
      ProcessProto.ResumeProcessMessage.getDefaultInstance(),
      ConnectionProto.ConnectionMessage.getDefaultInstance());

  private final ServerSocket server;
  private final Function<Message, Optional<Message>> answer;
  public final LinkedBlockingQueue<Message> received = new LinkedBlockingQueue<>();
  final AtomicInteger accepted = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  /** Set to close every connection right after answering (as a restarting process does). */
  volatile boolean closeAfterReply;
  final CountDownLatch firstRequest = new CountDownLatch(1);

  public ManagementPeer(int port, Function<Message, Optional<Message>> answer) throws IOException {
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    this.answer = answer;
    Thread.ofVirtual().start(this::acceptLoop);
  }

  /** Answers like a healthy process. */
  public static Optional<Message> healthy(Message request) {
    return Optional.of(switch (request) {
      case ProcessProto.SetConfigMessage m -> ProcessProto.ProcessStateUpdateMessage.newBuilder()
          .setProcessId(m.getProcessId()).setState(ProcessProto.ProcessState.RUNNING).build();
      case ProcessProto.GoToProcessStateMessage m -> ProcessProto.ProcessStateUpdateMessage.newBuilder()
          .setProcessId(m.getProcessId()).setState(m.getTargetState()).build();
      case ConnectionProto.ConnectionMessage m -> ConnectionProto.ConnectionHandshake.newBuilder()
          .setConnectionId(m.getConnectionId()).setConnectionState(ConnectionProto.ConnectionState.CONNECTED).build();
      default -> ProcessProto.ErrorMessage.newBuilder().setProcessId("?").setDebugInformation("unexpected").build();
    });
  }

  public int port() {
    return server.getLocalPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
  }

  public Message nextRequest() throws InterruptedException {
    Message m = received.poll(10, TimeUnit.SECONDS);
    if (m == null) {
      throw new AssertionError("no request within 10 s");
    }
    return m;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        accepted.incrementAndGet();
        sockets.add(s);
        Thread.ofVirtual().start(() -> serve(s));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      FrameReader reader = new FrameReader(s.getInputStream());
      FrameWriter writer = new FrameWriter(s.getOutputStream());
      while (true) {
        Optional<byte[]> frame = reader.read();
        if (frame.isEmpty()) {
          return;
        }
        Message request = REQUESTS.decode(frame.get());
        received.add(request);
        firstRequest.countDown();
        Optional<Message> reply = answer.apply(request);
        if (reply.isPresent()) {
          writer.write(REQUESTS.encode(reply.get()));
          if (closeAfterReply) {
            return;
          }
        }
      }
    } catch (Exception e) {
      // the client went away or the test closed the peer
    }
  }


  /** Drops every open connection, as a container that restarts does. */
  public void dropConnections() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    sockets.clear();
  }

  @Override
  public void close() throws IOException {
    server.close();
    dropConnections();
  }
}
