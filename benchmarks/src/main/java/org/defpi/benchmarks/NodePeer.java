package org.defpi.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.defpi.sdk.ServiceProcess;
import org.defpi.sdk.ServiceRunner;
import org.defpi.wire.frame.FrameReader;

/**
 * Node B of {@link NodesBench}: listens on every path and answers what node A sends (see
 * {@link NodeWiring}). A raw TCP server on {@link NodeWiring#RAW_PORT} (a platform thread per
 * socket, as {@link RawPath}'s receiver), and one SDK process per SDK path, each configured by its
 * own {@link LoopbackOrchestrator} in this JVM: plain for {@link NodeWiring#PLAIN}, a certificate
 * authority loaded from the run's directory for {@link NodeWiring#TLS}, the same one node A
 * loads, so each end's certificate is one the other trusts.
 *
 * <p>{@code java … NodePeer DIR SECONDS}: writes {@code DIR/peer.ready} once every path listens,
 * and exits after SECONDS at the latest (the script stops it sooner), so a peer left behind by a
 * broken run never lingers.
 */
final class NodePeer {
  static final String READY = "peer.ready";

  private NodePeer() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: NodePeer DIR LIFETIME_SECONDS");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    Duration lifetime = Duration.ofSeconds(Long.parseLong(args[1]));
    BenchAuthority authority = BenchAuthority.load(dir);
    List<AutoCloseable> open = new ArrayList<>();
    try (ServerSocket raw = new ServerSocket(NodeWiring.RAW_PORT)) {
      Thread.ofPlatform().name("raw-accept").daemon().start(() -> acceptRaw(raw));
      for (NodeWiring wiring : List.of(NodeWiring.PLAIN, NodeWiring.TLS)) {
        LoopbackOrchestrator orchestrator = wiring.tls()
            ? LoopbackOrchestrator.issuing(authority) : new LoopbackOrchestrator();
        open.add(orchestrator);
        open.add(listen(wiring, orchestrator));
      }
      Files.writeString(dir.resolve(READY), "ready\n");
      Thread.sleep(lifetime);
      System.err.println("node peer: lifetime of " + lifetime.toSeconds() + " s over, exiting");
    } finally {
      for (AutoCloseable c : open.reversed()) {
        c.close();
      }
    }
  }

  /** Node B's SDK process of {@code wiring}, listening, its handler answering node A. */
  private static ServiceProcess listen(NodeWiring wiring, LoopbackOrchestrator orchestrator) throws Exception {
    CompletableFuture<SdkPath.Handler> built = new CompletableFuture<>();
    ServiceProcess process = ServiceRunner.start(
        SdkPath.definition(NodeWiring.A_TO_B, NodeWiring.B_TO_A, built), orchestrator.options(wiring.listenerId()));
    try {
      orchestrator.configureAndConnect(process, wiring.listenerId(), wiring.listen());
      long[] data = new long[1]; // only the connection's handler executor touches it
      built.get(10, TimeUnit.SECONDS).onMessage = (connection, message) -> {
        if (Message200.isPing(message)) {
          connection.send(message);
        } else if (++data[0] % NodeWiring.BATCH == 0) {
          connection.send(Message200.MESSAGE);
        }
      };
      return process;
    } catch (Exception e) {
      process.close();
      throw e;
    }
  }

  private static void acceptRaw(ServerSocket server) {
    try {
      while (true) {
        Socket socket = server.accept();
        socket.setTcpNoDelay(true);
        Thread.ofPlatform().name("raw-peer").daemon().start(() -> answerRaw(socket));
      }
    } catch (IOException e) {
      // the server socket closed: the peer is exiting
    }
  }

  private static void answerRaw(Socket socket) {
    try (socket) {
      FrameReader in = new FrameReader(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      long data = 0;
      for (Optional<byte[]> frame = in.read(); frame.isPresent(); frame = in.read()) {
        if (Message200.isPingPayload(frame.get())) {
          out.write(Message200.frame(frame.get())); // echo, as RawPath's receiver does
        } else if (++data % NodeWiring.BATCH == 0) {
          out.write(Message200.RAW_FRAME);
        }
      }
    } catch (IOException e) {
      // node A closed the socket, or went away: the next run connects anew
    }
  }
}
