import type { components } from "../generated/openapi";
import { short, words } from "./format";

export type PendingChange = components["schemas"]["PendingChange"];
export type PendingChangeState = components["schemas"]["PendingChangeState"];

export const CHANGE_STATES: readonly PendingChangeState[] = ["PENDING", "RUNNING", "DONE", "FAILED", "CANCELLED"];
/** The kinds the orchestrator has (`PendingChange.Kind`); the API's filter takes any text. */
export const CHANGE_KINDS = ["CREATE_PROCESS", "CONFIGURE_PROCESS", "TERMINATE_PROCESS", "UPGRADE_PROCESS", "MOVE_PROCESS",
  "CREATE_CONNECTION", "DELETE_CONNECTION"] as const;
/** The states in which something may still happen. */
export const OPEN_STATES: readonly PendingChangeState[] = ["PENDING", "RUNNING", "FAILED"];

/** Only a PENDING change can be cancelled (`DELETE /pendingchange/{id}`; a RUNNING one is under way). */
export function canCancel(c: Pick<PendingChange, "state">): boolean {
  return c.state === "PENDING";
}

/** A FAILED change can run again, and a PENDING one now instead of after its back-off. */
export function canRetry(c: Pick<PendingChange, "state">): boolean {
  return c.state === "FAILED" || c.state === "PENDING";
}

/** "2 of 10". */
export function attemptsText(c: Pick<PendingChange, "attempts" | "maxAttempts">): string {
  return `${c.attempts} of ${c.maxAttempts}`;
}

/** What a change acts on: its process (by name, when it still exists) or its connection. */
export function actsOn(c: Pick<PendingChange, "processId" | "connectionId">, processName: (id: string) => string | undefined):
    { what: "process" | "connection" | "nothing"; id?: string; label: string } {
  if (c.processId) {
    return { what: "process", id: c.processId, label: `process ${processName(c.processId) ?? short(c.processId)}` };
  }
  if (c.connectionId) {
    return { what: "connection", id: c.connectionId, label: `connection ${short(c.connectionId)}` };
  }
  return { what: "nothing", label: "" };
}

/** A PENDING change that waits for its back-off before the next attempt. */
export function waiting(c: Pick<PendingChange, "state" | "notBefore">, now: number): boolean {
  return c.state === "PENDING" && Date.parse(c.notBefore) > now;
}

export function changeName(c: Pick<PendingChange, "kind" | "id">): string {
  return `${words(c.kind)} (${short(c.id)})`;
}

export function cancelledMessage(c: PendingChange): string {
  return `Pending change ${changeName(c)} is cancelled.`;
}

/** What a retry came to: the change as the API answered it. */
export function retriedMessage(c: PendingChange): string {
  return c.state === "PENDING"
    ? `Pending change ${changeName(c)} runs again now (attempts counted from zero).`
    : `Pending change ${changeName(c)} is ${c.state.toLowerCase()}.`;
}
