package org.defpi.sdk;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.defpi.sdk.testing.FakeOrchestrator;
import org.defpi.sdk.testing.ManagementClient;
import org.defpi.sdk.testing.TestInterface;
import org.defpi.wire.protocol.ConnectionProto.ConnectionMessage.ModeType;
import org.defpi.wire.protocol.ProcessProto.ErrorMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A quick look at what TLS costs the data path, not a gate: {@code ./mvnw -o -pl sdk test
 * -Dtest=DataPathMeasurement -Ddefpi.measure=true} prints throughput and round-trip percentiles of
 * 200-byte messages over loopback, plain and TLS side by side (batches interleaved, so a machine
 * whose load drifts treats both alike). The {@code benchmarks} module is the careful measurement.
 */
@EnabledIfSystemProperty(named = "defpi.measure", matches = "true")
class DataPathMeasurement {
  private static final String A_TO_B = "measure-a-to-b";
  private static final String B_TO_A = "measure-b-to-a";
  private static final int BATCH = 2000;
  /** 1 + "ErrorMessage" + processId field (3) + debugInformation field (3 + 181) = 200 bytes. */
  private static final ErrorMessage MESSAGE = ErrorMessage.newBuilder().setProcessId("x")
      .setDebugInformation("m".repeat(181)).build();

  /** A handler whose behaviour the measurement sets. */
  static final class Handler implements ConnectionHandler {
    final Connection connection;
    volatile java.util.function.Consumer<ErrorMessage> onMessage = m -> {};

    Handler(Connection connection) {
      this.connection = connection;
    }
  }

  /** Two processes and one connection between them, plain or TLS. */
  record Path(String name, FakeOrchestrator orchestrator, ServiceProcess a, ServiceProcess b, Handler listener,
      Handler connector) implements AutoCloseable {
    @Override
    public void close() {
      b.close();
      a.close();
      orchestrator.close();
    }
  }

  @Test
  void plainAndTls() throws Exception {
    try (Path plain = open(false); Path tls = open(true)) {
      System.out.println("frame payload bytes: " + (MESSAGE.toByteArray().length + 1 + "ErrorMessage".length()));
      throughput(plain, tls, Duration.ofSeconds(3), Duration.ofSeconds(6));
      for (Path path : List.of(plain, tls)) {
        latency(path, Duration.ofSeconds(2), Duration.ofSeconds(5));
      }
    }
  }

  private static Path open(boolean tls) throws Exception {
    FakeOrchestrator orchestrator = new FakeOrchestrator();
    if (tls) {
      orchestrator.issueCertificates();
    }
    CompletableFuture<Handler> listenerBuilt = new CompletableFuture<>();
    CompletableFuture<Handler> connectorBuilt = new CompletableFuture<>();
    ServiceProcess a = ServiceRunner.start(definition(B_TO_A, A_TO_B, listenerBuilt), options(orchestrator, "ma"));
    ServiceProcess b = ServiceRunner.start(definition(A_TO_B, B_TO_A, connectorBuilt), options(orchestrator, "mb"));
    int port = ManagementProtocolTest.freePort();
    try (ManagementClient ma = orchestrator.connect(a); ManagementClient mb = orchestrator.connect(b)) {
      ma.setConfig("ma", Map.of(), false);
      mb.setConfig("mb", Map.of(), false);
      TestInterface.Side listening = new TestInterface.Side(B_TO_A, A_TO_B);
      TestInterface.Side connecting = new TestInterface.Side(A_TO_B, B_TO_A);
      if (tls) {
        ma.tls(ModeType.CREATE, "m", listening, "", port, "mb");
        mb.tls(ModeType.CREATE, "m", connecting, "127.0.0.1", port, "ma");
      } else {
        ma.create("m", listening, "", port);
        mb.create("m", connecting, "127.0.0.1", port);
      }
    }
    Handler listener = listenerBuilt.get(10, SECONDS);
    Handler connector = connectorBuilt.get(10, SECONDS);
    await().atMost(10, SECONDS).until(() -> listener.connection.state() == ConnectionState.CONNECTED
        && connector.connection.state() == ConnectionState.CONNECTED);
    if (listener.connection.encrypted() != tls) {
      throw new IllegalStateException("the connection is not what was asked");
    }
    return new Path(tls ? "tls  " : "plain", orchestrator, a, b, listener, connector);
  }

