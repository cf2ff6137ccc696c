import type { components } from "../generated/openapi";

export type Node = components["schemas"]["Node"];
export type NodeKind = components["schemas"]["NodeKind"];
export type NodeAssignment = components["schemas"]["NodeAssignment"];
export type Pool = components["schemas"]["Pool"];

export const NODE_KINDS: readonly NodeKind[] = ["unidentified", "public", "private"];
export const NODE_STATUSES: readonly Node["status"][] = ["READY", "DOWN", "UNKNOWN", "MISSING"];

/** What the assignment dialog holds: a kind, and the pool and user picked for the kinds that need one. */
export interface AssignmentForm {
  kind: NodeKind;
  poolId: string;
  userId: string;
}

/** The dialog's starting point: the node as it is. */
export function formFor(node: Node): AssignmentForm {
  return { kind: node.kind, poolId: node.poolId ?? "", userId: node.userId ?? "" };
}

/**
 * The body of `PUT /node/{id}` for the form: `{kind: public, poolId}`, `{kind: private, userId}` or
 * `{kind: unidentified}` (nothing else: the API refuses a field that does not go with the kind), or
 * what is missing.
 */
export function assignmentBody(form: AssignmentForm): { body: NodeAssignment } | { missing: string } {
  switch (form.kind) {
    case "public":
      return form.poolId ? { body: { kind: "public", poolId: form.poolId } } : { missing: "Choose the pool to make it public in." };
    case "private":
      return form.userId ? { body: { kind: "private", userId: form.userId } } : { missing: "Choose the user to make it private for." };
    case "unidentified":
      return { body: { kind: "unidentified" } };
  }
}

/** Whether the body would leave the node as it is. */
export function unchanged(node: Node, body: NodeAssignment): boolean {
  return node.kind === body.kind && (node.poolId ?? "") === (body.poolId ?? "") && (node.userId ?? "") === (body.userId ?? "");
}

/** Who or what a node is for, in words: "public in pool local", "private for alice", "unidentified". */
export function assignmentText(node: Pick<Node, "kind" | "poolId" | "userId">, poolName: (id: string) => string,
    userName: (id: string) => string): string {
  switch (node.kind) {
    case "public":
      return node.poolId ? `public in pool ${poolName(node.poolId)}` : "public";
    case "private":
      return node.userId ? `private for ${userName(node.userId)}` : "private";
    case "unidentified":
      return "unidentified";
  }
}

/** What an assignment came to, as a sentence. */
export function assignedMessage(node: Node, poolName: (id: string) => string, userName: (id: string) => string): string {
  const what = assignmentText(node, poolName, userName);
  return node.kind === "unidentified"
    ? `Node ${node.hostname} is now unidentified: no processes are placed on it.`
    : `Node ${node.hostname} is now ${what}.`;
}
