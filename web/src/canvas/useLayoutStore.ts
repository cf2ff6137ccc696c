import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Api } from "../api/client";
import { ApiError, apiError } from "../api/problem";
import type { Point } from "./layout";
import { afterSave, debounce, fromLayout, noLayoutRoute, positionsToSave } from "./positions";

/** How long the first layout waits for the kept positions before it goes on without them. */
const WAIT_MS = 4000;
/** How long after the last move (a drag's end) positions are written. */
const SAVE_AFTER_MS = 500;

export interface LayoutStore {
  /** The positions kept for the user's view of this environment; null until read (or given up on). */
  saved: ReadonlyMap<string, Point> | null;
  /** The boxes as they are now: those that moved are written a moment after the last change. */
  changed(nodes: readonly { id: string; position: Point; dragging?: boolean }[]): void;
}

/**
 * Where the user placed this environment's boxes, read once (GET /user/me/layout?userId=…) and
 * written back (PUT /user/me/layout) 500 ms after the boxes stop moving. An orchestrator without the
 * routes (404 "no route"), or one that fails, leaves the canvas to lay boxes out itself.
 */
export function useLayoutStore(api: Api, userId: string): LayoutStore {
  const [saved, setSaved] = useState<ReadonlyMap<string, Point> | null>(null);
  // what the orchestrator has, as far as this page knows; null: nothing is written (not read yet, or no routes)
  const server = useRef<Map<string, Point> | null>(null);
  const latest = useRef<readonly { id: string; position: Point; dragging?: boolean }[]>([]);

  useEffect(() => {
    let current = true;
    // the canvas goes on without them after a while; positions that come later still move the boxes
    const timer = setTimeout(() => current && setSaved((s) => s ?? new Map()), WAIT_MS);
    api.GET("/user/me/layout", { params: { query: { userId: [userId] } } }).then(({ data, error, response }) => {
      if (!current) {
        return;
      }
      if (response.ok && data) {
        const positions = fromLayout(data);
        server.current = new Map(positions);
        setSaved(positions);
        return;
      }
      if (!noLayoutRoute(response.status, (error as { detail?: string } | undefined)?.detail)) {
        server.current = new Map(); // refused or failed for now: what moves is written
      }
      setSaved((s) => s ?? new Map());
    }, () => {
      if (current) {
        server.current = new Map();
        setSaved((s) => s ?? new Map());
      }
    });
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, userId]);

  const save = useMemo(() => debounce(() => {
    const known = server.current;
    if (!known) {
      return;
    }
    const positions = positionsToSave(latest.current, known);
    if (positions.length === 0) {
      return;
    }
    // taken as written at once: a refusal is not tried again on each drag (a box moved later is)
    server.current = afterSave(known, positions);
    api.PUT("/user/me/layout", { body: { positions } }).then(({ error, response }) => {
      if (noLayoutRoute(response.status, (error as { detail?: string } | undefined)?.detail)) {
        server.current = null;
      } else if (!response.ok && response.status !== 401) {
        console.warn(`Positions not kept: ${apiError(response.status, error).message}`);
      }
    }, (e: unknown) => {
      if (!(e instanceof ApiError) && server.current) {
        server.current = new Map(known); // not reached: written again with the next move
      }
    });
  }, SAVE_AFTER_MS), [api]);

  // leaving the canvas writes what waits
  useEffect(() => () => save.flush(), [save]);

  const changed = useCallback((nodes: readonly { id: string; position: Point; dragging?: boolean }[]) => {
    latest.current = nodes;
    save.call();
  }, [save]);

  return { saved, changed };
}
