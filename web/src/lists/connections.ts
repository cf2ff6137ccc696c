import type { Connection, Process } from "../api/client";
import { short } from "./format";

/** One end of a connection in words: its process by name (its id once gone), its interface by name, the version it speaks. */
export interface EndText {
  process: string;
  processId: string;
  /** The process is known (it may be gone, or not readable). */
  known: boolean;
  interfaceName: string;
  interfaceId: string;
  version: string;
}

export function endText(c: Connection, end: "endpoint1" | "endpoint2", processes: ReadonlyMap<string, Process>): EndText {
  const e = c[end];
  const p = processes.get(e.processId);
  const i = p?.interfaces.find((x) => x.id === e.interfaceId);
  return {
    process: p?.name ?? short(e.processId),
    processId: e.processId,
    known: p !== undefined,
    interfaceName: i?.name ?? e.interfaceId,
    interfaceId: e.interfaceId,
    version: c.interfaceVersions[end],
  };
}

/** The users whose processes a page of connections needs, to name its ends. */
export function usersOf(items: readonly { userId: string }[]): string[] {
  return [...new Set(items.map((c) => c.userId))].sort();
}
