import type { Connection, Interface, Process } from "../api/client";

/**
 * Which ports accept a drop, and why not: the orchestrator's rules for a new connection
 * (ConnectionPlanner, ConnectionManager.create), in the order it checks them, so the canvas refuses
 * what the API would refuse and says why in the same terms.
 */

/** A port: one version of one interface of one process. */
export interface PortRef {
  processId: string;
  interfaceId: string;
  versionName: string;
}

/** Two compatible interface versions: the dragged interface's and the target's. */
export interface VersionPair {
  from: string;
  to: string;
}

export type Verdict =
  /**
   * The drop is accepted. {@code pairs} are the compatible version pairs of the two interfaces: the
   * pair of the very ports first when it fits ({@code exact}), then the others in the order the
   * orchestrator prefers (version names sorting last first).
   */
  | { ok: true; pairs: VersionPair[]; exact: boolean }
  | { ok: false; reason: string };

/** A hash as a person compares it: its first characters. */
function short(hash: string): string {
  return hash.length > 12 ? `${hash.slice(0, 12)}…` : hash;
}

function label(p: Process): string {
  return `“${p.name}”`;
}

/**
 * Whether a port of the target process accepts a connection from the dragged port, given the
 * connections that exist (any state: the orchestrator counts them all).
 */
export function verdict(processes: ReadonlyMap<string, Process>, connections: Iterable<Connection>,
    from: PortRef, to: PortRef): Verdict {
  const p1 = processes.get(from.processId);
  const p2 = processes.get(to.processId);
  if (!p1 || !p2) {
    return { ok: false, reason: "that process is gone" };
  }
  if (p1.id === p2.id) {
    return { ok: false, reason: "same process: a process cannot be connected to itself" };
  }
  if (p1.userId !== p2.userId) {
    return {
      ok: false,
      reason: `different users: ${label(p1)} and ${label(p2)} belong to different users, whose processes never connect`,
    };
  }
  const i1 = p1.interfaces.find((i) => i.id === from.interfaceId);
  const i2 = p2.interfaces.find((i) => i.id === to.interfaceId);
  if (!i1 || !i2) {
    return { ok: false, reason: `${label(!i1 ? p1 : p2)} has no interface ${!i1 ? from.interfaceId : to.interfaceId}` };
  }
  const pairs = compatiblePairs(i1, i2);
  if (pairs.length === 0) {
    return { ok: false, reason: `hashes differ: ${incompatibility(i1, i2, from.versionName, to.versionName)}` };
  }
  const existing = [...connections];
  const duplicate = existing.find((c) => joins(c, from, to));
  if (duplicate) {
    return { ok: false, reason: `already connected: ${i1.name} of ${label(p1)} and ${i2.name} of ${label(p2)} are joined by connection ${duplicate.id}` };
  }
  for (const [p, i] of [[p1, i1], [p2, i2]] as const) {
    const full = fullBy(p, i, existing);
    if (full) {
      return { ok: false, reason: `${i.name} of ${label(p)} accepts one connection and has one (connection ${full.id})` };
    }
  }
  const exactAt = pairs.findIndex((pair) => pair.from === from.versionName && pair.to === to.versionName);
  if (exactAt > 0) {
    pairs.unshift(...pairs.splice(exactAt, 1));
  }
  return { ok: true, pairs, exact: exactAt >= 0 };
}

/** The verdict for every port of every process but the dragged one, by {@link portKey}. */
export function verdicts(processes: ReadonlyMap<string, Process>, connections: Iterable<Connection>,
    from: PortRef): Map<string, Verdict> {
  const existing = [...connections];
  const all = new Map<string, Verdict>();
  for (const p of processes.values()) {
    for (const i of p.interfaces) {
      for (const v of i.interfaceVersions) {
        const to = { processId: p.id, interfaceId: i.id, versionName: v.versionName };
        const key = portKey(to);
        if (key !== portKey(from)) {
          all.set(key, verdict(processes, existing, from, to));
        }
      }
    }
  }
  return all;
}

export function portKey(port: PortRef): string {
  return `${port.processId}/${port.interfaceId}@${port.versionName}`;
}

