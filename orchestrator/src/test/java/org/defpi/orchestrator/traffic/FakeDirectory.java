package org.defpi.orchestrator.traffic;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.user.User;

/** Processes (id → user, token) and their connections, in memory; refuses as the process manager does. */
final class FakeDirectory implements TrafficManager.Directory {
  private record Known(String userId, String token) {}

  private final Map<String, Known> processes = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> connections = new ConcurrentHashMap<>();

  FakeDirectory process(String id, String userId, String token, String... connectionIds) {
    processes.put(id, new Known(userId, token));
    connections.put(id, Set.of(connectionIds));
    return this;
  }

  @Override
  public String authenticate(String processId, String token) throws Refusal {
    if (token == null || token.isEmpty()) {
      throw new Refusal.Unauthorized("needs X-Auth-Token", Refusal.Unauthorized.Challenge.PROCESS_TOKEN);
    }
    Known known = processes.get(processId);
    if (known == null) {
      throw new Refusal.NotFound("process '" + processId + "' does not exist");
    }
    if (!known.token().equals(token)) {
      throw new Refusal.Forbidden("X-Auth-Token does not match");
    }
    return known.userId();
  }

  @Override
  public void requireVisible(String processId, User caller) throws Refusal.NotFound {
    Known known = processes.get(processId);
    if (known == null || !caller.canSee(known.userId())) {
      throw new Refusal.NotFound("process '" + processId + "' does not exist");
    }
  }

  @Override
  public Set<String> connectionsOf(String processId) {
    return connections.getOrDefault(processId, Set.of());
  }
}
