package org.defpi.orchestrator.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.defpi.orchestrator.service.Registry.RegistryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's services as last read, so that listing them costs no registry round trips. A
 * refresh reads every service anew and replaces the snapshot; it runs on the injected executor
 * every {@code interval} and on demand ({@link #refreshSoon()}, e.g. after a lookup missed).
 * Requests for a refresh that arrive while one waits to run are merged into it.
 *
 * <p>The executor belongs to the caller, who shuts it down.
 *
 * <p>Invariants: a request never waits for a refresh except while there has been no good snapshot
 * yet; a failed refresh keeps the last good snapshot and records its error in {@link #status()}.
 */
public final class ServiceCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceCatalog.class);
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  /** The services of one complete read of the registry, by id. */
  public record Snapshot(Map<String, Service> services, Instant loadedAt) {
    public Snapshot {
      services = Map.copyOf(services);
      Objects.requireNonNull(loadedAt, "loadedAt");
    }

    /** The services sorted by id. */
    public List<Service> list() {
      return services.values().stream().sorted((a, b) -> a.id().compareTo(b.id())).toList();
    }
  }

  /** The last refresh that failed, if it failed after the last good one. */
  public record Failure(String error, Instant at) {}

  /** What the catalog holds: the last good snapshot, and the error of a later failed refresh. */
  public record Status(Optional<Snapshot> snapshot, Optional<Failure> lastFailure) {}

  private final Registry registry;
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final Duration interval;
  private final Duration firstLoadTimeout;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final Object lock = new Object();
  private volatile Status status = new Status(Optional.empty(), Optional.empty());
  /** Completed by the next refresh to start after it was made. */
  private CompletableFuture<Status> next = new CompletableFuture<>();
  private boolean started;

  /**
   * @param firstLoadTimeout how long a request waits while there is no good snapshot yet
   */
  public ServiceCatalog(Registry registry, ScheduledExecutorService executor, Clock clock, Duration interval,
      Duration firstLoadTimeout) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.firstLoadTimeout = Objects.requireNonNull(firstLoadTimeout, "firstLoadTimeout");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, not " + interval);
    }
  }

  /** Schedules the first load now and then a refresh every {@code interval}; idempotent. */
  public ServiceCatalog start() {
    synchronized (lock) {
      if (started) {
        return this;
      }
      started = true;
    }
    executor.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  public Status status() {
    return status;
  }

  /**
   * The last good snapshot; only while there has been none does this wait, for the next refresh.
   *
   * @throws RegistryException when there is still none: the refresh failed or took too long
   */
  public Snapshot snapshot() throws RegistryException {
    Status current = status;
    if (current.snapshot().isPresent()) {
      return current.snapshot().get();
    }
    CompletableFuture<Status> loaded;
    synchronized (lock) {
      loaded = next;
    }
    if (status.snapshot().isPresent()) {
      return status.snapshot().get(); // a refresh finished meanwhile
    }
    refreshSoon();
    try {
      current = loaded.get(firstLoadTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("interrupted while waiting for the registry's services", e);
    } catch (ExecutionException e) {
      throw new RegistryException("reading the registry failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new RegistryException("the registry's services are not read yet (waited " + firstLoadTimeout + ")", e);
    }
    if (current.snapshot().isPresent()) {
      return current.snapshot().get();
    }
    throw new RegistryException(current.lastFailure().map(Failure::error).orElse("the registry has not been read"));
  }

  /** Asks for a refresh as soon as the executor can run it, merged with one that already waits. */
  public void refreshSoon() {
    if (pending.compareAndSet(false, true)) {
      executor.execute(this::refresh);
    }
  }

  /** Reads every service and replaces the snapshot, or records why it could not. */
  void refresh() {
    CompletableFuture<Status> done;
    synchronized (lock) {
      done = next;
      next = new CompletableFuture<>();
    }
    pending.set(false);
    Status result;
    try {
      List<Service> services = new ArrayList<>();
      for (String id : registry.serviceIds()) {
        List<Image> images = registry.images(id);
        if (!images.isEmpty()) {
          services.add(new Service(id, ServiceManager.defaultImage(images), images));
        }
      }
      Snapshot snapshot = new Snapshot(services.stream().collect(Collectors.toMap(Service::id, Function.identity())),
          clock.instant());
      result = new Status(Optional.of(snapshot), Optional.empty());
      if (status.lastFailure().isPresent()) {
        LOG.info("read the registry again: {} services", services.size());
      }
    } catch (RegistryException | RuntimeException e) {
      // Keep serving the last good snapshot; the error is status, not only a log line.
      Failure failure = new Failure(e.getMessage(), clock.instant());
      result = new Status(status.snapshot(), Optional.of(failure));
      LOG.warn("cannot read the registry, keeping the services read at {}: {}",
          status.snapshot().map(s -> s.loadedAt().toString()).orElse("(never)"), e.getMessage());
    }
    status = result;
    done.complete(result);
  }
}
