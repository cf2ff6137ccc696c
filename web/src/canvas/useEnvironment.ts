import { useEffect, useRef, useState } from "react";
import { all, data, type Api, type ApiEvent } from "../api/client";
import { followEvents } from "../api/events";
import { applyEvent, EMPTY, loaded, withConnection, withProcess, without, type Environment, type Refetch } from "./environment";

export interface Live {
  env: Environment;
  /** Whether the lists have been read once (before that, an empty canvas means nothing). */
  loaded: boolean;
  /** Why the canvas may be behind (the stream is down, a read failed); null while it follows. */
  trouble: string | null;
}

/**
 * The user's processes and connections, kept up to date from GET /events: on each {@code ready} the
 * lists are read (events arriving meanwhile are applied after them), then each event applies at once
 * and its record is read again. {@code onEvent} is told each event of the environment (pending
 * changes too, which the canvas follows its actions by).
 */
export function useEnvironment(api: Api, userId: string, onEvent?: (event: ApiEvent) => void): Live {
  const [live, setLive] = useState<Live>({ env: EMPTY, loaded: false, trouble: null });
  // the latest callback, without following the stream anew when it changes
  const eventRef = useRef(onEvent);
  eventRef.current = onEvent;

  useEffect(() => {
    const abort = new AbortController();
    const signal = abort.signal;
    let env = EMPTY;
    const show = (next: Environment) => {
      env = next;
      setLive((l) => ({ ...l, env }));
    };
    const trouble = (e: unknown) => {
      if (!signal.aborted) {
        setLive((l) => ({ ...l, trouble: e instanceof Error ? e.message : String(e) }));
      }
    };
    // Events that came while the lists were being read: applied once they are in.
    let held: ApiEvent[] | null = null;
    // Per record, how many events came: a read that an event overtook is not applied, but done again.
    const seen = new Map<string, number>();
    const reading = new Set<string>();

    const reread = async (r: Refetch) => {
      const key = `${r.subject}/${r.id}`;
      if (reading.has(key)) {
        return; // the read under way sees the new event's count and reads again
      }
      reading.add(key);
      try {
        for (let again = true; again && !signal.aborted;) {
          const at = seen.get(key) ?? 0;
          const path = { params: { path: { id: r.id } }, signal };
          const answer = r.subject === "process"
            ? await api.GET("/process/{id}", path)
            : await api.GET("/connection/{id}", path);
          again = (seen.get(key) ?? 0) !== at;
          if (again || signal.aborted) {
            continue;
          }
          if (answer.response.status === 404) {
            show(without(env, r.subject, r.id));
          } else if (answer.data) {
            const record = answer.data;
            show("endpoint1" in record ? withConnection(env, record) : withProcess(env, record));
          }
        }
      } catch (e) {
        trouble(e);
      } finally {
        reading.delete(key);
      }
    };

    const apply = (event: ApiEvent) => {
      if (event.userId !== userId) {
        return; // an admin's stream has every user's events; the canvas shows one environment
      }
      if (event.subject !== "pendingchange") {
        const key = `${event.subject}/${event.id}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
      eventRef.current?.(event);
      const next = applyEvent(env, event);
      show(next.env);
      if (next.refetch) {
        void reread(next.refetch);
      }
    };

    const ready = async () => {
      held = [];
      try {
        const [processes, connections] = await Promise.all([
          all((offset, limit) => data(api.GET("/process", { params: { query: { offset, limit, userId: [userId] } }, signal }))),
          all((offset, limit) => data(api.GET("/connection", { params: { query: { offset, limit, userId: [userId] } }, signal }))),
        ]);
        env = loaded(processes, connections);
        setLive({ env, loaded: true, trouble: null });
      } catch (e) {
        trouble(e);
      }
      const events = held;
      held = null;
      events.forEach(apply);
    };

    void followEvents(api, {
      ready: () => void ready(),
      change: (event) => (held ? held.push(event) : apply(event)),
      down: (message) => trouble(`Not live: ${message}`),
    }, signal);
    return () => abort.abort();
  }, [api, userId]);

  return live;
}
