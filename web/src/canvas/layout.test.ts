import { describe, expect, it } from "vitest";
import { nodeHeight, place, type Point } from "./layout";

function overlaps(a: Point, ha: number, b: Point, hb: number): boolean {
  return Math.abs(a.x - b.x) < 280 && a.y < b.y + hb && b.y < a.y + ha;
}

describe("place", () => {
  it("puts new boxes on a grid, row by row, none over another", () => {
    const ids = Array.from({ length: 30 }, (_, i) => `p${i}`);
    const heights = new Map(ids.map((id, i) => [id, nodeHeight(i % 7)]));
    const placed = place(ids, heights, new Map());
    expect(placed.size).toBe(30);
    expect(placed.get("p0")).toEqual({ x: 0, y: 0 });
    expect(placed.get("p1")?.y).toBe(0);
    expect(placed.get("p1")?.x).toBeGreaterThan(280);
    for (const a of ids) {
      for (const b of ids) {
        if (a < b) {
          expect(overlaps(placed.get(a)!, heights.get(a)!, placed.get(b)!, heights.get(b)!), `${a} and ${b}`).toBe(false);
        }
      }
    }
  });

  it("leaves placed boxes where they are and fills the cells they leave free", () => {
    const kept = new Map([["a", { x: 0, y: 0 }], ["b", { x: 777, y: 333 }]]);
    const placed = place(["a", "b", "c", "d"], new Map(), kept);
    expect(placed.get("a")).toEqual({ x: 0, y: 0 });
    expect(placed.get("b")).toEqual({ x: 777, y: 333 });
    expect(placed.get("c")).toEqual({ x: 380, y: 0 }); // the first free cell, after a's
    expect(placed.get("d")).toEqual({ x: 760, y: 0 });
  });

  it("grows past four columns as the canvas fills, so it stays roughly square", () => {
    const ids = Array.from({ length: 100 }, (_, i) => `p${i}`);
    const xs = new Set([...place(ids, new Map(), new Map()).values()].map((p) => p.x));
    expect(xs.size).toBe(10);
  });
});
