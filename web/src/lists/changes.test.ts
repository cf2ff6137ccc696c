import { describe, expect, it } from "vitest";
import { actsOn, attemptsText, canCancel, canRetry, cancelledMessage, retriedMessage, waiting, type PendingChange } from "./changes";

const change: PendingChange = {
  id: "6b0777f70891f0561f5c73e2", kind: "DELETE_CONNECTION", connectionId: "6b0777f8a869b3785ae56e00", userId: "u1",
  state: "FAILED", attempts: 10, maxAttempts: 10, lastError: "unreachable",
  createdAt: "2026-11-26T00:00:00Z", updatedAt: "2026-11-26T00:01:00Z", notBefore: "2026-11-26T00:02:00Z",
};

describe("what can be done to a change", () => {
  it("cancels only a PENDING one, retries a FAILED or PENDING one", () => {
    const in_ = (state: PendingChange["state"]) => ({ state });
    expect(["PENDING", "RUNNING", "DONE", "FAILED", "CANCELLED"].filter((s) => canCancel(in_(s as PendingChange["state"]))))
      .toEqual(["PENDING"]);
    expect(["PENDING", "RUNNING", "DONE", "FAILED", "CANCELLED"].filter((s) => canRetry(in_(s as PendingChange["state"]))))
      .toEqual(["PENDING", "FAILED"]);
  });
});

describe("what a change is", () => {
  it("counts its attempts", () => {
    expect(attemptsText(change)).toBe("10 of 10");
  });

  it("names the process it acts on, or its id once the process is gone, or the connection", () => {
    const names = (id: string) => (id === "p1" ? "meter" : undefined);
    expect(actsOn({ processId: "p1" }, names)).toEqual({ what: "process", id: "p1", label: "process meter" });
    expect(actsOn({ processId: "6b0777f70f76ceb2de6a702c" }, names)).toMatchObject({ label: "process 6b0777f7…" });
    expect(actsOn(change, names)).toEqual({ what: "connection", id: change.connectionId, label: "connection 6b0777f8…" });
    expect(actsOn({}, names)).toEqual({ what: "nothing", label: "" });
  });

  it("sees a PENDING change that waits for its back-off", () => {
    const at = Date.parse("2026-11-26T00:01:30Z");
    expect(waiting({ ...change, state: "PENDING" }, at)).toBe(true);
    expect(waiting({ ...change, state: "PENDING" }, at + 60_000)).toBe(false);
    expect(waiting(change, at)).toBe(false);
  });

  it("says what a cancel or a retry came to", () => {
    expect(cancelledMessage(change)).toBe("Pending change delete connection (6b0777f7…) is cancelled.");
    expect(retriedMessage({ ...change, state: "PENDING", attempts: 0 }))
      .toBe("Pending change delete connection (6b0777f7…) runs again now (attempts counted from zero).");
    expect(retriedMessage({ ...change, state: "RUNNING" })).toBe("Pending change delete connection (6b0777f7…) is running.");
  });
});
