package org.defpi.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.defpi.sdk.Connection;
import org.defpi.sdk.ServiceProcess;
import org.defpi.sdk.ServiceRunner;

/**
 * Node A's SDK process of one {@link NodeWiring}, started and configured by its own
 * {@link LoopbackOrchestrator} (for TLS, a certificate authority loaded from the run's directory:
 * the one node B's orchestrator loaded too), its data connection to node B's process over the
 * link between the nodes. Sends with {@link Connection#send} from the bench thread; node B's
 * answers arrive at the connection's handler.
 */
final class SdkNodePath implements NodePath {
  private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(30);

  private final NodeWiring wiring;
  private final LoopbackOrchestrator orchestrator;
  private final ServiceProcess process;
  private final SdkPath.Handler handler;
  private final Arrivals answers = new Arrivals();
  private long batches;

  private SdkNodePath(NodeWiring wiring, LoopbackOrchestrator orchestrator, ServiceProcess process,
      SdkPath.Handler handler) {
    this.wiring = wiring;
    this.orchestrator = orchestrator;
    this.process = process;
    this.handler = handler;
  }

  /** Starts, configures and connects node A's process; returns once its connection is CONNECTED. */
  static SdkNodePath open(NodeWiring wiring, String peerAddress, Path runDirectory) throws Exception {
    LoopbackOrchestrator orchestrator = wiring.tls()
        ? LoopbackOrchestrator.issuing(BenchAuthority.load(runDirectory)) : new LoopbackOrchestrator();
    ServiceProcess process = null;
    try {
      CompletableFuture<SdkPath.Handler> built = new CompletableFuture<>();
      process = ServiceRunner.start(SdkPath.definition(NodeWiring.B_TO_A, NodeWiring.A_TO_B, built),
          orchestrator.options(wiring.connectorId()));
      orchestrator.configureAndConnect(process, wiring.connectorId(), wiring.connect(peerAddress));
      SdkPath.Handler handler = built.get(10, TimeUnit.SECONDS);
      SdkPath.awaitConnected(handler.connection());
      if (handler.connection().encrypted() != wiring.tls()) {
        throw new IllegalStateException("the " + wiring.name() + " connection runs "
            + (handler.connection().encrypted() ? "in TLS" : "in plain TCP"));
      }
      return new SdkNodePath(wiring, orchestrator, process, handler);
    } catch (Exception e) {
      if (process != null) {
        process.close();
      }
      orchestrator.close();
      throw e;
    }
  }

  @Override
  public String label() {
    return wiring.tls() ? "defpi SDK, TLS 1.3" : "defpi SDK, plain TCP";
  }

  @Override
  public long batch() throws Exception {
    handler.onMessage = (connection, answer) -> answers.arrived();
    Connection connection = handler.connection();
    long start = System.nanoTime();
    for (int i = 0; i < NodeWiring.BATCH; i++) {
      connection.send(Message200.MESSAGE);
    }
    answers.await(++batches, BATCH_TIMEOUT);
    return System.nanoTime() - start;
  }

  @Override
  public Histogram roundTrips(Duration warmup, Duration measure) throws Exception {
    return RoundTripLatency.inHandler(handler, Message200.PING, warmup, measure);
  }

  @Override
  public void close() {
    process.close();
    orchestrator.close();
  }
}
