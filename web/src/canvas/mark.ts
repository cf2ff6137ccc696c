/**
 * The mark a benchmark waits for: `defpi:canvas-drawn`, once per page load, when React Flow has
 * measured and drawn every process box of the first environment loaded; its detail says how many
 * processes and connections that was.
 */
export const CANVAS_DRAWN = "defpi:canvas-drawn";

let marked = false;

/** Sets the mark, the first time only; answers whether it did. */
export function markCanvasDrawn(processes: number, connections: number,
    perf: Pick<Performance, "mark"> = performance): boolean {
  if (marked) {
    return false;
  }
  marked = true;
  try {
    perf.mark(CANVAS_DRAWN, { detail: { processes, connections } });
  } catch {
    // a browser without User Timing Level 3 details: the canvas works all the same
  }
  return true;
}

/** For tests: as after a page load. */
export function resetCanvasDrawn(): void {
  marked = false;
}
