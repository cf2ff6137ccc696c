package org.defpi.benchmarks.controlplane;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.defpi.orchestrator.Ids;
import org.defpi.orchestrator.connection.Connection;
import org.defpi.orchestrator.connection.Endpoint;
import org.defpi.orchestrator.node.Node;
import org.defpi.orchestrator.node.NodeKind;
import org.defpi.orchestrator.node.NodePool;
import org.defpi.orchestrator.node.NodeStatus;
import org.defpi.orchestrator.node.Resources;
import org.defpi.orchestrator.pendingchange.PendingChange;
import org.defpi.orchestrator.process.Placement;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.process.ProcessState;
import org.defpi.orchestrator.process.Token;
import org.defpi.orchestrator.store.RealStore;
import org.defpi.orchestrator.user.Role;
import org.defpi.orchestrator.user.User;
import org.defpi.wire.label.InterfaceLabel;
import org.defpi.wire.label.InterfaceVersionLabel;

/**
 * Makes the records of a {@link Fleet} (deterministic: the same seed gives the same ids) and writes
 * them through the store's own insert methods, the statements the orchestrator runs, from four
 * threads (the store's pool size).
 */
final class Seeder {
  static final String PASSWORD = "bench-password";
  static final String SERVICE = "bench-hub";
  private static final int THREADS = 4;

  /**
   * What was seeded, kept in memory so the bench can address it: processes in creation order (each
   * with its token), connections, nodes, users, and the admin.
   */
  record Seeded(Fleet fleet, User admin, List<User> users, List<NodePool> pools, List<Node> nodes,
      List<Process> processes, List<Connection> connections, Map<String, List<String>> connectionsOf,
      Instant createdAt) {

    /** The processes of one user. */
    List<Process> processesOf(String userId) {
      return processes.stream().filter(p -> p.userId().equals(userId)).toList();
    }
  }

  private Seeder() {}

