import type { Edge, Node } from "@xyflow/react";
import type { Connection, ConnectionState, Process, ProcessState } from "../api/client";
import { boxGeometry } from "./box";
import { linksOf, nodeHeight, place, type Point } from "./layout";
import { lockedLabel, securityTitle } from "./security";
import { trafficLabel, trafficTitle, type LineTraffic } from "./traffic";

/** One port of a process box: an interface version, which a connection uses one of. */
export interface Port {
  /** The handle's id: interface and version. */
  id: string;
  interfaceId: string;
  interfaceName: string;
  versionName: string;
  sendsHash: string;
  receivesHash: string;
  allowMultiple: boolean;
}

export type ProcessNodeData = {
  process: Process;
  ports: Port[];
  /** Per port id, how many ACTIVE connections it has (absent: none). */
  connected?: Readonly<Record<string, number>>;
};
export type ProcessNode = Node<ProcessNodeData, "process">;
export type ConnectionEdge = Edge<{ connection: Connection; traffic?: LineTraffic; title: string }>;

/** Each box has a handle on either side of each port, so a line leaves towards the box at its other end. */
export type Side = "left" | "right";

export function portId(interfaceId: string, versionName: string): string {
  return `${interfaceId}@${versionName}`;
}

export function handleId(port: string, side: Side): string {
  return `${port}:${side}`;
}

/** The ports of a process: one per version of each of its interfaces, in the order of its image's labels. */
export function ports(p: Process): Port[] {
  return p.interfaces.flatMap((i) => i.interfaceVersions.map((v) => ({
    id: portId(i.id, v.versionName),
    interfaceId: i.id,
    interfaceName: i.name,
    versionName: v.versionName,
    sendsHash: v.sendsHash,
    receivesHash: v.receivesHash,
    allowMultiple: i.allowMultiple,
  })));
}

/** The colour of a state, as the legend and the boxes show it. */
export const PROCESS_COLOURS: Record<ProcessState, string> = {
  STARTING: "#d97706",
  RUNNING: "#16a34a",
  SUSPENDED: "#2563eb",
  FAILED: "#dc2626",
  TERMINATED: "#6b7280",
};

export const CONNECTION_COLOURS: Record<ConnectionState, string> = {
  STARTING: "#d97706",
  ACTIVE: "#16a34a",
  SUSPENDED: "#2563eb",
  FAILED: "#dc2626",
};

/** Where boxes not drawn yet go: where the user kept them, where one was asked for, beside what they connect to. */
export interface Placement {
  /** Positions kept for the user (GET /user/me/layout) and of boxes dropped from the palette. */
  saved?: ReadonlyMap<string, Point>;
  /** A spot to put a box near (a service added with "Add…"). */
  near?: ReadonlyMap<string, Point>;
  /** The connections, to put new connected boxes together. */
  connections?: Iterable<Connection>;
}

/** What a screen reader (and the browser test) calls a box. */
export function processLabel(p: Process): string {
  return `process ${p.name}`;
}

/**
 * Process boxes, oldest first. A process drawn before keeps its box (where it was dragged to, what
 * React Flow measured), and the very same node object while its record is the same, so an event
 * about one process redraws one box; a new process goes where it was kept or dropped, else is laid
 * out ({@link place}) without landing on another box.
 */
