import type { Connection, Interface, Process } from "../api/client";

/**
 * The connections of a process that a version with these interfaces would not keep, as the
 * orchestrator's ConnectionManager.brokenBy decides: the interface version a connection uses on the
 * process's side must be offered again, by name and with the same hashes. An upgrade that breaks one
 * is refused (409); the user is told before asking.
 */
export function brokenConnections(p: Process, connections: Iterable<Connection>, interfaces: readonly Interface[]): Connection[] {
  const broken: Connection[] = [];
  for (const c of connections) {
    const side = c.endpoint1.processId === p.id ? "endpoint1" : c.endpoint2.processId === p.id ? "endpoint2" : null;
    if (!side) {
      continue;
    }
    const interfaceId = c[side].interfaceId;
    const versionName = c.interfaceVersions[side];
    const mine = p.interfaces.find((i) => i.id === interfaceId)?.interfaceVersions.find((v) => v.versionName === versionName);
    const kept = mine !== undefined && interfaces.some((i) => i.id === interfaceId && i.interfaceVersions.some((v) =>
      v.versionName === versionName && v.sendsHash === mine.sendsHash && v.receivesHash === mine.receivesHash));
    if (!kept) {
      broken.push(c);
    }
  }
  return broken;
}

/** The connections that have the process at one of their ends. */
export function connectionsOf(id: string, connections: Iterable<Connection>): Connection[] {
  const list: Connection[] = [];
  for (const c of connections) {
    if (c.endpoint1.processId === id || c.endpoint2.processId === id) {
      list.push(c);
    }
  }
  return list;
}
