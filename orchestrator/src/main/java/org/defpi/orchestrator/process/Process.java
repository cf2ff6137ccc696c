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
 * @param reason why it is FAILED, or what a STARTING process whose task has no node waits for
 *     ({@link Waiting}); empty otherwise
 * @param placement where it may run and with what, as its creator asked
 * @param architectures what its image is built for (amd64, arm64, arm), as the registry said when
 *     the process was created; empty when the registry did not say
 * @param runsOn the node Swarm last ran its task on, as the reconciler saw it; empty when it saw none
 * @param tls its last trigger call said {@code X-Defpi-Tls: 1} (it holds a certificate of the
 *     orchestrator's authority): its management port is reached in TLS, and its data connections
 *     to processes that said so too run in TLS (docs/wire-additions.md, "TLS")
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
    Token token,
    Placement placement,
    List<String> architectures,
    Optional<String> runsOn,
    boolean tls) {
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
    Objects.requireNonNull(placement, "placement");
    architectures = List.copyOf(architectures);
    Objects.requireNonNull(runsOn, "runsOn");
  }

  /** A process whose trigger said nothing of TLS (every new one). */
  public Process(String id, String serviceId, String name, String version, String userId, ProcessState state,
      Optional<String> reason, Map<String, String> configuration, Instant createdAt, String image,
      List<InterfaceLabel> interfaces, Token token, Placement placement, List<String> architectures,
      Optional<String> runsOn) {
    this(id, serviceId, name, version, userId, state, reason, configuration, createdAt, image, interfaces, token,
        placement, architectures, runsOn, false);
  }

  public Process withState(ProcessState newState, Optional<String> newReason) {
    return new Process(id, serviceId, name, version, userId, newState, newReason, configuration, createdAt, image,
        interfaces, token, placement, architectures, runsOn, tls);
  }

  /** The node its reservation counts against: where its task runs, else the private node it is pinned to. */
  public Optional<String> claimedNode() {
    return runsOn.or(placement::pinnedNode);
  }

  /** This process as last seen on {@code node} (none: Swarm has no node for its task). */
  public Process withRunsOn(Optional<String> node) {
    return new Process(id, serviceId, name, version, userId, state, reason, configuration, createdAt, image,
        interfaces, token, placement, architectures, node, tls);
  }

  /** This process running another version: an upgrade. */
  public Process withDeployment(String newVersion, String newImage, List<InterfaceLabel> newInterfaces,
      List<String> newArchitectures) {
    return new Process(id, serviceId, name, newVersion, userId, state, reason, configuration, createdAt, newImage,
        newInterfaces, token, placement, newArchitectures, runsOn, tls);
  }

  /** This process placed elsewhere: a move (resources, mounts and ports go with it). */
  public Process withTarget(Target newTarget) {
    return new Process(id, serviceId, name, version, userId, state, reason, configuration, createdAt, image,
        interfaces, token, new Placement(newTarget, placement.resources(), placement.mounts(), placement.ports()),
        architectures, runsOn, tls);
  }

  /** This process as its last trigger said: with a certificate ({@code X-Defpi-Tls: 1}) or not. */
  public Process withTls(boolean newTls) {
    return new Process(id, serviceId, name, version, userId, state, reason, configuration, createdAt, image,
        interfaces, token, placement, architectures, runsOn, newTls);
  }

  public Optional<InterfaceLabel> findInterface(String interfaceId) {
    return interfaces.stream().filter(i -> i.id().equals(interfaceId)).findFirst();
  }
}
