import type { ApiEvent, Connection, ConnectionState, Process, ProcessState } from "../api/client";

/** What the canvas shows: the user's processes and connections, by id. */
export interface Environment {
  processes: ReadonlyMap<string, Process>;
  connections: ReadonlyMap<string, Connection>;
}

export const EMPTY: Environment = { processes: new Map(), connections: new Map() };

/** A record to read again from the API: an event says what changed, not everything it changed to. */
export interface Refetch {
  subject: "process" | "connection";
  id: string;
}

export function loaded(processes: Process[], connections: Connection[]): Environment {
  return {
    processes: new Map(processes.map((p) => [p.id, p])),
    connections: new Map(connections.map((c) => [c.id, c])),
  };
}

/**
 * The environment after an event: its state shows at once; a created or changed record is read again
 * (a new process's interfaces, an upgrade's version), a removed one goes. Pending changes are not
 * drawn (yet).
 */
export function applyEvent(env: Environment, event: ApiEvent): { env: Environment; refetch?: Refetch } {
  if (event.subject === "pendingchange") {
    return { env };
  }
  const subject = event.subject;
  if (event.action === "removed") {
    return { env: without(env, subject, event.id) };
  }
  let next = env;
  if (subject === "process") {
    const p = env.processes.get(event.id);
    if (p) {
      next = withProcess(env, { ...p, state: event.state as ProcessState, reason: event.reason });
    }
  } else {
    const c = env.connections.get(event.id);
    if (c) {
      next = withConnection(env, { ...c, state: event.state as ConnectionState, reason: event.reason });
    }
  }
  return { env: next, refetch: { subject, id: event.id } };
}

export function withProcess(env: Environment, p: Process): Environment {
  const processes = new Map(env.processes);
  processes.set(p.id, p);
  return { ...env, processes };
}

export function withConnection(env: Environment, c: Connection): Environment {
  const connections = new Map(env.connections);
  connections.set(c.id, c);
  return { ...env, connections };
}

export function without(env: Environment, subject: Refetch["subject"], id: string): Environment {
  if (subject === "process") {
    if (!env.processes.has(id)) {
      return env;
    }
    const processes = new Map(env.processes);
    processes.delete(id);
    return { ...env, processes };
  }
  if (!env.connections.has(id)) {
    return env;
  }
  const connections = new Map(env.connections);
  connections.delete(id);
  return { ...env, connections };
}
