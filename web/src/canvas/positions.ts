import type { components } from "../generated/openapi";
import type { Point } from "./layout";

/**
 * Where the user placed the boxes, kept by the orchestrator per user (GET and PUT /user/me/layout):
 * read before the first layout, and the boxes that moved (dragged, dropped, laid out anew) written
 * back a moment after the last drag stops.
 */

export type Layout = components["schemas"]["Layout"];
export type Position = Layout["positions"][number];

/** The API takes coordinates within this. */
const LIMIT = 1_000_000;

/** The positions of a layout, by process. */
export function fromLayout(layout: Layout | undefined): Map<string, Point> {
  return new Map((layout?.positions ?? []).map((p) => [p.processId, { x: p.x, y: p.y }]));
}

/** A coordinate as it is kept: whole pixels, within what the API takes. */
function kept(v: number): number {
  return Math.max(-LIMIT, Math.min(LIMIT, Math.round(v)));
}

/**
 * What to write: each box whose position is not what the orchestrator has (as far as this page
 * knows), none while a box is being dragged (the drag's end writes it). O(boxes).
 */
export function positionsToSave(nodes: readonly { id: string; position: Point; dragging?: boolean }[],
    server: ReadonlyMap<string, Point>): Position[] {
  if (nodes.some((n) => n.dragging)) {
    return [];
  }
  const changed: Position[] = [];
  for (const n of nodes) {
    const x = kept(n.position.x);
    const y = kept(n.position.y);
    const s = server.get(n.id);
    if (!s || s.x !== x || s.y !== y) {
      changed.push({ processId: n.id, x, y });
    }
  }
  return changed;
}

/** The orchestrator's positions once {@code written} are kept. */
export function afterSave(server: ReadonlyMap<string, Point>, written: readonly Position[]): Map<string, Point> {
  const next = new Map(server);
  for (const p of written) {
    next.set(p.processId, { x: p.x, y: p.y });
  }
  return next;
}

/**
 * Whether a refusal of the layout routes means they are not there at all (an orchestrator from
 * before them answers "no route"): then positions are not written, rather than refused on each drag.
 */
export function noLayoutRoute(status: number, detail: string | undefined): boolean {
  return status === 404 && /^no route\b/.test(detail ?? "");
}

/**
 * Calls {@code f} once {@code ms} have passed without another {@link Debounced.call}; {@code flush}
 * calls it now if one is waiting (leaving the page), {@code cancel} drops it.
 */
export interface Debounced {
  call(): void;
  flush(): void;
  cancel(): void;
}

export function debounce(f: () => void, ms: number,
    timers: { set: (f: () => void, ms: number) => unknown; clear: (t: unknown) => void } = {
      set: (g, t) => setTimeout(g, t),
      clear: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
    }): Debounced {
  let timer: unknown = null;
  const run = () => {
    timer = null;
    f();
  };
  return {
    call() {
      if (timer !== null) {
        timers.clear(timer);
      }
      timer = timers.set(run, ms);
    },
    flush() {
      if (timer !== null) {
        timers.clear(timer);
        run();
      }
    },
    cancel() {
      if (timer !== null) {
        timers.clear(timer);
        timer = null;
      }
    },
  };
}