/**
 * Whether the user should pick the versions: several pairs fit, or the one that fits is not the
 * pair of the ports they dropped on (the line would land on other ports than they aimed at).
 */
export function needsChoice(v: Verdict): boolean {
  return v.ok && (v.pairs.length > 1 || !v.exact);
}

/** What a port says to the line being dragged over it: accepted with which versions, or why not. */
export function dropTitle(v: Verdict): string {
  if (!v.ok) {
    return `Refuses the drop: ${v.reason}`;
  }
  if (v.exact && v.pairs.length === 1) {
    return "Drop here to connect";
  }
  const versions = v.pairs.map((p) => `${p.from} ↔ ${p.to}`).join(", ");
  return v.exact ? `Drop here to connect, then pick the versions: ${versions}`
    : `Drop here to connect; these ports' versions do not fit, but ${v.pairs.length > 1 ? "these do" : "this pair does"}: ${versions}`;
}

/** Two versions fit when each sends what the other receives (WIRE.md section 2). */
export function fits(a: { sendsHash: string; receivesHash: string }, b: { sendsHash: string; receivesHash: string }): boolean {
  return a.sendsHash === b.receivesHash && a.receivesHash === b.sendsHash;
}

/** Every compatible pair, the orchestrator's choice first: by the first version name, then the second, last first. */
export function compatiblePairs(i1: Interface, i2: Interface): VersionPair[] {
  const pairs: VersionPair[] = [];
  for (const v1 of i1.interfaceVersions) {
    for (const v2 of i2.interfaceVersions) {
      if (fits(v1, v2)) {
        pairs.push({ from: v1.versionName, to: v2.versionName });
      }
    }
  }
  // Java's String.compareTo: by UTF-16 code units, as the plain comparison operators do
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return pairs.sort((a, b) => cmp(b.from, a.from) || cmp(b.to, a.to));
}

/**
 * Why the two do not fit: for the very pair of ports when both exist, else the first pair (or the
 * missing versions), in the orchestrator's words with shortened hashes.
 */
function incompatibility(i1: Interface, i2: Interface, version1: string, version2: string): string {
  if (i1.interfaceVersions.length === 0 || i2.interfaceVersions.length === 0) {
    return `${i1.interfaceVersions.length === 0 ? i1.name : i2.name} has no versions`;
  }
  const v1 = i1.interfaceVersions.find((v) => v.versionName === version1) ?? i1.interfaceVersions[0]!;
  const v2 = i2.interfaceVersions.find((v) => v.versionName === version2) ?? i2.interfaceVersions[0]!;
  const a = `${i1.name} ${v1.versionName}`;
  const b = `${i2.name} ${v2.versionName}`;
  const others = i1.interfaceVersions.length * i2.interfaceVersions.length > 1 ? " (no other pair of versions fits either)" : "";
  if (v1.sendsHash !== v2.receivesHash) {
    return `${a} sends ${short(v1.sendsHash)} but ${b} receives ${short(v2.receivesHash)}${others}`;
  }
  return `${a} receives ${short(v1.receivesHash)} but ${b} sends ${short(v2.sendsHash)}${others}`;
}

function is(end: Connection["endpoint1"], processId: string, interfaceId: string): boolean {
  return end.processId === processId && end.interfaceId === interfaceId;
}

/** Whether the connection already joins these two interfaces, either way round. */
function joins(c: Connection, a: PortRef, b: PortRef): boolean {
  return (is(c.endpoint1, a.processId, a.interfaceId) && is(c.endpoint2, b.processId, b.interfaceId))
    || (is(c.endpoint1, b.processId, b.interfaceId) && is(c.endpoint2, a.processId, a.interfaceId));
}

/** The connection that fills an interface that takes one, if any. */
function fullBy(p: Process, i: Interface, existing: readonly Connection[]): Connection | undefined {
  if (i.allowMultiple) {
    return undefined;
  }
  return existing.find((c) => is(c.endpoint1, p.id, i.id) || is(c.endpoint2, p.id, i.id));
}
