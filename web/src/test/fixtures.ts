import type { Connection, ConnectionState, Interface, Process, ProcessState } from "../api/client";

/** An interface label with the given versions; sends/receives hashes made from the names. */
export function iface(id: string, versions: string[], allowMultiple = false): Interface {
  const [serviceId = "svc"] = id.split("/");
  return {
    id,
    name: id.split("/")[1] ?? id,
    serviceId,
    interfaceVersions: versions.map((v) => ({
      versionName: v, sendsHash: `s-${id}-${v}`.padEnd(64, "0"), receivesHash: `r-${id}-${v}`.padEnd(64, "0"),
    })),
    allowMultiple,
    autoConnect: false,
  };
}

export function process(id: string, interfaces: Interface[] = [], state: ProcessState = "RUNNING",
    createdAt = "2026-01-01T00:00:00.000000Z"): Process {
  return {
    id, serviceId: "meter", name: `p-${id}`, version: "0.1.0", userId: "u1", state, configuration: {}, createdAt,
    mounts: [], ports: [], tls: false, interfaces,
  };
}

export function connection(id: string, one: [string, string, string], two: [string, string, string],
    state: ConnectionState = "ACTIVE"): Connection {
  return {
    id,
    userId: "u1",
    endpoint1: { processId: one[0], interfaceId: one[1], listenPort: 5000 },
    endpoint2: { processId: two[0], interfaceId: two[1], listenPort: 5000 },
    interfaceVersions: { endpoint1: one[2], endpoint2: two[2] },
    state,
    encrypted: false,
    createdAt: "2026-01-01T00:00:00.000000Z",
  };
}
