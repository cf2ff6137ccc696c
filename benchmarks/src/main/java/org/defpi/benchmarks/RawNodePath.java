package org.defpi.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.HdrHistogram.Histogram;
import org.defpi.wire.frame.FrameReader;

/**
 * The baseline between two nodes: one plain TCP socket to node B carrying {@link RawPath}'s frames,
 * each written with one {@code write} of a pre-framed array ({@code TCP_NODELAY}); node B's answer
 * is read on the sending thread.
 */
final class RawNodePath implements NodePath {
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
  private static final int READ_TIMEOUT_MILLIS = 30_000; // a peer that stops answering fails the run

  private final Socket socket;
  private final OutputStream out;
  private final FrameReader in;

  RawNodePath(String peerAddress) throws IOException {
    socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(peerAddress, NodeWiring.RAW_PORT), CONNECT_TIMEOUT_MILLIS);
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      out = socket.getOutputStream();
      in = new FrameReader(socket.getInputStream());
    } catch (IOException e) {
      socket.close();
      throw new IOException("raw path to " + peerAddress + ":" + NodeWiring.RAW_PORT + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String label() {
    return "raw TCP";
  }

  @Override
  public long batch() throws IOException {
    long start = System.nanoTime();
    for (int i = 0; i < NodeWiring.BATCH; i++) {
      out.write(Message200.RAW_FRAME);
    }
    answer();
    return System.nanoTime() - start;
  }

  @Override
  public Histogram roundTrips(Duration warmup, Duration measure) throws IOException {
    return RoundTripLatency.blocking(() -> {
      out.write(Message200.RAW_PING_FRAME);
      answer();
    }, warmup, measure);
  }

  private void answer() throws IOException {
    if (in.read().isEmpty()) {
      throw new IOException("node B closed the raw socket");
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
