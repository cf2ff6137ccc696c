import { describe, expect, it } from "vitest";
import { linksOf, nodeHeight, place, type Point } from "./layout";

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

function noOverlaps(placed: Map<string, Point>, heights: ReadonlyMap<string, number>): void {
  const ids = [...placed.keys()];
  // sort by x, then compare only with the boxes that start within a box's width: not O(n²) for big layouts
  ids.sort((a, b) => placed.get(a)!.x - placed.get(b)!.x);
  for (let i = 0; i < ids.length; i++) {
    const a = ids[i]!;
    for (let j = i + 1; j < ids.length && placed.get(ids[j]!)!.x - placed.get(a)!.x < 280; j++) {
      const b = ids[j]!;
      expect(overlaps(placed.get(a)!, heights.get(a) ?? 140, placed.get(b)!, heights.get(b) ?? 140), `${a} and ${b}`).toBe(false);
    }
  }
}

describe("place, with connections", () => {
  const distance = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

  it("puts a new box beside the placed box it is connected to, to its right", () => {
    const kept = new Map([["a", { x: 1000, y: 1000 }]]);
    const placed = place(["a", "b"], new Map(), kept, { links: linksOf([link("a", "b")]) });
    expect(placed.get("b")).toEqual({ x: 1380, y: 1000 });
  });

  it("goes round a neighbour whose right is taken", () => {
    const kept = new Map([["a", { x: 0, y: 0 }], ["x", { x: 380, y: 0 }]]);
    const placed = place(["a", "x", "b"], new Map(), kept, { links: linksOf([link("a", "b")]) });
    expect(placed.get("b")).toEqual({ x: 380, y: 160 });
  });

  it("lays a new connected group out together, in columns from its oldest box", () => {
    // a logger with three meters, and a lone box
    const links = linksOf([link("logger", "m1"), link("m2", "logger"), link("logger", "m3")]);
    const placed = place(["logger", "lone", "m1", "m2", "m3"], new Map(), new Map(), { links });
    expect(placed.get("logger")).toEqual({ x: 0, y: 0 });
    expect(new Set(["m1", "m2", "m3"].map((m) => placed.get(m)!.x))).toEqual(new Set([380]));
    expect(["m1", "m2", "m3"].map((m) => placed.get(m)!.y)).toEqual([0, 160, 320]);
    expect(placed.get("lone")!.x).toBeGreaterThanOrEqual(760); // not in the middle of the group
  });

  it("keeps connected boxes closer to each other than to the others", () => {
    const ids = Array.from({ length: 40 }, (_, i) => `p${i}`);
    // pairs p0-p1, p2-p3, …
    const links = linksOf(Array.from({ length: 20 }, (_, i) => link(`p${2 * i}`, `p${2 * i + 1}`)));
    const placed = place(ids, new Map(), new Map(), { links });
    for (let i = 0; i < 20; i++) {
      expect(distance(placed.get(`p${2 * i}`)!, placed.get(`p${2 * i + 1}`)!)).toBe(380);
    }
    noOverlaps(placed, new Map());
  });

  it("puts a box near the spot asked for, on the first free place around it", () => {
    const kept = new Map([["a", { x: 500, y: 500 }]]);
    const near = new Map([["b", { x: 520, y: 510 }], ["c", { x: 3000, y: 10 }]]);
    const placed = place(["a", "b", "c"], new Map(), kept, { near });
    expect(placed.get("c")).toEqual({ x: 3000, y: 10 });
    expect(placed.get("b")).toEqual({ x: 900, y: 510 });
  });

  it("lays 500 processes with 1000 connections out quickly, none over another", () => {
    const ids = Array.from({ length: 500 }, (_, i) => `p${i}`);
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const connections = Array.from({ length: 1000 }, () => link(`p${Math.floor(random() * 500)}`, `p${Math.floor(random() * 500)}`));
    const heights = new Map(ids.map((id, i) => [id, nodeHeight(i % 5)]));
    const kept = new Map(ids.slice(0, 100).map((id, i) => [id, { x: (i % 10) * 400, y: Math.floor(i / 10) * 300 }]));
    const start = performance.now();
    const placed = place(ids, heights, kept, { links: linksOf(connections) });
    expect(performance.now() - start).toBeLessThan(1000);
    expect(placed.size).toBe(500);
    noOverlaps(placed, heights);
  });
});

describe("linksOf", () => {
  it("links both ends, only what touches the ids asked for", () => {
    const all = [link("a", "b"), link("b", "c"), link("d", "e")];
    expect(linksOf(all)).toEqual(new Map([["a", ["b"]], ["b", ["a", "c"]], ["c", ["b"]], ["d", ["e"]], ["e", ["d"]]]));
    expect(linksOf(all, new Set(["c"]))).toEqual(new Map([["b", ["c"]], ["c", ["b"]]]));
  });
});

function link(a: string, b: string) {
  return { endpoint1: { processId: a }, endpoint2: { processId: b } };
}
