package org.defpi.orchestrator.process;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.defpi.wire.label.InterfaceLabel;

/**
 * A process: one running instance of a service version, with its configuration.
 *
 * @param image the image reference its Swarm service runs (pinned by digest)
 * @param interfaces the interfaces of its service version, as the image labels said when the
 *     process was created: the image it runs is pinned, so they cannot change under it
 * @param reason why it is FAILED; empty in every other state
 */
public record Process(
    String id,
    String serviceId,
    String name,
    String version,
    String userId,
    ProcessState state,
    Optional<String> reason,
    Map<String, String> configuration,
    Instant createdAt,
    String image,
    List<InterfaceLabel> interfaces,
    Token token) {
  public Process {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(serviceId, "serviceId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reason, "reason");
    configuration = java.util.Collections.unmodifiableMap(new TreeMap<>(configuration));
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(image, "image");
    interfaces = List.copyOf(interfaces);
    Objects.requireNonNull(token, "token");
  }

  public Process withState(ProcessState newState, Optional<String> newReason) {
    return new Process(id, serviceId, name, version, userId, newState, newReason, configuration, createdAt, image,
        interfaces, token);
  }

  /** This process running another version: an upgrade. */
  public Process withDeployment(String newVersion, String newImage, List<InterfaceLabel> newInterfaces) {
    return new Process(id, serviceId, name, newVersion, userId, state, reason, configuration, createdAt, newImage,
        newInterfaces, token);
  }

  public Optional<InterfaceLabel> findInterface(String interfaceId) {
    return interfaces.stream().filter(i -> i.id().equals(interfaceId)).findFirst();
  }
}
