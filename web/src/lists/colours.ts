import type { components } from "../generated/openapi";

export { CONNECTION_COLOURS, PROCESS_COLOURS } from "../canvas/graph";

export const NODE_STATUS_COLOURS: Record<components["schemas"]["NodeStatus"], string> = {
  READY: "#16a34a",
  DOWN: "#dc2626",
  UNKNOWN: "#d97706",
  MISSING: "#6b7280",
};

export const CHANGE_COLOURS: Record<components["schemas"]["PendingChangeState"], string> = {
  PENDING: "#d97706",
  RUNNING: "#2563eb",
  DONE: "#16a34a",
  FAILED: "#dc2626",
  CANCELLED: "#6b7280",
};
