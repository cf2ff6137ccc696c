import { useLayoutEffect, useRef, type ReactNode } from "react";

/** The restore of a hiding not undone yet: one at a time. */
let pending: (() => void) | null = null;

/**
 * Hides the page's ResizeObserver until {@code restore} is called, or at the latest until the
 * current task's microtasks run; answers the restore (which does nothing once done). While one is
 * hidden, another hiding does nothing.
 */
export function hideResizeObserver(scope: { ResizeObserver?: typeof ResizeObserver } = globalThis): () => void {
  const original = scope.ResizeObserver;
  if (original === undefined || pending !== null) {
    return () => {};
  }
  delete scope.ResizeObserver;
  let done = false;
  const restore = () => {
    if (!done) {
      done = true;
      pending = null;
      scope.ResizeObserver = original;
    }
  };
  pending = restore;
  // a draw that React drops (and so never commits) must not leave the page without it
  queueMicrotask(restore);
  return restore;
}

/**
 * React Flow's boxes drawn as declared, not measured: React Flow makes one ResizeObserver for all
 * its nodes when its node renderer is first drawn, and on its first report about each node measures
 * the node and every dot in it, then has every node drawn again (500 boxes: 4500 elements measured,
 * some 100 ms, in the frame that first shows them; and again for each box that comes into view on a
 * zoom out). Without a ResizeObserver (as when drawn on a server) it takes the nodes' declared
 * size and dots, which the process boxes always have (box.ts: their geometry is fixed). So the
 * page's ResizeObserver is hidden while React Flow is first drawn under this component, and is back
 * before anything else runs: React Flow's own observer of the canvas's size is made after that.
 */
export function Unobserved({ children }: { children: ReactNode }) {
  const mounted = useRef(false);
  if (!mounted.current) {
    hideResizeObserver();
  }
  // a layout effect: before React Flow's passive effects (the canvas's size observer); whichever
  // draw hid it (React may draw a component twice before it mounts)
  useLayoutEffect(() => {
    mounted.current = true;
    pending?.();
  }, []);
  return children;
}
