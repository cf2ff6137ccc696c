package org.defpi.sdk.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.defpi.wire.frame.FrameReader;
import org.defpi.wire.frame.FrameWriter;

/**
 * A frame-aware TCP relay between a connecting runtime and a listening one, on loopback: the
 * network between two processes, which the test can break. It forwards whole frames, so it can
 * inject bytes between two of them; it can also drop everything, as a partition does: existing
 * sockets stay open but carry nothing, and new connections are refused (closed at once), as an
 * unreachable host's would fail.
 */
public final class FrameProxy implements AutoCloseable {
  private final int targetPort;
  private final ServerSocket server;
  private final List<Pair> pairs = new CopyOnWriteArrayList<>();
  private volatile boolean partitioned;
  private volatile boolean closed;

  /** One relayed connection: the runtime that connected, and our socket to the listener. */
  private record Pair(Socket client, Socket target, FrameWriter toClient, FrameWriter toTarget) {
    void close() {
      closeQuietly(client);
      closeQuietly(target);
    }
  }

  public FrameProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("frame-proxy-acceptor").start(this::acceptLoop);
  }

  /** Where the connecting runtime should connect. */
  public int port() {
    return server.getLocalPort();
  }

  /** From now on nothing gets through, until {@link #heal()}. */
  public void partition() {
    partitioned = true;
  }

  /** Frames flow again; sockets that lived through the partition are closed, as TCP would time them out. */
  public void heal() {
    pairs.forEach(Pair::close);
    pairs.clear();
    partitioned = false;
  }

  /** Writes bytes as they are into the newest relayed stream towards the listener, between two frames. */
  public void injectTowardsListener(byte[] raw) throws IOException {
    Pair pair = pairs.getLast();
    synchronized (pair.toTarget()) { // FrameWriter locks itself and flushes each frame: a frame boundary
      OutputStream out = pair.target().getOutputStream();
      out.write(raw);
      out.flush();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      if (partitioned) {
        closeQuietly(client);
        continue;
      }
      try {
        Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        Pair pair = new Pair(client, target, new FrameWriter(client.getOutputStream()),
            new FrameWriter(target.getOutputStream()));
        pairs.add(pair);
        Thread.ofVirtual().name("frame-proxy-up").start(() -> pump(pair, pair.client(), pair.toTarget()));
        Thread.ofVirtual().name("frame-proxy-down").start(() -> pump(pair, pair.target(), pair.toClient()));
      } catch (IOException e) {
        closeQuietly(client); // the listener is not there: the runtime sees a refused connection
      }
    }
  }

  private void pump(Pair pair, Socket from, FrameWriter to) {
    try {
      FrameReader reader = new FrameReader(from.getInputStream());
      while (true) {
        Optional<byte[]> frame = reader.read();
        if (frame.isEmpty()) {
          break;
        }
        if (!partitioned) {
          to.write(frame.get());
        }
      }
    } catch (IOException e) {
      // one side closed or reset: the relay of this pair ends
    }
    pair.close();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    pairs.forEach(Pair::close);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // closing is best effort in a test relay
    }
  }
}