  private static RunOptions options(FakeOrchestrator orchestrator, String id) {
    return orchestrator.options(id).withHeartbeat(RunOptions.DEFAULT_HEARTBEAT_INTERVAL, RunOptions.DEFAULT_MISSED_HEARTBEATS)
        .withSendBufferLimit(100_000);
  }

  private static ServiceDefinition<Map<String, String>> definition(String receives, String sends,
      CompletableFuture<Handler> built) {
    Service<Map<String, String>> service = (config, parameters) -> {};
    InterfaceVersion version = new InterfaceVersion("measure/data-path", "v1", receives, sends,
        MessageCodec.protobuf(ErrorMessage.getDefaultInstance()),
        connection -> {
          Handler handler = new Handler(connection);
          built.complete(handler);
          return handler;
        },
        (handler, message) -> ((Handler) handler).onMessage.accept((ErrorMessage) message));
    return new ServiceDefinition<>(service, config -> config, List.of(version));
  }

  /** Batches from the connector to the listener, the two paths taking turns. */
  private static void throughput(Path plain, Path tls, Duration warmUp, Duration measured) throws Exception {
    long[] nanos = new long[2];
    long[] messages = new long[2];
    Path[] paths = {plain, tls};
    for (boolean measuring : new boolean[] {false, true}) {
      long end = System.nanoTime() + (measuring ? measured : warmUp).toNanos();
      while (System.nanoTime() < end) {
        for (int i = 0; i < 2; i++) {
          long took = batch(paths[i]);
          if (measuring) {
            nanos[i] += took;
            messages[i] += BATCH;
          }
        }
      }
    }
    for (int i = 0; i < 2; i++) {
      System.out.printf("throughput %s %,10.0f msg/s  (%,d messages)%n", paths[i].name(),
          messages[i] * 1e9 / nanos[i], messages[i]);
    }
    System.out.printf("throughput tls/plain %.2f%n", (messages[1] * 1e9 / nanos[1]) / (messages[0] * 1e9 / nanos[0]));
  }

  private static long batch(Path path) throws InterruptedException {
    CountDownLatch received = new CountDownLatch(BATCH);
    path.listener().onMessage = m -> received.countDown();
    long start = System.nanoTime();
    for (int i = 0; i < BATCH; i++) {
      path.connector().connection.send(MESSAGE);
    }
    if (!received.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(path.name() + ": a batch did not arrive in 30 s");
    }
    return System.nanoTime() - start;
  }

  /** Ping-pong, one message in flight, run by the handlers as a reacting service would. */
  private static void latency(Path path, Duration warmUp, Duration measured) throws Exception {
    long[] samples = new long[4_000_000];
    AtomicLong count = new AtomicLong();
    long[] sentAt = new long[1];
    long recordFrom = System.nanoTime() + warmUp.toNanos();
    long stopAt = recordFrom + measured.toNanos();
    CountDownLatch done = new CountDownLatch(1);
    path.listener().onMessage = m -> path.listener().connection.send(m);
    path.connector().onMessage = m -> {
      long now = System.nanoTime();
      if (now >= recordFrom) {
        long n = count.getAndIncrement();
        if (n < samples.length) {
          samples[(int) n] = now - sentAt[0];
        }
      }
      if (now >= stopAt) {
        done.countDown();
        return;
      }
      sentAt[0] = System.nanoTime();
      path.connector().connection.send(MESSAGE);
    };
    sentAt[0] = System.nanoTime();
    path.connector().connection.send(MESSAGE);
    if (!done.await(measured.plus(warmUp).toSeconds() + 30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(path.name() + ": the ping-pong stalled");
    }
    int n = (int) Math.min(count.get(), samples.length);
    long[] sorted = Arrays.copyOf(samples, n);
    Arrays.sort(sorted);
    System.out.printf("round trip %s p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms  (%,d round trips)%n",
        path.name(), at(sorted, 0.50), at(sorted, 0.99), at(sorted, 0.999), sorted[n - 1] / 1e6, n);
  }

  private static double at(long[] sorted, double quantile) {
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1e6;
  }
}
