import { describe, expect, it } from "vitest";
import { process } from "../test/fixtures";
import type { PendingChange } from "./actions";
import { finished, opStatus, withChange, withEvent, withRecord, type Op } from "./track";

const change = (state: PendingChange["state"], extra: Partial<PendingChange> = {}): PendingChange => ({
  id: "pc1", kind: "UPGRADE_PROCESS", processId: "a1", userId: "u1", state, attempts: 0, maxAttempts: 10,
  createdAt: "x", updatedAt: "x", notBefore: "x", ...extra,
});
const event = (subject: string, id: string, state: string, action = "changed", reason?: string) =>
  ({ subject, action, id, state, ...(reason ? { reason } : {}) });
const op = (kind: Op["kind"], extra: Partial<Op> = {}): Op => ({ key: 1, kind, targetId: "a1", what: "“meter”", ...extra });

describe("following an action", () => {
  it("follows a new process until it runs", () => {
    let o = op("create");
    expect(opStatus(o)).toEqual({ tone: "busy", text: "Starting “meter”…" });
    o = withRecord(o, undefined); // not on the canvas yet: still coming
    expect(finished(o)).toBe(false);
    o = withChange(o, change("RUNNING", { id: "pc1", kind: "CREATE_PROCESS" }));
    expect(opStatus(o).text).toBe("Starting “meter”… (pending change pc1 is running)");
    o = withEvent(o, event("pendingchange", "pc1", "DONE"));
    o = withRecord(o, process("a1", [], "STARTING"));
    expect(opStatus(o)).toEqual({ tone: "busy", text: "Starting “meter”… (it is starting)" });
    o = withRecord(o, process("a1", [], "RUNNING"));
    expect(opStatus(o)).toEqual({ tone: "done", text: "“meter” runs (pending change pc1)." });
  });

  it("says why a new process failed", () => {
    const o = withRecord(op("create"), { ...process("a1", [], "FAILED"), reason: "no such image" });
    expect(opStatus(o)).toEqual({ tone: "error", text: "“meter” could not be started: no such image" });
  });

  it("waits for an upgraded process to run the new version", () => {
    let o = withChange(op("upgrade", { version: "0.2.0" }), change("DONE"));
    o = withRecord(o, process("a1", [], "RUNNING")); // still the old version, not suspended yet
    expect(opStatus(o).tone).toBe("busy");
    expect(opStatus(o).text).toBe("Upgrading “meter” to version 0.2.0… (it is running)");
    o = withRecord(o, { ...process("a1", [], "RUNNING"), version: "0.2.0" });
    expect(opStatus(o)).toEqual({ tone: "done", text: "“meter” runs version 0.2.0 (pending change pc1)." });
  });

  it("says how a change fails: its attempts, its last error, then the reason", () => {
    let o = withChange(op("move"), change("PENDING", { attempts: 2, lastError: "node down" }));
    expect(opStatus(o).text).toBe("Moving “meter”… (pending change pc1 is pending, attempt 2 of 10; last error: node down)");
    o = withEvent(o, event("pendingchange", "pc1", "FAILED", "changed", "no node is ready"));
    expect(opStatus(o)).toEqual({ tone: "error", text: "“meter” could not be moved: pending change pc1 failed: no node is ready" });
    expect(opStatus(withEvent(withChange(op("move"), change("PENDING")), event("pendingchange", "pc1", "CANCELLED"))))
      .toEqual({ tone: "error", text: "“meter” could not be moved: pending change pc1 was cancelled." });
  });

  it("ignores events about other things", () => {
    const o = withChange(op("move"), change("RUNNING"));
    expect(withEvent(o, event("pendingchange", "pc2", "FAILED"))).toBe(o);
    expect(withEvent(o, event("process", "b2", "TERMINATED", "removed"))).toBe(o);
    expect(withRecord(withRecord(o, process("a1")), process("a1"))).toStrictEqual(withRecord(o, process("a1")));
  });

  it("is done with a move once its change is done and the process runs", () => {
    let o = withRecord(withChange(op("move"), change("RUNNING")), process("a1", [], "RUNNING"));
    expect(opStatus(o).tone).toBe("busy");
    o = withEvent(o, event("pendingchange", "pc1", "DONE"));
    expect(opStatus(o)).toEqual({ tone: "done", text: "“meter” moved and runs (pending change pc1)." });
  });

  it("is done with a reconfiguration when its change is, or at once without one", () => {
    expect(opStatus(op("reconfigure")).tone).toBe("done");
    const o = withChange(op("reconfigure"), change("RUNNING"));
    expect(opStatus(o).text).toBe("Reconfiguring “meter”… (pending change pc1 is running)");
    expect(opStatus(withEvent(o, event("pendingchange", "pc1", "DONE")))).toEqual({ tone: "done", text: "“meter” is reconfigured (pending change pc1)." });
  });

  it("is done with a removal when its change is done or the process is gone", () => {
    const o = withChange(op("terminate"), change("RUNNING", { attempts: 1 }));
    expect(opStatus(o).text).toBe("Terminating “meter”… (pending change pc1 is running, attempt 1 of 10)");
    expect(opStatus(withEvent(o, event("process", "a1", "TERMINATED", "removed"))).tone).toBe("done");
    expect(opStatus(withRecord(withRecord(op("terminate"), process("a1")), undefined)))
      .toEqual({ tone: "done", text: "“meter” is gone." });
    const d = withChange(op("delete", { targetId: "c1", what: "The connection" }), change("RUNNING"));
    expect(opStatus(withEvent(d, event("connection", "c1", "ACTIVE", "removed"))).text).toBe("The connection is gone (pending change pc1).");
  });

  it("is done with a rename at once", () => {
    expect(opStatus(op("rename", { what: "“new”" }))).toEqual({ tone: "done", text: "Renamed to “new”." });
  });
});