  /** The records of {@code fleet}, made in memory only. */
  static Seeded make(Fleet fleet, Clock clock) {
    Ids ids = new Ids(clock, new Random(42));
    Instant t0 = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    User admin = new User(ids.newId(), "bench-admin", Role.ADMIN, Optional.of("admin@bench.invalid"), t0);
    List<User> users = new ArrayList<>();
    for (int u = 0; u < fleet.users(); u++) {
      users.add(new User(ids.newId(), String.format(Locale.ROOT, "user-%04d", u), Role.USER, Optional.empty(), t0));
    }
    List<NodePool> pools = new ArrayList<>();
    for (int p = 0; p < fleet.pools(); p++) {
      pools.add(new NodePool(ids.newId(), String.format(Locale.ROOT, "pool-%02d", p)));
    }
    List<Node> nodes = new ArrayList<>();
    Resources capacity = new Resources(8192 * Resources.MIB, 4 * Resources.NANOS_PER_CPU);
    for (int n = 0; n < fleet.nodes(); n++) {
      // Swarm's node ids are 25 characters of [a-z0-9]
      String id = String.format(Locale.ROOT, "benchnode%016d", n);
      nodes.add(new Node(id, String.format(Locale.ROOT, "node-%05d", n), "amd64", NodeStatus.READY, NodeKind.PUBLIC,
          Optional.of(pools.get(n % pools.size()).id()), Optional.empty(), t0, capacity));
    }
    List<InterfaceLabel> interfaces = List.of(iface("measurement", "a", "b"), iface("log", "b", "a"),
        iface("control", "c", "d"), iface("status", "d", "c"));
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < fleet.processes(); i++) {
      User owner = users.get(i % users.size());
      // 3 % FAILED (the reconciler leaves them alone), the rest RUNNING on a node: the steady state
      boolean failed = i % 33 == 32;
      processes.add(new Process(ids.newId(), SERVICE, String.format(Locale.ROOT, "hub-%06d", i), "1.0.0", owner.id(),
          failed ? ProcessState.FAILED : ProcessState.RUNNING,
          failed ? Optional.of("the bench says so") : Optional.empty(),
          Map.of("interval", Integer.toString(1000 + i % 1000)), t0.plusMillis(i),
          "127.0.0.1:5000/services/" + SERVICE + ":1.0.0@sha256:" + "0".repeat(64), interfaces,
          new Token(ids.newToken()), Placement.ANY_PUBLIC_NODE, List.of("amd64"),
          failed ? Optional.empty() : Optional.of(nodes.get(i % nodes.size()).id())));
    }
    List<Connection> connections = new ArrayList<>();
    Map<String, List<String>> connectionsOf = new HashMap<>();
    int perUser = fleet.users();
    for (int i = 0; i < fleet.connections(); i++) {
      int a = i % fleet.processes();
      int k = 1 + i / fleet.processes(); // 1, 2, 3: the k-th next process of the same user
      int b = (a + k * perUser) % fleet.processes();
      Process from = processes.get(a);
      Process to = processes.get(b);
      Connection c = new Connection(ids.newId(),
          new Endpoint(from.id(), SERVICE + "/measurement", "v1", hash("b"), hash("a"), true, Optional.empty()),
          new Endpoint(to.id(), SERVICE + "/log", "v1", hash("a"), hash("b"), true, Optional.empty()),
          5000 + i % 5000, t0.plusMillis(fleet.processes() + i));
      connections.add(c);
      connectionsOf.computeIfAbsent(from.id(), x -> new ArrayList<>()).add(c.id());
      connectionsOf.computeIfAbsent(to.id(), x -> new ArrayList<>()).add(c.id());
    }
    return new Seeded(fleet, admin, List.copyOf(users), List.copyOf(pools), List.copyOf(nodes),
        List.copyOf(processes), List.copyOf(connections), connectionsOf, t0);
  }

  /**
   * Writes everything into an empty store: users (bcrypt cost 4, so that logging in costs
   * milliseconds, not the deployed cost's tens), pools, nodes, processes, connections and the
   * finished changes of {@link Fleet#history}.
   */
  static void write(Seeded s, RealStore store) throws Exception {
    String hash = new String(BCrypt.withDefaults().hash(4, PASSWORD.getBytes(StandardCharsets.UTF_8)),
        StandardCharsets.US_ASCII);
    if (!store.users().insertUser(s.admin(), hash)) {
      throw new IllegalStateException("the store is not empty: it has a user '" + s.admin().name() + "'");
    }
    parallel(s.users().size(), i -> store.users().insertUser(s.users().get(i), hash));
    s.pools().forEach(store::insertPool);
    parallel(s.nodes().size(), i -> store.insertNode(s.nodes().get(i)));
    parallel(s.processes().size(), i -> store.insert(s.processes().get(i)));
    parallel(s.connections().size(), i -> store.insert(s.connections().get(i)));
    Ids ids = new Ids(Clock.fixed(s.createdAt(), java.time.ZoneOffset.UTC), new Random(7));
    List<Process> processes = s.processes();
    parallel(s.fleet().history(), i -> {
      Process p = processes.get(i % processes.size());
      Instant at = s.createdAt().minusSeconds(s.fleet().history() - i); // within the last day: kept
      store.pendingChanges().insert(new PendingChange(ids.newId(), PendingChange.Kind.CONFIGURE_PROCESS,
          Optional.of(p.id()), Optional.empty(), p.userId(), PendingChange.State.DONE, 1, 10, Optional.empty(), at, at,
          at, Optional.empty(), Optional.empty(), "{}"));
    });
  }

  /** {@code write.accept(i)} for every i below {@code count}, from {@value #THREADS} threads. */
  private static void parallel(int count, IntConsumer write) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
      List<Future<?>> parts = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int first = t;
        parts.add(pool.submit(() -> {
          for (int i = first; i < count; i += THREADS) {
            write.accept(i);
          }
        }));
      }
      for (Future<?> part : parts) {
        part.get();
      }
    }
  }

  private static InterfaceLabel iface(String name, String receives, String sends) {
    return new InterfaceLabel(SERVICE + "/" + name, name, SERVICE,
        List.of(new InterfaceVersionLabel("v1", hash(receives), hash(sends))), true, false);
  }

  /** A message type's hash as the labels carry one: 64 hex digits. */
  static String hash(String seed) {
    return seed.repeat(64).substring(0, 64);
  }
}
