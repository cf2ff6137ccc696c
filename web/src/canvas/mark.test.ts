import { afterEach, describe, expect, it } from "vitest";
import { CANVAS_DRAWN, markCanvasDrawn, resetCanvasDrawn } from "./mark";

describe("markCanvasDrawn", () => {
  afterEach(() => {
    resetCanvasDrawn();
    performance.clearMarks(CANVAS_DRAWN);
  });

  const drawn = { processes: 500, connections: 1000, boxes: 500, lines: 1000, zoom: 0.075 };

  it("sets the mark once per page load, with how many processes and connections were drawn", () => {
    expect(markCanvasDrawn(drawn)).toBe(true);
    expect(markCanvasDrawn({ ...drawn, processes: 3 })).toBe(false);
    const marks = performance.getEntriesByName(CANVAS_DRAWN, "mark") as PerformanceMark[];
    expect(marks).toHaveLength(1);
    expect(marks[0]?.detail).toEqual(drawn);
  });

  it("survives a browser that cannot mark", () => {
    expect(markCanvasDrawn(drawn, { mark: () => { throw new TypeError("no detail"); } })).toBe(true);
  });
});
