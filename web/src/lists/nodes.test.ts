import { describe, expect, it } from "vitest";
import { assignedMessage, assignmentBody, assignmentText, formFor, unchanged, type Node } from "./nodes";

const node: Node = {
  id: "n1", hostname: "vm", architecture: "amd64", status: "READY", kind: "unidentified", lastSeen: "2026-11-26T02:18:57Z",
};
const pools = (id: string) => ({ p1: "local" })[id] ?? id;
const users = (id: string) => ({ u1: "alice" })[id] ?? id;

describe("assignmentBody", () => {
  it("makes a node public in a pool, private for a user, or unidentified, with only the field that goes with it", () => {
    expect(assignmentBody({ kind: "public", poolId: "p1", userId: "u1" })).toEqual({ body: { kind: "public", poolId: "p1" } });
    expect(assignmentBody({ kind: "private", poolId: "p1", userId: "u1" })).toEqual({ body: { kind: "private", userId: "u1" } });
    expect(assignmentBody({ kind: "unidentified", poolId: "p1", userId: "u1" })).toEqual({ body: { kind: "unidentified" } });
  });

  it("says what is missing", () => {
    expect(assignmentBody({ kind: "public", poolId: "", userId: "u1" })).toEqual({ missing: "Choose the pool to make it public in." });
    expect(assignmentBody({ kind: "private", poolId: "p1", userId: "" })).toEqual({ missing: "Choose the user to make it private for." });
  });
});

describe("the form and the node", () => {
  it("starts from the node as it is, and sees when nothing would change", () => {
    const pub: Node = { ...node, kind: "public", poolId: "p1" };
    expect(formFor(node)).toEqual({ kind: "unidentified", poolId: "", userId: "" });
    expect(formFor(pub)).toEqual({ kind: "public", poolId: "p1", userId: "" });
    expect(unchanged(pub, { kind: "public", poolId: "p1" })).toBe(true);
    expect(unchanged(pub, { kind: "public", poolId: "p2" })).toBe(false);
    expect(unchanged(pub, { kind: "unidentified" })).toBe(false);
    expect(unchanged(node, { kind: "unidentified" })).toBe(true);
  });
});

describe("assignmentText", () => {
  it("names the pool or the user", () => {
    expect(assignmentText({ kind: "public", poolId: "p1" }, pools, users)).toBe("public in pool local");
    expect(assignmentText({ kind: "private", userId: "u1" }, pools, users)).toBe("private for alice");
    expect(assignmentText({ kind: "private", userId: "u9" }, pools, users)).toBe("private for u9");
    expect(assignmentText({ kind: "unidentified" }, pools, users)).toBe("unidentified");
  });

  it("says what the assignment came to", () => {
    expect(assignedMessage({ ...node, kind: "public", poolId: "p1" }, pools, users)).toBe("Node vm is now public in pool local.");
    expect(assignedMessage(node, pools, users)).toBe("Node vm is now unidentified: no processes are placed on it.");
  });
});
