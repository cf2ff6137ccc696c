import type { Process, ProcessState } from "../api/client";
import type { PendingChange } from "./actions";

/**
 * An action under way on a process or a connection, followed to its end: through its pending
 * change's events (PENDING, RUNNING, then DONE, FAILED with the last error, or CANCELLED) and the
 * process's own state as the event stream brings it (a new, moved or upgraded process is done once
 * it runs again). Pure: the canvas feeds it what comes and shows {@link opStatus}.
 */

export type OpKind = "create" | "rename" | "reconfigure" | "move" | "upgrade" | "terminate" | "delete";

export interface Op {
  /** This page's own number for it. */
  key: number;
  kind: OpKind;
  /** The process (or, for delete, the connection) it acts on. */
  targetId: string;
  /** What it is called, for the sentences: “meter”, or "The connection". */
  what: string;
  /** The pending change that carries it out, once known. */
  changeId?: string;
  changeState?: PendingChange["state"];
  changeError?: string;
  attempts?: number;
  maxAttempts?: number;
  /** The process as last seen; "gone" once removed. */
  seen?: { state: ProcessState; reason?: string; version: string } | "gone";
  /** An upgrade's version. */
  version?: string;
}

export type Tone = "busy" | "done" | "error";

const VERBS: Record<OpKind, { busy: string; failed: string }> = {
  create: { busy: "Starting", failed: "could not be started" },
  rename: { busy: "Renaming", failed: "could not be renamed" },
  reconfigure: { busy: "Reconfiguring", failed: "could not be reconfigured" },
  move: { busy: "Moving", failed: "could not be moved" },
  upgrade: { busy: "Upgrading", failed: "could not be upgraded" },
  terminate: { busy: "Terminating", failed: "could not be terminated" },
  delete: { busy: "Deleting", failed: "could not be deleted" },
};

/** The op with its change as the API answered it (a 202, or the change found for a 200). */
export function withChange(op: Op, c: PendingChange): Op {
  return {
    ...op, changeId: c.id, changeState: c.state, attempts: c.attempts, maxAttempts: c.maxAttempts,
    ...(c.lastError ? { changeError: c.lastError } : {}),
  };
}

/** The op after an event of the stream: a pending change's state and last error, or its process's removal. */
export function withEvent(op: Op, event: { subject: string; action: string; id: string; state: string; reason?: string }): Op {
  if (event.subject === "pendingchange" && event.id === op.changeId) {
    return { ...op, changeState: event.state as PendingChange["state"], ...(event.reason ? { changeError: event.reason } : {}) };
  }
  const subject = op.kind === "delete" ? "connection" : "process";
  if (event.subject === subject && event.id === op.targetId && event.action === "removed") {
    return { ...op, seen: "gone" };
  }
  return op;
}

/** The op with its process as the canvas has it now (undefined: not there). */
export function withRecord(op: Op, p: Process | undefined): Op {
  if (!p) {
    // a new process may not be on the canvas yet; any other was there and went
    return op.kind === "create" && op.seen === undefined ? op : op.seen === "gone" ? op : { ...op, seen: "gone" };
  }
  const seen = op.seen;
  if (seen !== undefined && seen !== "gone" && seen.state === p.state && seen.reason === p.reason && seen.version === p.version) {
    return op;
  }
  return { ...op, seen: { state: p.state, version: p.version, ...(p.reason ? { reason: p.reason } : {}) } };
}

/** Whether it has come to an end. */
export function finished(op: Op): boolean {
  return opStatus(op).tone !== "busy";
}

/** Where it is, as a sentence. */
export function opStatus(op: Op): { tone: Tone; text: string } {
  const verbs = VERBS[op.kind];
  const change = op.changeId ? ` (pending change ${op.changeId})` : "";
  if (op.changeState === "FAILED") {
    return { tone: "error", text: `${op.what} ${verbs.failed}: pending change ${op.changeId} failed${op.changeError ? `: ${op.changeError}` : "."}` };
  }
  if (op.changeState === "CANCELLED") {
    return { tone: "error", text: `${op.what} ${verbs.failed}: pending change ${op.changeId} was cancelled.` };
  }
  const seen = op.seen;
  const changeDone = op.changeState === undefined || op.changeState === "DONE";
  switch (op.kind) {
    case "terminate":
    case "delete":
      if (seen === "gone" || op.changeState === "DONE") {
        return { tone: "done", text: `${op.what} is gone${change}.` };
      }
      break;
    case "rename":
      return { tone: "done", text: `Renamed to ${op.what}.` };
    case "reconfigure":
      if (seen === "gone") {
        return { tone: "error", text: `${op.what} is gone.` };
      }
      if (seen?.state === "FAILED") {
        return { tone: "error", text: `${op.what} failed${seen.reason ? `: ${seen.reason}` : "."}` };
      }
      if (changeDone) {
        return { tone: "done", text: `${op.what} is reconfigured${change}.` };
      }
      break;
    case "create":
    case "move":
    case "upgrade": {
      if (seen === "gone") {
        return { tone: "error", text: `${op.what} is gone.` };
      }
      if (seen?.state === "FAILED") {
        return { tone: "error", text: `${op.what} ${verbs.failed}: ${seen.reason ?? "it failed"}` };
      }
      const arrived = op.kind !== "upgrade" || seen?.version === op.version;
      if (seen?.state === "RUNNING" && changeDone && arrived) {
        const done = op.kind === "create" ? "runs" : op.kind === "move" ? "moved and runs" : `runs version ${op.version}`;
        return { tone: "done", text: `${op.what} ${done}${change}.` };
      }
      break;
    }
  }
  return { tone: "busy", text: busyText(op) };
}

function busyText(op: Op): string {
  const verbs = VERBS[op.kind];
  const to = op.kind === "upgrade" && op.version ? ` to version ${op.version}` : "";
  const parts: string[] = [];
  if (op.changeId && op.changeState && op.changeState !== "DONE") {
    const tries = (op.attempts ?? 0) > 0 && op.maxAttempts ? `, attempt ${op.attempts} of ${op.maxAttempts}` : "";
    parts.push(`pending change ${op.changeId} is ${op.changeState.toLowerCase()}${tries}`);
    if (op.changeError) {
      parts.push(`last error: ${op.changeError}`);
    }
  } else if (op.seen && op.seen !== "gone") {
    parts.push(`it is ${op.seen.state.toLowerCase()}`);
  }
  return `${verbs.busy} ${op.what}${to}…${parts.length > 0 ? ` (${parts.join("; ")})` : ""}`;
}

/** The pending change kinds of each action, to find the one a request started. */
export const CHANGE_KINDS: Partial<Record<OpKind, string>> = {
  create: "CREATE_PROCESS",
  reconfigure: "CONFIGURE_PROCESS",
  move: "MOVE_PROCESS",
  upgrade: "UPGRADE_PROCESS",
  terminate: "TERMINATE_PROCESS",
  delete: "DELETE_CONNECTION",
};