export function toNodes(processes: Iterable<Process>, previous: readonly ProcessNode[], placement: Placement = {}):
    ProcessNode[] {
  const before = new Map(previous.map((n) => [n.id, n]));
  const sorted = [...processes].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  const portsOf = new Map<string, Port[]>();
  const portsFor = (p: Process) => {
    let list = portsOf.get(p.id);
    if (!list) {
      list = ports(p);
      portsOf.set(p.id, list);
    }
    return list;
  };
  let positions: ReadonlyMap<string, Point> = new Map();
  const unplaced = sorted.filter((p) => !before.has(p.id) && !placement.saved?.has(p.id));
  if (unplaced.length > 0) {
    const kept = new Map<string, Point>();
    for (const p of sorted) {
      const at = before.get(p.id)?.position ?? placement.saved?.get(p.id);
      if (at) {
        kept.set(p.id, at);
      }
    }
    const heights = new Map(sorted.map((p) => [p.id, nodeHeight(portsFor(p).length)]));
    const links = placement.connections ? linksOf(placement.connections, new Set(unplaced.map((p) => p.id))) : undefined;
    positions = place(sorted.map((p) => p.id), heights, kept, { links, near: placement.near });
  }
  return sorted.map((p) => {
    const old = before.get(p.id);
    if (old?.data.process === p) {
      return old;
    }
    const keepPorts = old !== undefined && samePorts(old.data.process, p);
    const data: ProcessNodeData = { process: p, ports: keepPorts ? old.data.ports : portsFor(p) };
    if (old?.data.connected) {
      data.connected = old.data.connected;
    }
    if (old) {
      // the same size and dots while the ports and the reason line are the same
      const sized = keepPorts && Boolean(old.data.process.reason) === Boolean(p.reason);
      return { ...old, data, ariaLabel: processLabel(p), ...(sized ? {} : measured(p, data.ports)) };
    }
    const position = placement.saved?.get(p.id) ?? positions.get(p.id) ?? { x: 0, y: 0 };
    return { id: p.id, type: "process", position, data, ariaLabel: processLabel(p), ...measured(p, data.ports) };
  });
}

/**
 * A box as React Flow would measure it (its size, and where its dots are): the box's parts have
 * fixed heights ({@link boxGeometry}), so it is drawn at once, lines and all, in the first frame
 * that has it, and not measured in the page (unobserved.tsx).
 */
function measured(p: Process, ports: readonly Port[]): Pick<ProcessNode, "width" | "height" | "measured" | "handles"> {
  const { width, height, handles } = boxGeometry(ports.map((port) => port.id), Boolean(p.reason), handleId);
  return { width, height, measured: { width, height }, handles };
}

/** Whether two records of a process have the same interfaces (a state change keeps its ports). */
function samePorts(a: Process, b: Process): boolean {
  return a.interfaces === b.interfaces || JSON.stringify(a.interfaces) === JSON.stringify(b.interfaces);
}

/**
 * A line per connection, from endpoint 1's port to endpoint 2's (the interface version each speaks),
 * on the sides that face each other. A connection one of whose ports is not drawn (its process is not
 * shown, or no longer has that version) is left out rather than drawn to nowhere. A line that is as
 * it was in {@code previous} (same record, same sides, same selection) is the very same object, so
 * dragging a box or an event about one connection redraws only the lines that changed. Every line is
 * of type "line" ({@link LineEdge}), with a tooltip: whether it is encrypted (a lock on the label when
 * it is, why it is plain when not; {@link securityTitle}), then its traffic. A line with traffic
 * ({@code traffic}, by connection id: the same object while unchanged) shows its rates on it, the
 * details in its tooltip, marked when drops or errors grow.
 */
