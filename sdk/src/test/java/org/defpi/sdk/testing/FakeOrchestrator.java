package org.defpi.sdk.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.defpi.sdk.DefPiParameters;
import org.defpi.sdk.RunOptions;
import org.defpi.sdk.ServiceProcess;
import org.defpi.wire.tls.TlsNames;

/**
 * The orchestrator's side of a process's start-up, in the test JVM: answers the trigger call of
 * WIRE.md section 4 (204 when the token is the one it issued, 401 otherwise) and opens management
 * connections to the process.
 *
 * <p>Like the original dEF-Pi orchestrator it issues no certificates (the certificate request gets
 * 404) until told to with {@link #issueCertificates}: then it is a certificate authority as
 * docs/wire-additions.md ("TLS") describes, and talks TLS to the management port of each process
 * whose trigger said {@code X-Defpi-Tls: 1}, presenting its own {@code urn:defpi:orchestrator}
 * certificate.
 */
public final class FakeOrchestrator implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer http;
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final BlockingQueue<String> triggers = new LinkedBlockingQueue<>();
  private final AtomicInteger failuresToGo = new AtomicInteger();
  private volatile int failureStatus = 503;
  private final BlockingQueue<TrafficReport> trafficReports = new LinkedBlockingQueue<>();
  private final AtomicInteger trafficCalls = new AtomicInteger();
  private volatile int trafficStatus = 404; // like an original dEF-Pi orchestrator, until told otherwise
  private volatile String trafficInterval = "0.05";
  private volatile TestAuthority authority; // null: no TLS, like dEF-Pi's orchestrator
  private volatile TestAuthority.Identity orchestratorIdentity;
  private volatile Duration certificateTtl;
  private volatile Duration certificateRenewAfter;
  private final AtomicInteger certificateFailuresToGo = new AtomicInteger();
  private volatile int certificateFailureStatus = 503;
  private final AtomicInteger certificateCalls = new AtomicInteger();
  private volatile String cannedCertificateAnswer; // a 200 body instead of a real certificate
  private volatile boolean issuing;
  private final Map<String, List<X509Certificate>> issued = new ConcurrentHashMap<>();
  private final Map<String, String> users = new ConcurrentHashMap<>();
  private final Map<String, Boolean> triggerSaidTls = new ConcurrentHashMap<>();

  /** One {@code PUT /process/{id}/traffic} that this orchestrator accepted: the process and the JSON body. */
  public record TrafficReport(String processId, String body) {}

  public FakeOrchestrator() throws IOException {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/process/trigger/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      String processId = path.substring("/process/trigger/".length());
      String token = exchange.getRequestHeaders().getFirst("X-Auth-Token");
      int status;
      if (!exchange.getRequestMethod().equals("PUT")) {
        status = 405;
      } else if (token == null || !token.equals(tokens.get(processId))) {
        status = 401;
      } else if (failuresToGo.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        status = failureStatus;
      } else {
        status = 204;
        triggerSaidTls.put(processId, "1".equals(exchange.getRequestHeaders().getFirst(TlsNames.TLS_HEADER)));
        triggers.add(processId);
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    // The traffic reports and certificates (additions to WIRE.md): every other /process/… path lands here.
    http.createContext("/process/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      if (path.endsWith("/certificate")) {
        certificate(exchange, path.substring("/process/".length(), path.length() - "/certificate".length()));
        return;
      }
      String token = exchange.getRequestHeaders().getFirst("X-Auth-Token");
      byte[] body = exchange.getRequestBody().readAllBytes();
      trafficCalls.incrementAndGet();
      int status = trafficStatus;
      if (path.endsWith("/traffic") && exchange.getRequestMethod().equals("PUT") && status == 204) {
        String processId = path.substring("/process/".length(), path.length() - "/traffic".length());
        if (token == null || !token.equals(tokens.get(processId))) {
          status = 401;
        } else {
          exchange.getResponseHeaders().add("X-Defpi-Report-Interval", trafficInterval);
          trafficReports.add(new TrafficReport(processId, new String(body, java.nio.charset.StandardCharsets.UTF_8)));
        }
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    http.start();
  }

  /** {@code POST /process/{id}/certificate}: 404 while this orchestrator has no TLS, as dEF-Pi's. */
  private void certificate(HttpExchange exchange, String processId) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    certificateCalls.incrementAndGet();
    String token = exchange.getRequestHeaders().getFirst("X-Auth-Token");
    TestAuthority ca = authority;
    int status;
    byte[] answer = new byte[0];
    if (ca == null || !issuing) {
      status = 404;
    } else if (!exchange.getRequestMethod().equals("POST")) {
      status = 405;
    } else if (token == null || !token.equals(tokens.get(processId))) {
      status = 401;
    } else if (certificateFailuresToGo.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      status = certificateFailureStatus;
    } else if (cannedCertificateAnswer != null) {
      status = 200;
      answer = cannedCertificateAnswer.getBytes(StandardCharsets.UTF_8);
    } else {
      try {
        JsonNode request = JSON.readTree(body);
        PublicKey key = KeyFactory.getInstance("EC").generatePublic(
            new X509EncodedKeySpec(java.util.Base64.getDecoder().decode(request.get("publicKey").asText())));
        Instant now = Instant.now();
        Instant notAfter = now.plus(certificateTtl);
        X509Certificate certificate = ca.issue(key, processId, List.of(TlsNames.process(processId),
            TlsNames.user(users.getOrDefault(processId, "u1"))), now.minus(Duration.ofMinutes(5)), notAfter);
        issued.computeIfAbsent(processId, id -> new CopyOnWriteArrayList<>()).add(certificate);
        answer = JSON.writeValueAsBytes(Map.of("certificate", TestAuthority.pem(certificate),
            "caCertificate", TestAuthority.pem(ca.certificate()), "notAfter", notAfter.toString(),
            "renewAfter", now.plus(certificateRenewAfter).toString()));
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

  /**
   * From now on this orchestrator is a certificate authority: each certificate is valid {@code ttl}
   * and to be renewed after {@code renewAfter} (both from the request).
   */
  public synchronized FakeOrchestrator issueCertificates(Duration ttl, Duration renewAfter) {
    if (authority == null) {
      authority = TestAuthority.create("fake defpi authority");
      orchestratorIdentity = authority.orchestrator();
    }
    certificateTtl = ttl;
    certificateRenewAfter = renewAfter;
    issuing = true;
    return this;
  }

  /**
   * From now on the certificate request gets 404, as from an orchestrator restarted with TLS off;
   * management connections stay in TLS (the test says when to go plain).
   */
  public void stopIssuingCertificates() {
    issuing = false;
  }

  /** Certificates valid an hour, renewed after 40 minutes: the contract's defaults. */
  public FakeOrchestrator issueCertificates() {
    return issueCertificates(Duration.ofHours(1), Duration.ofMinutes(40));
  }

  /** The next {@code count} valid certificate requests are answered with {@code status}. */
  public void failNextCertificates(int count, int status) {
    certificateFailureStatus = status;
    certificateFailuresToGo.set(count);
  }

  /** From now on a certificate request is answered 200 with {@code body}, whatever it asked. */
  public void answerCertificatesWith(String body) {
    cannedCertificateAnswer = body;
  }

  /** The authority, once {@link #issueCertificates} made it. */
  public TestAuthority authority() {
    if (authority == null) {
      throw new IllegalStateException("this orchestrator issues no certificates: call issueCertificates first");
    }
    return authority;
  }

  /** The certificates issued to a process, in order (renewals after the first). */
  public List<X509Certificate> issued(String processId) {
    return issued.getOrDefault(processId, List.of());
  }

  /** How many certificate requests arrived, whatever the answer. */
  public int certificateCalls() {
    return certificateCalls.get();
  }

  /** Whether the process's last trigger call said {@code X-Defpi-Tls: 1}. */
  public boolean triggerSaidTls(String processId) {
    return triggerSaidTls.getOrDefault(processId, false);
  }

  /** A TLS context presenting the orchestrator's certificate and trusting the authority. */
  public SSLContext orchestratorContext() {
    return authority().context(orchestratorIdentity);
  }

  /** Parameters for a new process whose token this orchestrator knows. */
  public DefPiParameters parameters(String processId) {
    return parameters(processId, "u1");
  }

  /** Parameters for a new process of {@code userId}, whose token this orchestrator knows. */
  public DefPiParameters parameters(String processId, String userId) {
    String token = "token-of-" + processId;
    tokens.put(processId, token);
    users.put(processId, userId);
    return new DefPiParameters("127.0.0.1", http.getAddress().getPort(), token, processId, userId,
        "Ursula", "ursula@example.org");
  }

  /** Test options: ephemeral management port, fast heartbeats, short timeouts. */
  public RunOptions options(String processId) {
    return RunOptions.defaults(parameters(processId))
        .withManagementPort(0)
        .withTriggerTimeout(java.time.Duration.ofSeconds(5))
        .withHeartbeat(java.time.Duration.ofMillis(100), 3)
        .withMaxReconnectDelay(java.time.Duration.ofMillis(200))
        .withServiceCallTimeout(java.time.Duration.ofSeconds(5));
  }

  /** From now on every trigger call of this process is refused (401). */
  public void revokeToken(String processId) {
    tokens.remove(processId);
  }

  /** The next {@code count} valid trigger calls are answered with {@code status}. */
  public void failNextTriggers(int count, int status) {
    failureStatus = status;
    failuresToGo.set(count);
  }

  /**
   * From now on traffic reports are answered {@code status}: 204 (kept, with {@code intervalSeconds}
   * as the next interval), 404 (no such route, as dEF-Pi's orchestrator), or anything else.
   */
  public void answerTraffic(int status, String intervalSeconds) {
    trafficStatus = status;
    trafficInterval = intervalSeconds;
  }

  /** The traffic reports answered 204, in order. */
  public BlockingQueue<TrafficReport> trafficReports() {
    return trafficReports;
  }

  /** How many traffic reports arrived, whatever the answer. */
  public int trafficCalls() {
    return trafficCalls.get();
  }

  /** Process ids whose trigger call was answered 204, in order. */
  public BlockingQueue<String> triggers() {
    return triggers;
  }

  /**
   * A management connection as this orchestrator makes it: in TLS, presenting its certificate, when
   * it issues certificates (the process held one at its trigger call, or it would not have started
   * under it); plain otherwise.
   */
  public ManagementClient connect(ServiceProcess process) throws IOException {
    return authority == null ? connectPlain(process) : connectTls(process, orchestratorContext());
  }

  /** A plain management connection, whatever the process holds. */
  public ManagementClient connectPlain(ServiceProcess process) throws IOException {
    return new ManagementClient(process.managementPort());
  }

  /** A TLS management connection presenting what {@code context} holds (a rogue party's, say). */
  public ManagementClient connectTls(ServiceProcess process, SSLContext context) throws IOException {
    return ManagementClient.overTls(process.managementPort(), context);
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
