/**
 * The mark a benchmark waits for: `defpi:canvas-drawn`, once per page load, when the first
 * environment loaded is drawn as the user sees it: the view fitted to it, every box and line that
 * view shows in the page, and that frame painted. Its detail says how many processes and
 * connections the environment has, how many boxes and lines were in the page, and the zoom.
 */
export const CANVAS_DRAWN = "defpi:canvas-drawn";

export interface Drawn {
  processes: number;
  connections: number;
  /** Boxes and lines in the page when the mark was set. */
  boxes: number;
  lines: number;
  /** The view's zoom. */
  zoom: number;
}

let marked = false;

/** Sets the mark, the first time only; answers whether it did. */
export function markCanvasDrawn(detail: Drawn, perf: Pick<Performance, "mark"> = performance): boolean {
  if (marked) {
    return false;
  }
  marked = true;
  try {
    perf.mark(CANVAS_DRAWN, { detail });
  } catch {
    // a browser without User Timing Level 3 details: the canvas works all the same
  }
  return true;
}

/** For tests: as after a page load. */
export function resetCanvasDrawn(): void {
  marked = false;
}
