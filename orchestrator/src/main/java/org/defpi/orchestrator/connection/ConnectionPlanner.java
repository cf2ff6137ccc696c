package org.defpi.orchestrator.connection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.defpi.orchestrator.Refusal;
import org.defpi.orchestrator.process.Process;
import org.defpi.wire.label.InterfaceLabel;
import org.defpi.wire.label.InterfaceVersionLabel;

/**
 * The decisions of a new connection, as pure functions (WIRE.md sections 2 and 7): which interface
 * versions, whether the interfaces have room, which port, which end is the client. The connection
 * manager acts on the {@link Plan}.
 */
public final class ConnectionPlanner {
  public static final int MIN_PORT = 5000;
  public static final int MAX_PORT = 9999;

  private ConnectionPlanner() {}

  /** What to record and send for a new connection. */
  public record Plan(Endpoint endpoint1, Endpoint endpoint2, int listenPort) {
    public Plan {
      Objects.requireNonNull(endpoint1, "endpoint1");
      Objects.requireNonNull(endpoint2, "endpoint2");
    }
  }

  /** Two compatible versions, one per interface. */
  public record VersionPair(InterfaceVersionLabel version1, InterfaceVersionLabel version2) {}

  /**
   * Plans a connection between {@code interfaceId1} of {@code process1} and {@code interfaceId2} of
   * {@code process2}.
   *
   * @param existing the connections that touch either process
   * @param portCandidate where the search for a free port starts (drawn at random by the caller)
   */
  public static Plan plan(Process process1, String interfaceId1, Process process2, String interfaceId2,
      List<Connection> existing, int portCandidate) throws Refusal {
    return plan(process1, interfaceId1, process2, interfaceId2, Optional.empty(), existing, portCandidate);
  }

  /** The interface versions a caller asks for, by name: endpoint 1's and endpoint 2's. */
  public record VersionChoice(String version1, String version2) {
    public VersionChoice {
      java.util.Objects.requireNonNull(version1, "version1");
      java.util.Objects.requireNonNull(version2, "version2");
    }
  }

  /**
   * {@link #plan(Process, String, Process, String, List, int)} with the version pair the caller
   * chose, when they chose one: it must exist on both interfaces and be compatible.
   */
  public static Plan plan(Process process1, String interfaceId1, Process process2, String interfaceId2,
      Optional<VersionChoice> choice, List<Connection> existing, int portCandidate) throws Refusal {
    if (process1.id().equals(process2.id())) {
      throw new Refusal.Unprocessable("a process cannot be connected to itself (both endpoints are process " + process1.id() + ")");
    }
    InterfaceLabel interface1 = findInterface(process1, interfaceId1);
    InterfaceLabel interface2 = findInterface(process2, interfaceId2);
    VersionPair pair = choice.isPresent() ? chosenPair(interface1, interface2, choice.get())
        : bestPair(interface1, interface2).orElseThrow(() -> new Refusal.Unprocessable(
            "interfaces " + interface1.id() + " and " + interface2.id() + " are not compatible: "
                + String.join("; ", incompatibilities(interface1, interface2))));
    for (Connection c : existing) {
      if ((c.endpoint1().is(process1.id(), interfaceId1) && c.endpoint2().is(process2.id(), interfaceId2))
          || (c.endpoint1().is(process2.id(), interfaceId2) && c.endpoint2().is(process1.id(), interfaceId1))) {
        throw new Refusal.Conflict("connection " + c.id() + " already connects " + interfaceId1 + " of process "
            + process1.id() + " and " + interfaceId2 + " of process " + process2.id());
      }
    }
    checkRoom(process1, interface1, existing);
    checkRoom(process2, interface2, existing);
    Set<Integer> used = existing.stream().map(Connection::listenPort).collect(Collectors.toSet());
    int port = choosePort(used, portCandidate).orElseThrow(() -> new Refusal.Conflict(
        "no listen port between " + MIN_PORT + " and " + MAX_PORT + " is free on both process " + process1.id()
            + " and process " + process2.id()));
    return new Plan(
        new Endpoint(process1.id(), interface1.id(), pair.version1().versionName(), pair.version1().receivesHash(),
            pair.version1().sendsHash(), false, Optional.empty()),
        new Endpoint(process2.id(), interface2.id(), pair.version2().versionName(), pair.version2().receivesHash(),
            pair.version2().sendsHash(), false, Optional.empty()),
        port);
  }

  private static InterfaceLabel findInterface(Process process, String interfaceId) throws Refusal.Unprocessable {
    return process.findInterface(interfaceId).orElseThrow(() -> new Refusal.Unprocessable(
        "process " + process.id() + " (" + process.serviceId() + " " + process.version() + ") has no interface '"
            + interfaceId + "'; it has " + process.interfaces().stream().map(InterfaceLabel::id).toList()));
  }

