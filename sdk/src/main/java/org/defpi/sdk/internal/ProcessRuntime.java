package org.defpi.sdk.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.defpi.sdk.RunOptions;
import org.defpi.sdk.ServiceDefinition;
import org.defpi.sdk.ServiceProcess;
import org.defpi.wire.frame.FrameReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running process: wires the management server, the controller and the data connections,
 * and makes the trigger call. The public {@code ServiceRunner.start} returns it as a {@link
 * ServiceProcess}; like everything in this package it depends on the API's types, never on {@code
 * ServiceRunner}.
 */
public final class ProcessRuntime implements ServiceProcess {
  private static final Logger log = LoggerFactory.getLogger(ProcessRuntime.class);

  private final ProcessController<?> controller;
  private final ConnectionRegistry connections;
  private final ManagementServer server;
  private final TrafficReporter reporter;
  private final CountDownLatch ended = new CountDownLatch(1);
  private final AtomicBoolean stopping = new AtomicBoolean();

  private <C> ProcessRuntime(ServiceDefinition<C> definition, RunOptions options) {
    DataConnection.Settings settings = new DataConnection.Settings(options.heartbeatInterval(),
        options.missedHeartbeats(), options.sendBufferLimit(), reconnectBackoff(options.maxReconnectDelay()),
        FrameReader.DEFAULT_MAX_FRAME_LENGTH);
    this.connections = new ConnectionRegistry(definition.interfaceVersions(), settings, options.serviceCallTimeout());
    this.controller = new ProcessController<>(definition, options.parameters(), connections, options.serviceCallTimeout());
    this.server = new ManagementServer(controller, options.managementPort(), FrameReader.DEFAULT_MAX_FRAME_LENGTH,
        this::terminatedByOrchestrator);
    this.reporter = new TrafficReporter(options.parameters(), connections::traffic);
  }

  /** Opens the management port, makes the trigger call, and returns the serving process. */
  public static ServiceProcess start(ServiceDefinition<?> definition, RunOptions options) {
    ProcessRuntime runtime = new ProcessRuntime(definition, options);
    try {
      runtime.server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
    log.info("process {} serves management requests on port {}", options.parameters().processId(),
        runtime.server.port());
    try {
      new TriggerClient(options.parameters(), options.triggerTimeout()).trigger();
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    } catch (InterruptedException e) {
      runtime.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during the trigger call", e);
    }
    runtime.reporter.start();
    return runtime;
  }

  /** 50 ms, then doubling up to the cap: a peer that is just starting is found quickly. */
  static Backoff reconnectBackoff(Duration max) {
    Duration initial = Duration.ofMillis(50);
    return new Backoff(initial.compareTo(max) > 0 ? max : initial, max);
  }

  @Override
  public int managementPort() {
    return server.port();
  }

  @Override
  public void awaitTermination() throws InterruptedException {
    ended.await();
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public boolean isTerminated() {
    return ended.getCount() == 0;
  }

  @Override
  public void close() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    log.info("stopping");
    reporter.close();
    server.close();
    connections.closeAll();
    controller.stop();
    ended.countDown();
  }

  /** After the TERMINATED reply went out: nothing is left to serve. */
  private void terminatedByOrchestrator() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    reporter.close();
    server.close();
    connections.closeAll();
    ended.countDown();
  }
}
