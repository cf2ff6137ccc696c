package org.defpi.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import org.defpi.wire.frame.FrameReader;

/**
 * The baseline: one plain TCP socket on loopback carrying the same frames (length, payload, 0xFF),
 * each written with one {@code write} of a pre-framed array, read by a platform thread that counts
 * them (and, for round trips, writes each back). No codec, no handshake, no executor: what the
 * SDK's data path is measured against.
 */
final class RawPath implements AutoCloseable {
  private final ServerSocket server;
  private final Socket client;
  private final OutputStream out;
  private final FrameReader in;
  private final Arrivals arrivals = new Arrivals();
  private final Thread receiver;

  private RawPath(boolean echo) throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
    client.setTcpNoDelay(true);
    Socket accepted = server.accept();
    accepted.setTcpNoDelay(true);
    out = client.getOutputStream();
    in = new FrameReader(client.getInputStream());
    receiver = Thread.ofPlatform().name("raw-receiver").daemon().start(() -> receive(accepted, echo));
  }

  /** Frames sent with {@link #send()} are counted by {@link #arrivals()}. */
  static RawPath oneWay() throws IOException {
    return new RawPath(false);
  }

  /** Every frame is written back; {@link #roundTrip()} sends one and reads its echo. */
  static RawPath echoing() throws IOException {
    return new RawPath(true);
  }

  void send() throws IOException {
    out.write(Message200.RAW_FRAME);
  }

  Arrivals arrivals() {
    return arrivals;
  }

  void roundTrip() throws IOException {
    out.write(Message200.RAW_FRAME);
    if (in.read().isEmpty()) {
      throw new IOException("the echo side closed the socket");
    }
  }

  private void receive(Socket socket, boolean echo) {
    try (socket) {
      FrameReader reader = new FrameReader(socket.getInputStream());
      OutputStream back = socket.getOutputStream();
      while (true) {
        Optional<byte[]> frame = reader.read();
        if (frame.isEmpty()) {
          return;
        }
        arrivals.arrived();
        if (echo) {
          back.write(Message200.frame(frame.get()));
        }
      }
    } catch (IOException e) {
      // closed at the end of the run
    }
  }

  @Override
  public void close() throws IOException {
    client.close();
    server.close();
    try {
      receiver.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
