import { data, type Api, type Connection, type Process } from "../api/client";
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

export type NewProcess = components["schemas"]["NewProcess"];
export type ProcessUpdate = components["schemas"]["ProcessUpdate"];

/**
 * Starts a process (POST /process). The orchestrator answers once its Swarm service is created (or
 * after a while): the process, STARTING; its events then say when it runs. A refusal throws an
 * ApiError with the problem, whose detail names the field (see create/form.ts problemFields).
 */
export function createProcess(api: Api, body: NewProcess): Promise<Process> {
  return data(api.POST("/process", { body }));
}

/** What a PUT /process/{id} came to: the process as it is now (200), and/or a pending change still going (202). */
export interface Update {
  process?: Process;
  change?: PendingChange;
}

/**
 * Renames, reconfigures, upgrades or moves a process (PUT /process/{id}). The API answers 200 with the
 * process once the change is carried out or has waited its while; an answer 202 with the pending
 * change (as DELETE does) is taken too.
 */
export async function updateProcess(api: Api, id: string, body: ProcessUpdate): Promise<Update> {
  let status = 0;
  const answer: unknown = await data(api.PUT("/process/{id}", { params: { path: { id } }, body }).then((a) => {
    status = a.response.status;
    return a;
  }));
  if (status === 202 && isChange(answer)) {
    return { change: answer };
  }
  return { process: answer as Process };
}

function isChange(x: unknown): x is PendingChange {
  return typeof x === "object" && x !== null && "kind" in x && "attempts" in x && "state" in x;
}

/**
 * The newest pending change of this kind for the process: the one a request that answered without it
 * started (it may be done already). Undefined when there is none, or it cannot be read.
 */
export async function latestChange(api: Api, processId: string, kind: string): Promise<PendingChange | undefined> {
  try {
    const list = await data(api.GET("/pendingchange", {
      params: { query: { processId: [processId], kind: [kind], sort: "-createdAt", limit: 1 } },
    }));
    return list[0];
  } catch {
    return undefined;
  }
}
