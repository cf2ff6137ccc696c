package org.defpi.orchestrator.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.defpi.orchestrator.FakeScheduler;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.service.Registry.RegistryException;
import org.defpi.wire.label.ServiceLabels;
import org.junit.jupiter.api.Test;

/**
 * The catalog's decisions over a fake registry (the connector has its own tests against the real
 * one), driven by a fake scheduler and clock: nothing runs until the test says so, nothing sleeps.
 */
class ServiceCatalogTest {
  private static final Duration INTERVAL = Duration.ofSeconds(30);

  /** Services by id, each its images; counts full reads; fails while {@code failure} is set. */
  static final class FakeRegistry implements Registry {
    final Map<String, List<Image>> services = new TreeMap<>();
    volatile String failure;
    int catalogReads;

    @Override
    public synchronized List<String> serviceIds() throws RegistryException {
      catalogReads++;
      if (failure != null) {
        throw new RegistryException(failure);
      }
      return List.copyOf(services.keySet());
    }

    @Override
    public synchronized List<Image> images(String serviceId) throws RegistryException {
      if (failure != null) {
        throw new RegistryException(failure);
      }
      return services.getOrDefault(serviceId, List.of());
    }

    @Override
    public String imageReference(String serviceId, String tag, String digest) {
      return "fake/" + serviceId + ":" + tag + "@" + digest;
    }

    synchronized void put(String serviceId, String... tags) {
      List<Image> images = new ArrayList<>();
      for (String tag : tags) {
        images.add(new Image.Valid(serviceId, tag, "sha256:" + serviceId + tag,
            new ServiceLabels(serviceId + " service", List.of(), List.of()), List.of("amd64")));
      }
      services.put(serviceId, images);
    }
  }

  private final FakeScheduler scheduler = new FakeScheduler();
  private final FakeRegistry registry = new FakeRegistry();
  private final ServiceCatalog catalog = new ServiceCatalog(registry, scheduler, scheduler.clock(), INTERVAL,
      Duration.ofSeconds(5));

  private static List<String> ids(ServiceCatalog.Snapshot snapshot) {
    return snapshot.list().stream().map(Service::id).toList();
  }

  @Test
  void theFirstRequestWaitsForTheFirstLoadAndLaterOnesAnswerFromTheSnapshot() throws Exception {
    registry.put("meter", "0.1.0", "latest");
    catalog.start();
    CompletableFuture<ServiceCatalog.Snapshot> first = CompletableFuture.supplyAsync(() -> {
      try {
        return catalog.snapshot();
      } catch (RegistryException e) {
        throw new CompletionException(e);
      }
    });
    awaitQueued(2); // the first load, scheduled by start(), and the one the waiting request asked for
    scheduler.runDue();
    assertThat(ids(first.join())).containsExactly("meter");
    int reads = registry.catalogReads;

    registry.put("logger", "0.1.0");
    // No refresh has run since: the answer is the snapshot, and the registry is not asked again.
    assertThat(ids(catalog.snapshot())).containsExactly("meter");
    assertThat(registry.catalogReads).isEqualTo(reads);
    assertThat(scheduler.queued()).isEqualTo(1); // only the periodic refresh
  }

  @Test
  void aRefreshEveryIntervalReplacesTheSnapshot() throws Exception {
    registry.put("meter", "0.1.0");
    catalog.start();
    scheduler.runDue();
    registry.put("logger", "0.1.0");
    scheduler.advance(INTERVAL.minusSeconds(1));
    assertThat(ids(catalog.snapshot())).containsExactly("meter");
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(ids(catalog.snapshot())).containsExactly("logger", "meter");
    assertThat(catalog.snapshot().loadedAt()).isEqualTo(scheduler.clock().instant());
    assertThat(catalog.status().lastFailure()).isEmpty();
  }