export function toEdges(connections: Iterable<Connection>, nodes: readonly ProcessNode[], selected: string | null = null,
    previous?: ReadonlyMap<string, ConnectionEdge>, traffic?: ReadonlyMap<string, LineTraffic>): ConnectionEdge[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges: ConnectionEdge[] = [];
  for (const c of connections) {
    const source = byId.get(c.endpoint1.processId);
    const target = byId.get(c.endpoint2.processId);
    const sourcePort = portId(c.endpoint1.interfaceId, c.interfaceVersions.endpoint1);
    const targetPort = portId(c.endpoint2.interfaceId, c.interfaceVersions.endpoint2);
    if (!source || !target || !hasPort(source, sourcePort) || !hasPort(target, targetPort)) {
      continue;
    }
    const leftToRight = source.position.x <= target.position.x;
    const sourceHandle = handleId(sourcePort, leftToRight ? "right" : "left");
    const targetHandle = handleId(targetPort, leftToRight ? "left" : "right");
    const isSelected = c.id === selected;
    const t = traffic?.get(c.id);
    const security = securityTitle(c, source.data.process, target.data.process);
    const title = t ? `${security}\n${trafficTitle(t, leftToRight)}` : security;
    const old = previous?.get(c.id);
    if (old && old.data?.connection === c && old.sourceHandle === sourceHandle && old.targetHandle === targetHandle
      && (old.selected ?? false) === isSelected && old.data.traffic === t && old.data.title === title) {
      edges.push(old);
      continue;
    }
    const colour = CONNECTION_COLOURS[c.state];
    const troubled = t?.troubled ?? false;
    edges.push({
      id: c.id,
      source: source.id,
      target: target.id,
      sourceHandle,
      targetHandle,
      // ACTIVE is the normal state: only the others are written on the line; an active one shows its traffic
      label: lockedLabel(c, c.state !== "ACTIVE" ? c.state.toLowerCase() : t ? trafficLabel(t, leftToRight) : undefined),
      // what a screen reader (and the browser test) reads: the state in words, "active" too
      ariaLabel: `connection ${c.state.toLowerCase()}`,
      style: { stroke: colour, strokeWidth: troubled ? 3.5 : 2, strokeDasharray: c.state === "ACTIVE" ? undefined : "6 4" },
      labelStyle: { fill: troubled ? CONNECTION_COLOURS.FAILED : colour, fontWeight: 600 },
      animated: c.state === "STARTING",
      data: t ? { connection: c, traffic: t, title } : { connection: c, title },
      type: "line",
      ...(isSelected ? { selected: true } : {}),
    });
  }
  return edges;
}

function hasPort(node: ProcessNode, port: string): boolean {
  return node.data.ports.some((p) => p.id === port);
}

/** The port (process, interface, version) a handle of a box belongs to, if it is one of its handles. */
export function portOfHandle(node: ProcessNode | undefined, handle: string | null | undefined):
    { processId: string; interfaceId: string; versionName: string } | undefined {
  if (!node || !handle) {
    return undefined;
  }
  const port = node.data.ports.find((p) => handle === handleId(p.id, "left") || handle === handleId(p.id, "right"));
  return port && { processId: node.id, interfaceId: port.interfaceId, versionName: port.versionName };
}

/**
 * The boxes with each port's count of ACTIVE connections, so both ends of a line show that it is
 * connected. A box whose counts are unchanged is the same object (it is not drawn again), and the
 * same list comes back when none changed.
 */
export function withConnected(nodes: ProcessNode[], connections: Iterable<Connection>): ProcessNode[] {
  const counts = new Map<string, Record<string, number>>();
  const add = (processId: string, port: string) => {
    const mine = counts.get(processId) ?? {};
    mine[port] = (mine[port] ?? 0) + 1;
    counts.set(processId, mine);
  };
  for (const c of connections) {
    if (c.state === "ACTIVE") {
      add(c.endpoint1.processId, portId(c.endpoint1.interfaceId, c.interfaceVersions.endpoint1));
      add(c.endpoint2.processId, portId(c.endpoint2.interfaceId, c.interfaceVersions.endpoint2));
    }
  }
  let changed = false;
  const next = nodes.map((n) => {
    const now = counts.get(n.id);
    if (sameCounts(n.data.connected, now)) {
      return n;
    }
    changed = true;
    const data: ProcessNodeData = { process: n.data.process, ports: n.data.ports };
    if (now) {
      data.connected = now;
    }
    return { ...n, data };
  });
  return changed ? next : nodes;
}

function sameCounts(a: Readonly<Record<string, number>> | undefined, b: Readonly<Record<string, number>> | undefined): boolean {
  const ka = a ? Object.keys(a) : [];
  const kb = b ? Object.keys(b) : [];
  return ka.length === kb.length && ka.every((k) => a?.[k] === b?.[k]);
}
