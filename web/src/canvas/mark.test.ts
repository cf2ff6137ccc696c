import { afterEach, describe, expect, it } from "vitest";
import { CANVAS_DRAWN, markCanvasDrawn, resetCanvasDrawn } from "./mark";

describe("markCanvasDrawn", () => {
  afterEach(() => {
    resetCanvasDrawn();
    performance.clearMarks(CANVAS_DRAWN);
  });

  it("sets the mark once per page load, with how many processes and connections were drawn", () => {
    expect(markCanvasDrawn(500, 1000)).toBe(true);
    expect(markCanvasDrawn(3, 1)).toBe(false);
    const marks = performance.getEntriesByName(CANVAS_DRAWN, "mark") as PerformanceMark[];
    expect(marks).toHaveLength(1);
    expect(marks[0]?.detail).toEqual({ processes: 500, connections: 1000 });
  });

  it("survives a browser that cannot mark", () => {
    expect(markCanvasDrawn(1, 0, { mark: () => { throw new TypeError("no detail"); } })).toBe(true);
  });
});
