package org.defpi.benchmarks.controlplane;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.defpi.orchestrator.node.Node;
import org.defpi.orchestrator.node.NodeSync;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.process.ProcessState;
import org.defpi.orchestrator.process.Swarm;

/**
 * A Swarm in memory that answers the reads of the reconciler and the node sync with what the seeded
 * store says, as a Swarm in its steady state would: a service for every process, a task on its
 * node for every RUNNING one, the nodes with the labels their assignment calls for, a network per
 * user. Label writes are kept; anything that would deploy is refused (the bench measures the
 * control plane's own work, and no Docker is involved).
 */
final class SimulatedSwarm implements Swarm {
  private final List<String> services;
  private final Map<String, String> taskNodes;
  private final Set<String> userNetworks;
  private final Map<String, SwarmNode> nodes = new ConcurrentHashMap<>();
  private final List<String> nodeOrder;

  SimulatedSwarm(List<Process> processes, List<Node> stored) {
    List<String> names = new ArrayList<>();
    Map<String, String> tasks = new LinkedHashMap<>();
    Set<String> users = new TreeSet<>();
    for (Process p : processes) {
      names.add(p.id());
      users.add(p.userId());
      if (p.state() == ProcessState.RUNNING) {
        p.runsOn().ifPresent(node -> tasks.put(p.id(), node));
      }
    }
    this.services = List.copyOf(names);
    this.taskNodes = Map.copyOf(tasks);
    this.userNetworks = Set.copyOf(users);
    List<String> order = new ArrayList<>();
    for (Node n : stored) {
      order.add(n.id());
      nodes.put(n.id(), new SwarmNode(n.id(), n.hostname(), "x86_64", "ready", n.capacity(), NodeSync.labels(n)));
    }
    this.nodeOrder = List.copyOf(order);
  }

  @Override
  public List<SwarmNode> nodes() {
    return nodeOrder.stream().map(nodes::get).toList();
  }

  @Override
  public void labelNode(String nodeId, Map<String, String> labels) {
    nodes.computeIfPresent(nodeId, (id, n) -> new SwarmNode(id, n.hostname(), n.architecture(), n.state(),
        n.capacity(), labels));
  }

  @Override
  public List<String> managedServices() {
    return services;
  }

  @Override
  public Map<String, String> taskNodes() {
    return taskNodes;
  }

  @Override
  public List<java.net.InetAddress> orphanAddresses(String processId, String userId) {
    return List.of(); // the bench's Swarm loses no node
  }

  @Override
  public Set<String> userNetworks() {
    return userNetworks;
  }

  @Override
  public void joinUserNetworks() {
    // on every network already
  }

  @Override
  public void createService(ProcessService service) {
    throw refused("createService");
  }

  @Override
  public void replaceService(ProcessService service) {
    throw refused("replaceService");
  }

  @Override
  public void removeUserNetwork(String userId) {
    throw refused("removeUserNetwork");
  }

  @Override
  public void removeService(String processId) {
    throw refused("removeService");
  }

  @Override
  public String logs(String processId, int tail) {
    throw refused("logs");
  }

  @Override
  public void followLogs(String processId, int tail, LogSink sink) {
    throw refused("followLogs");
  }

  private static UnsupportedOperationException refused(String call) {
    return new UnsupportedOperationException("the simulated Swarm only answers reads; the bench called " + call
        + ", so the store was not in the steady state it seeded");
  }
}
