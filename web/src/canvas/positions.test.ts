import { describe, expect, it, vi } from "vitest";
import { afterSave, debounce, fromLayout, noLayoutRoute, positionsToSave } from "./positions";

describe("fromLayout", () => {
  it("reads the positions by process, and nothing from no layout", () => {
    expect(fromLayout({ positions: [{ processId: "a", x: 1, y: 2 }] })).toEqual(new Map([["a", { x: 1, y: 2 }]]));
    expect(fromLayout(undefined).size).toBe(0);
  });
});

describe("positionsToSave", () => {
  const server = new Map([["a", { x: 10, y: 20 }], ["b", { x: 0, y: 0 }]]);

  it("writes the boxes that are not where the orchestrator has them, in whole pixels", () => {
    const nodes = [
      { id: "a", position: { x: 10.2, y: 19.7 } }, // the same, rounded
      { id: "b", position: { x: 5, y: 0 } },
      { id: "c", position: { x: -3.5, y: 2_000_000 } }, // never written, out of the API's range
    ];
    expect(positionsToSave(nodes, server)).toEqual([{ processId: "b", x: 5, y: 0 }, { processId: "c", x: -3, y: 1_000_000 }]);
  });

  it("writes nothing while a box is dragged", () => {
    expect(positionsToSave([{ id: "b", position: { x: 5, y: 0 }, dragging: true }], server)).toEqual([]);
  });

  it("knows what the orchestrator has once written", () => {
    const next = afterSave(server, [{ processId: "b", x: 5, y: 0 }]);
    expect(positionsToSave([{ id: "a", position: { x: 10, y: 20 } }, { id: "b", position: { x: 5, y: 0 } }], next)).toEqual([]);
    expect(server.get("b")).toEqual({ x: 0, y: 0 }); // not changed itself
  });
});

describe("noLayoutRoute", () => {
  it("tells an orchestrator without the routes from a process that is gone", () => {
    expect(noLayoutRoute(404, "no route GET /user/me/layout")).toBe(true);
    expect(noLayoutRoute(404, "process 65f0c0de1a2b3c4d5e6f7a8b does not exist")).toBe(false);
    expect(noLayoutRoute(400, "no route")).toBe(false);
  });
});

describe("debounce", () => {
  it("calls once, the given time after the last call; flush calls now; cancel drops it", () => {
    vi.useFakeTimers();
    try {
      const f = vi.fn();
      const d = debounce(f, 500);
      d.call();
      vi.advanceTimersByTime(400);
      d.call();
      vi.advanceTimersByTime(400);
      expect(f).not.toHaveBeenCalled();
      vi.advanceTimersByTime(100);
      expect(f).toHaveBeenCalledTimes(1);
      d.call();
      d.flush();
      expect(f).toHaveBeenCalledTimes(2);
      d.flush();
      expect(f).toHaveBeenCalledTimes(2);
      d.call();
      d.cancel();
      vi.advanceTimersByTime(1000);
      expect(f).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
