package org.defpi.sdk.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP socket that TLS can be layered on efficiently. The JDK's TLS socket reads each record with
 * two exact-length reads (the 5-byte header, then the body), which on a bare socket are two system
 * calls per record, and every frame is a record of its own: measured, that cut the data path's
 * throughput to a quarter. Once {@link #buffer()} is called (just before TLS is layered on it) its
 * input stream is buffered, so one read takes in many records. Until then, and always on a plain
 * connection, it is an ordinary socket.
 */
final class Transport extends Socket {
  private static final int BUFFER_BYTES = 32 * 1024; // two full-size TLS records
  private boolean buffering; // guarded by this
  private InputStream buffered; // guarded by this

  /** Buffers the input stream from now on; bytes already read from the bare stream are not replayed. */
  synchronized void buffer() {
    buffering = true;
  }

  @Override
  public synchronized InputStream getInputStream() throws IOException {
    if (!buffering) {
      return super.getInputStream();
    }
    if (buffered == null) {
      buffered = new BufferedInputStream(super.getInputStream(), BUFFER_BYTES);
    }
    return buffered;
  }

  /** A server socket whose accepted sockets are {@link Transport}s. */
  static final class Server extends ServerSocket {
    Server() throws IOException {
      super();
    }

    @Override
    public Socket accept() throws IOException {
      if (isClosed()) {
        throw new java.net.SocketException("Socket is closed");
      }
      Transport socket = new Transport();
      implAccept(socket);
      return socket;
    }
  }
}
