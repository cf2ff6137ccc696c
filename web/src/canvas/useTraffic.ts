import { useEffect, useRef, useState } from "react";
import { data, type Api, type Connection } from "../api/client";
import { ApiError } from "../api/problem";
import { noLayoutRoute as noRoute } from "./positions";
import { lineTraffic, type LineTraffic } from "./traffic";

/** How often the canvas asks for the traffic (the processes report every 2 s, at most). */
export const TRAFFIC_POLL_MS = 2000;

const NONE: ReadonlyMap<string, LineTraffic> = new Map();

/**
 * The traffic of the shown user's connections, polled from GET /traffic every 2 s while the page is
 * visible and the canvas shown: hidden, it stops; visible again, it asks at once. The map is the very
 * same while nothing changed ({@link lineTraffic}), so the canvas redraws only lines whose traffic
 * changed. An orchestrator without the route (404 "no route") is not asked again; a failed poll
 * keeps what was shown and tries again at the next tick.
 */
export function useTraffic(api: Api, userId: string, connections: ReadonlyMap<string, Connection>):
    ReadonlyMap<string, LineTraffic> {
  const [traffic, setTraffic] = useState<ReadonlyMap<string, LineTraffic>>(NONE);
  // read at each answer, so a change of the connections alone recomputes nothing (drops "growing" are per poll)
  const current = useRef(connections);
  current.current = connections;

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight: AbortController | undefined;
    const schedule = () => {
      if (!stopped && !document.hidden && timer === undefined && inFlight === undefined) {
        timer = setTimeout(poll, TRAFFIC_POLL_MS);
      }
    };
    const poll = async () => {
      timer = undefined;
      if (stopped || document.hidden) {
        return;
      }
      const controller = new AbortController();
      inFlight = controller;
      try {
        const list = await data(api.GET("/traffic", { params: { query: { userId } }, signal: controller.signal }));
        if (!stopped) {
          setTraffic((before) => lineTraffic(list, current.current, before));
        }
      } catch (e) {
        if (e instanceof ApiError && noRoute(e.status, e.problem?.detail)) {
          stopped = true; // an orchestrator from before traffic reports: nothing to show, ever
        }
      } finally {
        inFlight = undefined;
      }
      schedule();
    };
    const visibility = () => {
      if (document.hidden) {
        clearTimeout(timer);
        timer = undefined;
      } else if (timer === undefined && inFlight === undefined && !stopped) {
        void poll();
      }
    };
    document.addEventListener("visibilitychange", visibility);
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
      inFlight?.abort();
      document.removeEventListener("visibilitychange", visibility);
    };
  }, [api, userId]);

  return traffic;
}
