import { describe, expect, it } from "vitest";
import { process, iface } from "../test/fixtures";
import { boxGeometry } from "./box";
import { handleId, toNodes } from "./graph";

describe("boxGeometry", () => {
  it("is the box canvas.css draws: border, head, service line, a row per port, border", () => {
    const g = boxGeometry(["a@v1", "b@v1", "c@v1", "d@v1"], false, handleId);
    expect([g.width, g.height]).toEqual([280, 2 + 22 + 20 + 4 * 26 + 2]);
    // as Chromium measured React Flow's handles in such a box: 8 px dots on the edges, mid-row
    expect(g.handles.slice(0, 4)).toEqual([
      { id: "a@v1:left", type: "source", position: "left", x: -2, y: 53.5, width: 8, height: 8 },
      { id: "a@v1:right", type: "source", position: "right", x: 274, y: 53.5, width: 8, height: 8 },
      { id: "b@v1:left", type: "source", position: "left", x: -2, y: 79.5, width: 8, height: 8 },
      { id: "b@v1:right", type: "source", position: "right", x: 274, y: 79.5, width: 8, height: 8 },
    ]);
  });

  it("has a line more with a reason, and a row for no interfaces", () => {
    expect(boxGeometry(["a@v1"], true, handleId).height).toBe(2 + 22 + 20 + 18 + 26 + 2);
    expect(boxGeometry(["a@v1"], true, handleId).handles[0]?.y).toBe(53.5 + 18);
    expect(boxGeometry([], false, handleId)).toEqual({ width: 280, height: 2 + 22 + 20 + 26 + 2, handles: [] });
  });
});

describe("toNodes' boxes", () => {
  const meter = process("a1", [iface("meter/power", ["v1", "v2"])]);

  it("come measured, with their dots: React Flow draws them, and their lines, without measuring first", () => {
    const [node] = toNodes([meter], []);
    expect(node).toMatchObject({ width: 280, height: 98, measured: { width: 280, height: 98 } });
    expect(node?.handles?.map((h) => h.id)).toEqual(["meter/power@v1:left", "meter/power@v1:right",
      "meter/power@v2:left", "meter/power@v2:right"]);
  });

  it("grow when a reason comes, and keep their size while the ports and the reason line stay", () => {
    const first = toNodes([meter], []);
    const failed = toNodes([{ ...meter, state: "FAILED" as const, reason: "it crashed" }], first)[0];
    expect(failed?.height).toBe(first[0]!.height! + 18);
    expect(failed?.handles?.[0]?.y).toBe(first[0]!.handles![0]!.y + 18);
    const again = toNodes([{ ...meter, state: "FAILED" as const, reason: "it crashed again" }], [failed!])[0];
    expect(again?.handles).toBe(failed?.handles);
  });
});
