package org.defpi.sdk.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.defpi.sdk.DefPiParameters;
import org.defpi.sdk.RunOptions;
import org.defpi.sdk.ServiceProcess;

/**
 * The orchestrator's side of a process's start-up, in the test JVM: answers the trigger call of
 * WIRE.md section 4 (204 when the token is the one it issued, 401 otherwise) and opens management
 * connections to the process.
 */
public final class FakeOrchestrator implements AutoCloseable {
  private final HttpServer http;
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final BlockingQueue<String> triggers = new LinkedBlockingQueue<>();
  private final AtomicInteger failuresToGo = new AtomicInteger();
  private volatile int failureStatus = 503;
  private final BlockingQueue<TrafficReport> trafficReports = new LinkedBlockingQueue<>();
  private final AtomicInteger trafficCalls = new AtomicInteger();
  private volatile int trafficStatus = 404; // like an original dEF-Pi orchestrator, until told otherwise
  private volatile String trafficInterval = "0.05";

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
        triggers.add(processId);
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    // The traffic reports (an addition to WIRE.md): every other /process/… path lands here.
    http.createContext("/process/", exchange -> {
      String path = exchange.getRequestURI().getPath();
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

  /** Parameters for a new process whose token this orchestrator knows. */
  public DefPiParameters parameters(String processId) {
    String token = "token-of-" + processId;
    tokens.put(processId, token);
    return new DefPiParameters("127.0.0.1", http.getAddress().getPort(), token, processId, "u1",
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

  public ManagementClient connect(ServiceProcess process) throws IOException {
    return new ManagementClient(process.managementPort());
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
