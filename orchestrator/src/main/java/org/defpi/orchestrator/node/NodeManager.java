package org.defpi.orchestrator.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.defpi.orchestrator.Ids;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.user.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.defpi.orchestrator.node.SwarmNodes.SwarmException;

/**
 * Nodes and node pools. The nodes follow the Swarm's through {@link #sync()} ({@link NodeSync}
 * decides, this writes), run on start and every interval by {@link #start}, and before each read
 * of the API (one call to the local engine: cheap). Syncs run one at a time.
 *
 * <p>An admin's decisions are also labels on the Swarm's nodes ({@link NodeSync#labels}), which the
 * constraints of process services name. {@link #assign} sets them at once when it can; a sync puts
 * right whatever is off (a write that failed, a node that was away).
 */
public final class NodeManager {
  private static final Logger LOG = LoggerFactory.getLogger(NodeManager.class);

  private final SwarmNodes swarm;
  private final NodeStore store;
  private final Ids ids;
  private final Clock clock;
  private final boolean syncOnRead;
  private final Object syncLock = new Object();

  /** Synced before each read of the API. */
  public NodeManager(SwarmNodes swarm, NodeStore store, Ids ids, Clock clock) {
    this(swarm, store, ids, clock, true);
  }

  /**
   * @param syncOnRead whether a read of the API syncs first; false for an orchestrator that only
   *     serves its store (a sync relabels the Swarm's nodes)
   */
  public NodeManager(SwarmNodes swarm, NodeStore store, Ids ids, Clock clock, boolean syncOnRead) {
    this.swarm = Objects.requireNonNull(swarm, "swarm");
    this.store = Objects.requireNonNull(store, "store");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.syncOnRead = syncOnRead;
  }

  /** Syncs now and then every {@code interval} on {@code scheduler}; a failed sync is logged and retried next time. */
  private volatile OverlayCheck overlayCheck;

  /** The check of the encrypted overlay, when it runs (DEFPI_OVERLAY_ENCRYPTION=on). */
  public void useOverlayCheck(OverlayCheck check) {
    this.overlayCheck = check;
  }

  /** The latest check of the encrypted overlay; empty when there is none (encryption off) or none yet. */
  public Optional<OverlayCheck.Report> overlayReport() {
    OverlayCheck check = overlayCheck;
    return check == null ? Optional.empty() : check.latest();
  }

  public NodeManager start(ScheduledExecutorService scheduler, Duration interval) {
    return start(scheduler, interval, new io.micrometer.core.instrument.composite.CompositeMeterRegistry());
  }

