package org.defpi.orchestrator;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.defpi.orchestrator.process.Placement;
import org.defpi.orchestrator.process.Process;
import org.defpi.orchestrator.process.ProcessState;
import org.defpi.orchestrator.process.Token;
import org.defpi.wire.label.InterfaceLabel;
import org.defpi.wire.label.InterfaceVersionLabel;

/** Values for tests: two services whose "power measurement" interfaces fit together. */
public final class TestData {
  public static final String HASH_A = "aaaa";
  public static final String HASH_B = "bbbb";
  public static final String HASH_C = "cccc";

  private TestData() {}

  /** The meter's end: sends A, receives B. */
  public static InterfaceLabel meterInterface(boolean allowMultiple) {
    return new InterfaceLabel("power-meter/power-measurement", "Power Measurement", "power-meter",
        List.of(new InterfaceVersionLabel("v1", HASH_B, HASH_A)), allowMultiple, false);
  }

  /** The logger's end: receives A, sends B: fits the meter. */
  public static InterfaceLabel loggerInterface(boolean allowMultiple) {
    return new InterfaceLabel("power-logger/power-measurement", "Power Measurement", "power-logger",
        List.of(new InterfaceVersionLabel("v1", HASH_A, HASH_B)), allowMultiple, false);
  }

  public static InterfaceVersionLabel version(String name, String receives, String sends) {
    return new InterfaceVersionLabel(name, receives, sends);
  }

  public static InterfaceLabel iface(String id, boolean allowMultiple, InterfaceVersionLabel... versions) {
    String serviceId = id.substring(0, id.indexOf('/'));
    return new InterfaceLabel(id, id, serviceId, List.of(versions), allowMultiple, false);
  }

  public static Process process(String id, ProcessState state, InterfaceLabel... interfaces) {
    String serviceId = interfaces.length == 0 ? "empty" : interfaces[0].serviceId();
    return new Process(id, serviceId, serviceId + "-1", "0.1.0", "admin", state, Optional.empty(), Map.of(),
        Instant.parse("2026-01-01T00:00:00Z"), "127.0.0.1:5000/services/" + serviceId + ":0.1.0@sha256:00",
        List.of(interfaces), new Token("token-of-" + id), Placement.ANY_PUBLIC_NODE, List.of("amd64"), Optional.empty());
  }
}
