package org.defpi.sdk.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.defpi.wire.frame.FrameWriter;
import org.defpi.wire.message.ProtobufMessageCodec;
import org.defpi.wire.protocol.ConnectionProto.ConnectionHandshake;
import org.defpi.wire.protocol.ConnectionProto.ConnectionState;
import org.defpi.wire.tls.TlsNames;

/**
 * A client of a runtime's data port that should not get in: it connects (in TLS with a test's
 * context, or plain), sends a §7 handshake frame for connection {@code c1}, and says whether the
 * runtime refused it. Reads wait 5 s at most.
 */
public final class RogueClient {
  private static final ProtobufMessageCodec HANDSHAKES = ProtobufMessageCodec.of(ConnectionHandshake.getDefaultInstance());

  private RogueClient() {}

  /** In TLS 1.3 with {@code context}: whether the runtime refused (a failed handshake, an alert, or a close). */
  public static boolean refusedInTls(SSLContext context, int port) throws IOException {
    try (SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
      SSLParameters parameters = ssl.getSSLParameters();
      parameters.setProtocols(new String[] {TlsNames.PROTOCOL});
      ssl.setSSLParameters(parameters);
      ssl.setSoTimeout(5000);
      try {
        // In TLS 1.3 the client finishes first: a refusal of its certificate shows at the next read.
        ssl.startHandshake();
        new FrameWriter(ssl.getOutputStream()).write(handshake());
      } catch (IOException e) {
        return true;
      }
      return closedOrRefused(ssl.getInputStream());
    }
  }

  /** In plain TCP: whether the runtime closed the socket. */
  public static boolean refusedInPlain(int port) throws IOException {
    try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port)) {
      plain.setSoTimeout(5000);
      new FrameWriter(plain.getOutputStream()).write(handshake());
      return closedOrRefused(plain.getInputStream());
    }
  }

  private static byte[] handshake() {
    return HANDSHAKES.encode(ConnectionHandshake.newBuilder().setConnectionId("c1")
        .setConnectionState(ConnectionState.STARTING).build());
  }

  /** Reads to the end (a TLS alert may come first, which a plain client reads as bytes): whether the runtime closed. */
  private static boolean closedOrRefused(InputStream in) {
    try {
      in.readAllBytes();
      return true;
    } catch (IOException e) {
      return !(e instanceof SocketTimeoutException);
    }
  }
}
