package org.defpi.sdk.testing;

import com.google.protobuf.Message;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.defpi.wire.frame.FrameReader;
import org.defpi.wire.frame.FrameWriter;
import org.defpi.wire.message.ProtobufMessageCodec;
import org.defpi.wire.message.UnknownMessageException;
import org.defpi.wire.protocol.ConnectionProto.ConnectionHandshake;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage.ModeType;
import org.defpi.wire.protocol.ProcessProto.ErrorMessage;
import org.defpi.wire.protocol.ProcessProto.GoToProcessStateMessage;
import org.defpi.wire.protocol.ProcessProto.ProcessState;
import org.defpi.wire.protocol.ProcessProto.ProcessStateUpdateMessage;
import org.defpi.wire.protocol.ProcessProto.SetConfigMessage;
import org.defpi.wire.tls.TlsNames;

/**
 * The orchestrator's end of a management connection: one request, one reply (5 s at most). Plain,
 * or TLS 1.3 with whatever identity the test gives it ({@link #overTls}).
 */
public final class ManagementClient implements AutoCloseable {
  private static final ProtobufMessageCodec REPLIES = ProtobufMessageCodec.of(
      ProcessStateUpdateMessage.getDefaultInstance(), ErrorMessage.getDefaultInstance(),
      ConnectionHandshake.getDefaultInstance());

  private final Socket socket;
  private final FrameReader reader;
  private final FrameWriter writer;

  ManagementClient(int port) throws IOException {
    this(new Socket(InetAddress.getLoopbackAddress(), port));
  }

  private ManagementClient(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(5000);
    reader = new FrameReader(socket.getInputStream());
    writer = new FrameWriter(socket.getOutputStream());
  }

  /**
   * Connects in TLS 1.3 and completes the handshake: the process's certificate must chain to what
   * {@code context} trusts (its names are the test's to check, {@link #peerCertificate()}). In TLS
   * 1.3 the client finishes first, so a process that refuses this client's certificate shows it
   * only at the first read.
   */
  static ManagementClient overTls(int port, SSLContext context) throws IOException {
    SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
    SSLParameters parameters = ssl.getSSLParameters();
    parameters.setProtocols(new String[] {TlsNames.PROTOCOL});
    ssl.setSSLParameters(parameters);
    ssl.setSoTimeout(5000);
    try {
      ssl.startHandshake();
    } catch (IOException e) {
      ssl.close();
      throw e;
    }
    return new ManagementClient(ssl);
  }

  /** The certificate the process presented, on a TLS connection. */
  public X509Certificate peerCertificate() throws IOException {
    if (!(socket instanceof SSLSocket ssl)) {
      throw new IllegalStateException("a plain management connection has no peer certificate");
    }
    return (X509Certificate) ssl.getSession().getPeerCertificates()[0];
  }

  public Message request(Message request) throws IOException {
    writer.write(REPLIES.encode(request));
    return reply();
  }

  /** Reads one reply; fails if the process closed the connection. */
  public Message reply() throws IOException {
    Optional<byte[]> frame = reader.read();
    if (frame.isEmpty()) {
      throw new IOException("the process closed the management connection");
    }
    try {
      return REPLIES.decode(frame.get());
    } catch (UnknownMessageException e) {
      throw new IOException("unexpected reply: " + e.getMessage(), e);
    }
  }

  /** Whether the process closed this connection (reads until end of stream or timeout). */
  public boolean closedByProcess() throws IOException {
    try {
      return reader.read().isEmpty();
    } catch (java.net.SocketException | javax.net.ssl.SSLException e) {
      return true;
    }
  }

  public void writeFrame(byte[] payload) throws IOException {
    writer.write(payload);
  }

  public void writeRaw(byte[] bytes) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(bytes);
    out.flush();
  }

  public Message setConfig(String processId, Map<String, String> config, boolean isUpdate) throws IOException {
    return request(SetConfigMessage.newBuilder().setProcessId(processId).setIsUpdate(isUpdate)
        .putAllConfig(config).build());
  }

  public Message goTo(String processId, ProcessState state) throws IOException {
    return request(GoToProcessStateMessage.newBuilder().setProcessId(processId).setTargetState(state).build());
  }

  /** CREATE for one end of a connection of {@link TestInterface}. */
  public Message create(String connectionId, TestInterface.Side side, String targetAddress, int port) throws IOException {
    return request(connection(ModeType.CREATE, connectionId, side, targetAddress, port));
  }

  public Message connectionMode(ModeType mode, String connectionId, TestInterface.Side side, String targetAddress, int port)
      throws IOException {
    return request(connection(mode, connectionId, side, targetAddress, port));
  }

  /**
   * CREATE or RESUME as the orchestrator sends them to processes that both hold a certificate:
   * {@code tls} set, and the peer named by its real process id (what its certificate must name).
   */
  public Message tls(ModeType mode, String connectionId, TestInterface.Side side, String targetAddress, int port,
      String remoteProcessId) throws IOException {
    return request(connection(mode, connectionId, side, targetAddress, port).toBuilder()
        .setRemoteProcessId(remoteProcessId).setTls(true).build());
  }

  public static ConnectionMessage connection(ModeType mode, String connectionId, TestInterface.Side side,
      String targetAddress, int port) {
    return ConnectionMessage.newBuilder()
        .setMode(mode)
        .setConnectionId(connectionId)
        .setTargetAddress(targetAddress)
        .setListenPort(port)
        .setReceiveHash(side.receivesHash())
        .setSendHash(side.sendsHash())
        .setRemoteProcessId("peer-of-" + connectionId)
        .setRemoteServiceId("test-service")
        .setRemoteInterfaceId("test-service/chat")
        .build();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
