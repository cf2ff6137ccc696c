package org.defpi.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
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
import org.defpi.wire.tls.TlsNames;

/**
 * Just enough of an orchestrator to start SDK processes in this JVM and wire them: it answers
 * trigger calls (WIRE.md section 4) and speaks the management protocol (section 6) on loopback.
 *
 * <p>Made {@link #issuing} an authority it is also the certificate authority of
 * docs/wire-additions.md ("TLS"): it answers {@code POST /process/{id}/certificate} and manages its
 * processes in TLS 1.3 with an {@code urn:defpi:orchestrator} certificate. Otherwise the
 * certificate request gets 404, as from dEF-Pi's orchestrator, and the processes stay plain.
 */
final class LoopbackOrchestrator implements AutoCloseable {
  static final String USER = "bench";
  private static final ProtobufMessageCodec REPLIES = ProtobufMessageCodec.of(
      ProcessStateUpdateMessage.getDefaultInstance(), ErrorMessage.getDefaultInstance(),
      ConnectionHandshake.getDefaultInstance());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CERTIFICATE_TTL = Duration.ofHours(1); // a bench run never renews

  private final HttpServer http;
  private final Optional<SSLContext> management; // the orchestrator's certificate, trusting the authority

  /** Plain: issues no certificates. */
  LoopbackOrchestrator() throws IOException {
    this(Optional.empty());
  }

  /** A certificate authority: processes get certificates of {@code authority} and TLS management. */
  static LoopbackOrchestrator issuing(BenchAuthority authority) throws IOException {
    return new LoopbackOrchestrator(Optional.of(authority));
  }

  private LoopbackOrchestrator(Optional<BenchAuthority> authority) throws IOException {
    this.management = authority.map(a -> a.context(a.orchestrator()));
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/process/trigger/", exchange -> {
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    // Without this context the JDK answers 404 to the certificate request (and to traffic reports).
    authority.ifPresent(ca -> http.createContext("/process/", exchange -> certificate(exchange, ca)));
    http.start();
  }

  RunOptions options(String processId) {
    DefPiParameters parameters = new DefPiParameters("127.0.0.1", http.getAddress().getPort(),
        "bench-token", processId, USER, "Bench", "bench@example.org");
    return RunOptions.defaults(parameters).withManagementPort(0).withTriggerTimeout(Duration.ofSeconds(10));
  }

  /** Configures the process, then sends it a CREATE; fails on anything but the expected replies. */
  void configureAndConnect(ServiceProcess process, String processId, ConnectionMessage create) throws IOException {
    try (Socket socket = managementSocket(process.managementPort())) {
      socket.setSoTimeout(10_000);
      FrameWriter writer = new FrameWriter(socket.getOutputStream());
      FrameReader reader = new FrameReader(socket.getInputStream());
      expect(request(writer, reader, SetConfigMessage.newBuilder().setProcessId(processId).setIsUpdate(false).build()),
          ProcessStateUpdateMessage.class);
      expect(request(writer, reader, create), ConnectionHandshake.class);
    }
  }

  private Socket managementSocket(int port) throws IOException {
    if (management.isEmpty()) {
      return new Socket(InetAddress.getLoopbackAddress(), port);
    }
    SSLSocket ssl = (SSLSocket) management.get().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
    SSLParameters parameters = ssl.getSSLParameters();
    parameters.setProtocols(new String[] {TlsNames.PROTOCOL});
    ssl.setSSLParameters(parameters);
    return ssl;
  }

  /** {@code POST /process/{id}/certificate}: certifies the key of the body for the process and its user. */
  private static void certificate(HttpExchange exchange, BenchAuthority authority) throws IOException {
    String path = exchange.getRequestURI().getPath();
    byte[] answer = new byte[0];
    int status;
    if (!path.endsWith("/certificate") || !exchange.getRequestMethod().equals("POST")) {
      status = 404;
    } else {
      String processId = path.substring("/process/".length(), path.length() - "/certificate".length());
      try {
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        PublicKey key = KeyFactory.getInstance("EC").generatePublic(
            new X509EncodedKeySpec(Base64.getDecoder().decode(request.get("publicKey").asText())));
        X509Certificate certificate = authority.issue(key, processId,
            List.of(TlsNames.process(processId), TlsNames.user(USER)), CERTIFICATE_TTL);
        Instant notAfter = certificate.getNotAfter().toInstant();
        answer = JSON.writeValueAsBytes(Map.of("certificate", pem(certificate),
            "caCertificate", pem(authority.certificate()), "notAfter", notAfter.toString(),
            "renewAfter", notAfter.minus(CERTIFICATE_TTL.dividedBy(3)).toString()));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        status = 200;
      } catch (GeneralSecurityException | RuntimeException e) {
        status = 400;
      }
    }
    exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
    if (answer.length > 0) {
      exchange.getResponseBody().write(answer);
    }
    exchange.close();
  }

  private static String pem(X509Certificate certificate) throws GeneralSecurityException {
    return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
        .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
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