  @Test
  void aFailedRefreshKeepsTheLastGoodSnapshotAndRecordsTheError() throws Exception {
    registry.put("meter", "0.1.0");
    catalog.start();
    scheduler.runDue();
    var loadedAt = catalog.snapshot().loadedAt();

    registry.failure = "cannot reach the registry at http://r:5000";
    scheduler.advance(INTERVAL);
    assertThat(ids(catalog.snapshot())).containsExactly("meter");
    assertThat(catalog.snapshot().loadedAt()).isEqualTo(loadedAt);
    assertThat(catalog.status().lastFailure()).hasValueSatisfying(f -> {
      assertThat(f.error()).isEqualTo("cannot reach the registry at http://r:5000");
      assertThat(f.at()).isEqualTo(loadedAt.plus(INTERVAL));
    });

    registry.failure = null;
    registry.put("logger", "0.1.0");
    scheduler.advance(INTERVAL);
    assertThat(ids(catalog.snapshot())).containsExactly("logger", "meter");
    assertThat(catalog.status().lastFailure()).isEmpty();
  }

  @Test
  void withoutAGoodSnapshotARequestGetsTheErrorAndTheNextOneTriesAgain() throws Exception {
    registry.failure = "the registry answered its catalog with 500";
    catalog.start();
    scheduler.runDue();
    // The first load has failed: a request asks for a refresh and waits for it.
    CompletableFuture<Void> failed = CompletableFuture.runAsync(() -> {
      try {
        catalog.snapshot();
      } catch (RegistryException e) {
        throw new CompletionException(e);
      }
    });
    awaitQueued(2); // the periodic refresh and the one the request asked for
    scheduler.runDue();
    assertThatThrownBy(failed::join).hasCauseInstanceOf(RegistryException.class)
        .hasMessageContaining("the registry answered its catalog with 500");

    registry.failure = null;
    registry.put("meter", "0.1.0");
    CompletableFuture<ServiceCatalog.Snapshot> ok = CompletableFuture.supplyAsync(() -> {
      try {
        return catalog.snapshot();
      } catch (RegistryException e) {
        throw new CompletionException(e);
      }
    });
    awaitQueued(2);
    scheduler.runDue();
    assertThat(ids(ok.join())).containsExactly("meter");
  }

  @Test
  void refreshRequestsThatArriveWhileOneWaitsAreMerged() throws Exception {
    catalog.start();
    scheduler.runDue();
    int before = registry.catalogReads;
    catalog.refreshSoon();
    catalog.refreshSoon();
    catalog.refreshSoon();
    scheduler.runDue();
    assertThat(registry.catalogReads).isEqualTo(before + 1);
  }

  @Test
  void aProcessNamingAVersionTheSnapshotLacksIsResolvedFromTheRegistryAndRefreshesTheCatalog() throws Exception {
    registry.put("meter", "0.1.0", "latest");
    ServiceManager manager = new ServiceManager(registry, catalog.start());
    scheduler.runDue();
    registry.put("meter", "0.1.0", "0.2.0", "latest");

    ResolvedService resolved = manager.resolve("meter", Optional.of("0.2.0"), Map.of());
    assertThat(resolved.imageReference()).isEqualTo("fake/meter:0.2.0@sha256:meter0.2.0");
    assertThat(manager.get("meter").images()).extracting(Image::tag).containsExactly("0.1.0", "latest");
    scheduler.runDue(); // the refresh the miss asked for
    assertThat(manager.get("meter").images()).extracting(Image::tag).containsExactly("0.1.0", "0.2.0", "latest");
  }

  @Test
  void aServiceThatExistsNowhereIsRefusedWithoutReadingTheWholeRegistryAgain() throws Exception {
    registry.put("meter", "0.1.0");
    ServiceManager manager = new ServiceManager(registry, catalog.start());
    scheduler.runDue();
    assertThatThrownBy(() -> manager.resolve("nothing", Optional.empty(), Map.of()))
        .isInstanceOf(Refusal.Unprocessable.class).hasMessageContaining("service 'nothing' has no image in the registry");
    assertThatThrownBy(() -> manager.get("nothing")).isInstanceOf(Refusal.NotFound.class);
    assertThat(scheduler.queued()).isEqualTo(1); // only the periodic refresh
  }

  /**
   * Waits until the request on the other thread has queued its refresh: a handshake on the
   * scheduler's queue, not a timed sleep.
   */
  private void awaitQueued(int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (scheduler.queued() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the request never asked for a refresh");
      }
      Thread.onSpinWait();
    }
  }
}