  /** As {@link #start(ScheduledExecutorService, Duration)}, each sync timed: {@code defpi_reconcile_seconds{pass="nodes", outcome}}. */
  public NodeManager start(ScheduledExecutorService scheduler, Duration interval,
      io.micrometer.core.instrument.MeterRegistry meters) {
    scheduler.scheduleWithFixedDelay(() -> {
      long started = System.nanoTime();
      String outcome = "success";
      try {
        sync();
      } catch (SwarmException | RuntimeException e) {
        // Background loop: the next run retries; an API read surfaces the failure to its caller.
        outcome = "error";
        LOG.warn("node sync failed: {}", e.getMessage());
      } finally {
        io.micrometer.core.instrument.Timer.builder("defpi.reconcile")
            .description("Reconciliation passes: the Swarm's services and networks with the store, and the nodes")
            .tag("pass", "nodes").tag("outcome", outcome).register(meters)
            .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      }
    }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Brings the stored nodes in line with the Swarm's; returns the changes made. */
  public List<NodeSync.Change> sync() throws SwarmException {
    synchronized (syncLock) {
      List<SwarmNodes.SwarmNode> observed = swarm.nodes();
      // the stores keep microseconds at best: millis make a stored lastSeen compare equal to now
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      List<NodeSync.Change> changes = NodeSync.reconcile(store.listNodes(), observed, now);
      for (NodeSync.Change change : changes) {
        switch (change) {
          case NodeSync.Added a -> store.insertNode(a.node());
          case NodeSync.Updated u -> store.updateObserved(u.node());
          case NodeSync.Missing m -> store.updateObserved(m.node());
          case NodeSync.Relabeled r -> {
            try {
              swarm.labelNode(r.node().id(), r.labels());
            } catch (SwarmException e) {
              // The store's writes above must not wait on one node's labels: the next sync tries again.
              LOG.warn("cannot label node {} with {}: {}", r.node().describe(), r.labels(), e.getMessage());
              continue;
            }
          }
        }
        if (change instanceof NodeSync.Updated) {
          LOG.debug("node {}", change); // mostly a new lastSeen: once per node per sync
        } else {
          LOG.info("node {}", change);
        }
      }
      return changes;
    }
  }

  /** The nodes, synced first when the Swarm answers; of one kind if given. */
  public List<Node> list(Optional<NodeKind> kind, User caller) {
    syncForRead();
    return store.listNodes().stream()
        .filter(n -> kind.isEmpty() || n.kind() == kind.get())
        .filter(n -> visible(n, caller))
        .toList();
  }

  /** Every node, synced first when the Swarm answers: what process placement decides on. */
  public List<Node> all() {
    syncForRead();
    return store.listNodes();
  }

  /** A node the caller may see; another user's private node or an unidentified one is "not found" to a user. */
  public Node get(String id, User caller) throws Refusal.NotFound {
    syncForRead();
    Node node = node(id);
    if (!visible(node, caller)) {
      throw new Refusal.NotFound("node '" + id + "' does not exist");
    }
    return node;
  }

  /** Admins see every node; a user the public nodes and their own private ones. */
  static boolean visible(Node node, User caller) {
    return caller.isAdmin() || switch (node.kind()) {
      case PUBLIC -> true;
      case PRIVATE -> node.ownerUserId().map(caller::canSee).orElse(false);
      case UNIDENTIFIED -> false;
    };
  }

  /**
   * Reads serve what is stored when the Swarm cannot be asked: the last known state beats an
   * error, and the scheduled sync catches up once the Swarm is back.
   */
  private void syncForRead() {
    if (!syncOnRead) {
      return;
    }
    try {
      sync();
    } catch (SwarmException e) {
      LOG.warn("node sync failed, answering with the stored nodes: {}", e.getMessage());
    }
  }

  private Node node(String id) throws Refusal.NotFound {
    return store.findNode(id).orElseThrow(() -> new Refusal.NotFound("node '" + id + "' does not exist"));
  }

  /**
   * Makes a node unidentified, public in a pool, or private for a user (any non-empty user id for
   * now). A MISSING node may be assigned too: it keeps the assignment if it returns.
   */
  public Node assign(String id, NodeKind kind, Optional<String> poolId, Optional<String> userId)
      throws Refusal.NotFound, Refusal.Unprocessable {
    Node node = node(id);
    Node changed = switch (kind) {
      case UNIDENTIFIED -> {
        if (poolId.isPresent() || userId.isPresent()) {
          throw new Refusal.Unprocessable("an unidentified node has no poolId or userId");
        }
        yield node.withAssignment(kind, Optional.empty(), Optional.empty());
      }
      case PUBLIC -> {
        if (userId.isPresent()) {
          throw new Refusal.Unprocessable("a public node has no userId (it is in a pool for everyone)");
        }
        String pool = poolId.orElseThrow(() -> new Refusal.Unprocessable("a public node needs a poolId"));
        if (store.findPool(pool).isEmpty()) {
          throw new Refusal.Unprocessable("node pool '" + pool + "' does not exist");
        }
        yield node.withAssignment(kind, poolId, Optional.empty());
      }
      case PRIVATE -> {
        if (poolId.isPresent()) {
          throw new Refusal.Unprocessable("a private node has no poolId (it is for one user)");
        }
        String user = userId.filter(u -> !u.isBlank())
            .orElseThrow(() -> new Refusal.Unprocessable("a private node needs a userId"));
        yield node.withAssignment(kind, Optional.empty(), Optional.of(user));
      }
    };
    // Under the sync's lock: a sync that read the old assignment cannot put the old labels back.
    synchronized (syncLock) {
      if (!store.updateAssignment(changed)) {
        throw new Refusal.NotFound("node '" + id + "' does not exist");
      }
      LOG.info("node {} ({}) made {}", id, node.hostname(), kind.apiName());
      if (changed.status() != NodeStatus.MISSING) {
        try {
          swarm.labelNode(id, NodeSync.labels(changed));
        } catch (SwarmException e) {
          // Stored is decided; the next sync labels the node (Relabeled) once the Swarm answers.
          LOG.warn("node {} made {} but not labelled yet: {}", id, kind.apiName(), e.getMessage());
        }
      }
    }
    return node(id);
  }

  // ---- pools

  public List<NodePool> pools() {
    return store.listPools();
  }

  public NodePool pool(String id) throws Refusal.NotFound {
    return store.findPool(id).orElseThrow(() -> new Refusal.NotFound("node pool '" + id + "' does not exist"));
  }

  public NodePool createPool(String name) throws Refusal.Conflict, Refusal.Unprocessable {
    NodePool pool = new NodePool(ids.newId(), validName(name));
    if (!store.insertPool(pool)) {
      throw new Refusal.Conflict("a node pool named '" + pool.name() + "' exists already");
    }
    return pool;
  }

  public NodePool renamePool(String id, String name) throws Refusal.NotFound, Refusal.Conflict, Refusal.Unprocessable {
    NodePool renamed = pool(id).withName(validName(name));
    if (!store.updatePool(renamed)) {
      pool(id); // gone meanwhile: 404
      throw new Refusal.Conflict("a node pool named '" + renamed.name() + "' exists already");
    }
    return renamed;
  }

  /** Deletes an empty pool; refused while nodes are in it (MISSING ones too: they may return). */
  public void deletePool(String id) throws Refusal.NotFound, Refusal.Conflict {
    NodePool pool = pool(id);
    List<String> members = store.listNodes().stream()
        .filter(n -> n.poolId().equals(Optional.of(id)))
        .map(n -> n.hostname().isEmpty() ? n.id() : n.hostname() + " (" + n.id() + ")")
        .toList();
    if (!members.isEmpty()) {
      throw new Refusal.Conflict("pool " + pool.name() + " still has nodes " + String.join(", ", members));
    }
    switch (store.deletePool(id)) {
      case DELETED -> { }
      case NOT_FOUND -> throw new Refusal.NotFound("node pool '" + id + "' does not exist");
      // A node was put into the pool between the check above and the delete.
      case IN_USE -> throw new Refusal.Conflict("pool " + pool.name() + " still has nodes");
    }
  }

  private static String validName(String name) throws Refusal.Unprocessable {
    String n = name.strip();
    if (n.isEmpty() || n.length() > 255) {
      throw new Refusal.Unprocessable("a node pool's name must be 1 to 255 characters, not '" + name + "'");
    }
    return n;
  }
}
