import { describe, expect, it } from "vitest";
import type { ApiEvent } from "../api/client";
import { connection, process } from "../test/fixtures";
import { applyEvent, loaded } from "./environment";

function event(subject: ApiEvent["subject"], action: ApiEvent["action"], id: string, state: string, reason?: string):
    ApiEvent {
  return { seq: 1, at: "2026-01-01T00:00:00.000000Z", subject, action, id, userId: "u1", state, reason };
}

const env = loaded([process("p1", [], "STARTING")],
  [connection("c1", ["p1", "a/x", "v1"], ["p2", "b/x", "v1"], "STARTING")]);

describe("applyEvent", () => {
  it("shows a process's new state at once, and reads the process again", () => {
    const { env: next, refetch } = applyEvent(env, event("process", "changed", "p1", "FAILED", "it crashed"));
    expect(next.processes.get("p1")).toMatchObject({ state: "FAILED", reason: "it crashed" });
    expect(refetch).toEqual({ subject: "process", id: "p1" });
    expect(env.processes.get("p1")?.state).toBe("STARTING"); // the old environment is left as it was
  });

  it("clears the reason when the state has none", () => {
    const failed = applyEvent(env, event("process", "changed", "p1", "FAILED", "it crashed")).env;
    expect(applyEvent(failed, event("process", "changed", "p1", "RUNNING")).env.processes.get("p1")?.reason)
      .toBeUndefined();
  });

  it("shows a connection's new state", () => {
    const { env: next, refetch } = applyEvent(env, event("connection", "changed", "c1", "ACTIVE"));
    expect(next.connections.get("c1")?.state).toBe("ACTIVE");
    expect(refetch).toEqual({ subject: "connection", id: "c1" });
  });

  it("reads a new record, which the event alone cannot draw", () => {
    const { env: next, refetch } = applyEvent(env, event("process", "created", "p9", "STARTING"));
    expect(next).toBe(env);
    expect(refetch).toEqual({ subject: "process", id: "p9" });
  });

  it("removes what was removed, without reading it", () => {
    const a = applyEvent(env, event("process", "removed", "p1", "TERMINATED"));
    expect(a.env.processes.has("p1")).toBe(false);
    expect(a.refetch).toBeUndefined();
    const b = applyEvent(env, event("connection", "removed", "c1", "ACTIVE"));
    expect(b.env.connections.size).toBe(0);
    expect(applyEvent(env, event("connection", "removed", "zz", "ACTIVE")).env).toBe(env);
  });

  it("leaves the canvas alone for pending changes", () => {
    expect(applyEvent(env, event("pendingchange", "changed", "ch1", "RUNNING"))).toEqual({ env });
  });
});
