package org.defpi.sdk.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.defpi.sdk.DefPiParameters;
import org.defpi.sdk.RunOptions;
import org.defpi.sdk.ServiceDefinition;
import org.defpi.sdk.ServiceProcess;
import org.defpi.wire.frame.FrameReader;
import org.defpi.wire.tls.TlsNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running process: wires the management server, the controller and the data connections,
 * asks for a certificate, and makes the trigger call. The public {@code ServiceRunner.start}
 * returns it as a {@link ServiceProcess}; like everything in this package it depends on the API's
 * types, never on {@code ServiceRunner}.
 *
 * <p>Start-up: management port open; certificate request (docs/wire-additions.md, "TLS": a
 * certificate, or 404/405 for plain, retried otherwise); trigger call, with {@code X-Defpi-Tls: 1}
 * when a certificate came. Both calls share one deadline, {@link RunOptions#triggerTimeout()}.
 */
public final class ProcessRuntime implements ServiceProcess {
  private static final Logger log = LoggerFactory.getLogger(ProcessRuntime.class);

  private final ProcessController<?> controller;
  private final ConnectionRegistry connections;
  private final ManagementServer server;
  private final TrafficReporter reporter;
  private final TlsIdentity identity;
  private final CertificateClient certificates; // null: the ids cannot be named in a certificate
  private final CertificateRenewer renewer; // null likewise
  private final CompletableFuture<KeyPair> firstKey; // null likewise
  private final CountDownLatch ended = new CountDownLatch(1);
  private final AtomicBoolean stopping = new AtomicBoolean();

  private <C> ProcessRuntime(ServiceDefinition<C> definition, RunOptions options) {
    DefPiParameters parameters = options.parameters();
    this.identity = new TlsIdentity(parameters.userId());
    this.certificates = nameable(parameters) ? new CertificateClient(parameters) : null;
    this.renewer = certificates == null ? null : new CertificateRenewer(certificates, identity, Clock.systemUTC());
    // The first key pair of a JVM takes a while: made while the rest is built and the port opens.
    this.firstKey = certificates == null ? null : CertificateClient.startKeyPair();
    DataConnection.Settings settings = new DataConnection.Settings(options.heartbeatInterval(),
        options.missedHeartbeats(), options.sendBufferLimit(), reconnectBackoff(options.maxReconnectDelay()),
        FrameReader.DEFAULT_MAX_FRAME_LENGTH);
    this.connections = new ConnectionRegistry(definition.interfaceVersions(), settings, options.serviceCallTimeout(),
        identity);
    this.controller = new ProcessController<>(definition, options.parameters(), connections, options.serviceCallTimeout());
    this.server = new ManagementServer(controller, options.managementPort(), FrameReader.DEFAULT_MAX_FRAME_LENGTH,
        this::terminatedByOrchestrator, identity);
    this.reporter = new TrafficReporter(options.parameters(), connections::traffic);
  }

  /**
   * Opens the management port, asks for a certificate, makes the trigger call, and returns the
   * serving process.
   */
  public static ServiceProcess start(ServiceDefinition<?> definition, RunOptions options) {
    ProcessRuntime runtime = new ProcessRuntime(definition, options);
    try {
      runtime.server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
    log.info("process {} serves management requests on port {}", options.parameters().processId(),
        runtime.server.port());
    long deadline = System.nanoTime() + options.triggerTimeout().toNanos();
    try {
      runtime.obtainCertificate(deadline, options.triggerTimeout());
      new TriggerClient(options.parameters(), options.triggerTimeout()).trigger(runtime.identity.held(), deadline);
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    } catch (InterruptedException e) {
      runtime.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during the trigger call", e);
    }
    runtime.reporter.start();
    if (runtime.identity.held()) {
      runtime.renewer.start();
    }
    return runtime;
  }

  private void obtainCertificate(long deadline, Duration timeout) throws InterruptedException {
    if (certificates == null) {
      return;
    }
    Optional<Credentials> credentials = certificates.obtain(firstKey, deadline, timeout);
    if (credentials.isEmpty()) {
      return;
    }
    Credentials c = credentials.get();
    try {
      identity.install(c);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot use the CA certificate the orchestrator sent: " + e.getMessage(), e);
    }
    log.info("holding certificate serial {}, valid until {}, renewal at {}: management and tls data connections "
        + "run in TLS 1.3", c.serial(), c.notAfter(), c.renewAfter());
  }

  /**
   * Whether the process's and user's ids can be named in a certificate ({@link TlsNames}). An
   * orchestrator's ids always can; a process given others runs plain rather than not at all.
   */
  private static boolean nameable(DefPiParameters p) {
    try {
      TlsNames.process(p.processId());
      TlsNames.user(p.userId());
      return true;
    } catch (IllegalArgumentException e) {
      log.warn("not asking for a certificate: {}; management and data connections stay plain TCP", e.getMessage());
      return false;
    }
  }

  /** This process's TLS identity, for tests in this package. */
  TlsIdentity identity() {
    return identity;
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
    if (renewer != null) {
      renewer.close();
    }
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
    if (renewer != null) {
      renewer.close();
    }
    server.close();
    connections.closeAll();
    ended.countDown();
  }
}
