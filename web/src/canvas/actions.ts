import { data, type Api, type Connection } from "../api/client";
import type { components } from "../generated/openapi";
import type { PortRef, VersionPair } from "./drop";

export type PendingChange = components["schemas"]["PendingChange"];

/**
 * Creates a connection between the interfaces of two ports (POST /connection), with the versions
 * the user picked when they picked; the answer is the connection as it is once the orchestrator has
 * waited a while for it (ACTIVE, STARTING or FAILED with its reason). A refusal throws an ApiError
 * whose message is the problem's reason.
 */
export function connect(api: Api, from: PortRef, to: PortRef, pair?: VersionPair): Promise<Connection> {
  return data(api.POST("/connection", {
    body: {
      endpoint1: { processId: from.processId, interfaceId: from.interfaceId },
      endpoint2: { processId: to.processId, interfaceId: to.interfaceId },
      ...(pair ? { interfaceVersions: { endpoint1: pair.from, endpoint2: pair.to } } : {}),
    },
  }));
}

/** What a removal came to: done (204), or still under way as a pending change (202). */
export type Removal = { done: true } | { done: false; change: PendingChange };

/** Terminates a process (DELETE /process/{id}). */
export function terminateProcess(api: Api, id: string): Promise<Removal> {
  return removal(api.DELETE("/process/{id}", { params: { path: { id } } }));
}

/** Deletes a connection (DELETE /connection/{id}). */
export function deleteConnection(api: Api, id: string): Promise<Removal> {
  return removal(api.DELETE("/connection/{id}", { params: { path: { id } } }));
}

async function removal(call: Promise<{ data?: PendingChange; error?: unknown; response: Response }>): Promise<Removal> {
  let status = 0;
  const change = await data(call.then((answer) => {
    status = answer.response.status;
    return answer;
  }));
  return status === 202 && change ? { done: false, change } : { done: true };
}

/** The outcome of a removal, as a sentence. */
export function removalMessage(what: string, r: Removal): string {
  if (r.done) {
    return `${what} is gone.`;
  }
  const c = r.change;
  const tries = c.attempts > 0 ? `, attempt ${c.attempts} of ${c.maxAttempts}` : "";
  const error = c.lastError ? `; last error: ${c.lastError}` : "";
  return `${what} is being removed: it takes longer, and goes on as pending change ${c.id} (${c.state.toLowerCase()}${tries}${error}).`;
}

/** The outcome of a new connection, as a sentence. */
export function connectionMessage(c: Connection): string {
  const versions = `versions ${c.interfaceVersions.endpoint1} and ${c.interfaceVersions.endpoint2}`;
  switch (c.state) {
    case "ACTIVE":
      return `Connected (${versions}).`;
    case "FAILED":
      return `The connection was made but failed${c.reason ? `: ${c.reason}` : "."}`;
    case "STARTING":
      return `Connection made (${versions}); it is starting: its ends are told as soon as they run.`;
    default:
      return `Connection made (${versions}); it is ${c.state.toLowerCase()}.`;
  }
}

/**
 * What a removal that went on as a pending change has come to, from the change's events: still
 * going (busy), done, failed with its reason, or cancelled.
 */
export function pendingRemovalMessage(what: string, changeId: string, state: string, reason?: string):
    { tone: "busy" | "done" | "error"; text: string } {
  switch (state) {
    case "DONE":
      return { tone: "done", text: `${what} is gone (pending change ${changeId} is done).` };
    case "FAILED":
      return { tone: "error", text: `${what} could not be removed: pending change ${changeId} failed${reason ? `: ${reason}` : "."}` };
    case "CANCELLED":
      return { tone: "error", text: `The removal of ${what} was cancelled (pending change ${changeId}).` };
    default:
      return {
        tone: "busy",
        text: `${what} is being removed: pending change ${changeId} is ${state.toLowerCase()}${reason ? ` (last error: ${reason})` : ""}.`,
      };
  }
}