  private static void checkRoom(Process process, InterfaceLabel iface, List<Connection> existing) throws Refusal.Conflict {
    if (iface.allowMultiple()) {
      return;
    }
    for (Connection c : existing) {
      if (c.endpoint1().is(process.id(), iface.id()) || c.endpoint2().is(process.id(), iface.id())) {
        throw new Refusal.Conflict("interface " + iface.id() + " of process " + process.id()
            + " allows one connection and already has connection " + c.id());
      }
    }
  }

  /**
   * The compatible version pair whose version names sort last: by interface 1's version name, then
   * interface 2's, in String order (WIRE.md section 2).
   */
  public static Optional<VersionPair> bestPair(InterfaceLabel interface1, InterfaceLabel interface2) {
    List<VersionPair> compatible = new ArrayList<>();
    for (InterfaceVersionLabel v1 : interface1.interfaceVersions()) {
      for (InterfaceVersionLabel v2 : interface2.interfaceVersions()) {
        if (v1.hashes().isCompatibleWith(v2.hashes())) {
          compatible.add(new VersionPair(v1, v2));
        }
      }
    }
    return compatible.stream().max(Comparator
        .comparing((VersionPair p) -> p.version1().versionName())
        .thenComparing(p -> p.version2().versionName()));
  }

  /** The pair the caller named; refused when a name is unknown or the two do not fit. */
  static VersionPair chosenPair(InterfaceLabel interface1, InterfaceLabel interface2, VersionChoice choice)
      throws Refusal.Unprocessable {
    InterfaceVersionLabel v1 = version(interface1, choice.version1());
    InterfaceVersionLabel v2 = version(interface2, choice.version2());
    if (!v1.hashes().isCompatibleWith(v2.hashes())) {
      InterfaceLabel one = new InterfaceLabel(interface1.id(), interface1.name(), interface1.serviceId(), List.of(v1),
          interface1.allowMultiple(), interface1.autoConnect());
      InterfaceLabel two = new InterfaceLabel(interface2.id(), interface2.name(), interface2.serviceId(), List.of(v2),
          interface2.allowMultiple(), interface2.autoConnect());
      throw new Refusal.Unprocessable("the chosen versions do not fit: " + String.join("; ", incompatibilities(one, two)));
    }
    return new VersionPair(v1, v2);
  }

  private static InterfaceVersionLabel version(InterfaceLabel iface, String name) throws Refusal.Unprocessable {
    return iface.interfaceVersions().stream().filter(v -> v.versionName().equals(name)).findFirst()
        .orElseThrow(() -> new Refusal.Unprocessable("interface " + iface.id() + " has no version '" + name
            + "'; it has " + iface.interfaceVersions().stream().map(InterfaceVersionLabel::versionName).toList()));
  }

  /** Why no version pair fits, one sentence per pair (or per missing version list). */
  public static List<String> incompatibilities(InterfaceLabel interface1, InterfaceLabel interface2) {
    List<String> reasons = new ArrayList<>();
    if (interface1.interfaceVersions().isEmpty()) {
      reasons.add("interface " + interface1.id() + " has no versions");
    }
    if (interface2.interfaceVersions().isEmpty()) {
      reasons.add("interface " + interface2.id() + " has no versions");
    }
    for (InterfaceVersionLabel v1 : interface1.interfaceVersions()) {
      for (InterfaceVersionLabel v2 : interface2.interfaceVersions()) {
        String a = interface1.id() + " " + v1.versionName();
        String b = interface2.id() + " " + v2.versionName();
        if (!v1.sendsHash().equals(v2.receivesHash())) {
          reasons.add("interface " + a + " sends hash " + v1.sendsHash() + " but " + b + " receives " + v2.receivesHash());
        } else if (!v1.receivesHash().equals(v2.sendsHash())) {
          reasons.add("interface " + a + " receives hash " + v1.receivesHash() + " but " + b + " sends " + v2.sendsHash());
        }
      }
    }
    return reasons;
  }

  /**
   * The first port from {@code candidate} upwards, wrapping from {@value #MAX_PORT} to
   * {@value #MIN_PORT}, that is not in {@code used}.
   */
  public static Optional<Integer> choosePort(Set<Integer> used, int candidate) {
    int range = MAX_PORT - MIN_PORT + 1;
    int start = Math.floorMod(candidate - MIN_PORT, range);
    for (int i = 0; i < range; i++) {
      int port = MIN_PORT + (start + i) % range;
      if (!used.contains(port)) {
        return Optional.of(port);
      }
    }
    return Optional.empty();
  }

  /** True when this end connects (as a client) to the other: the end with the larger process id. */
  public static boolean isClient(String processId, String otherProcessId) {
    return processId.compareTo(otherProcessId) > 0;
  }
}
