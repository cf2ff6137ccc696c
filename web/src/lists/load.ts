import { data, type ApiEvent } from "../api/client";

/** One page of a list, and how many items match in all (the API's `X-Total-Count`). */
export interface ListPage<T> {
  items: T[];
  total: number;
}

/**
 * A list call's page: its items and `X-Total-Count`; a refusal throws the ApiError {@link data}
 * gives. Without the header (a proxy dropped it) the total is what can be known: the items up to here.
 */
export async function listPage<T>(call: Promise<{ data?: T[]; error?: unknown; response: Response }>,
    offset: number): Promise<ListPage<T>> {
  let header: string | null = null;
  const items = await data(call.then((answer) => {
    header = answer.response.headers.get("X-Total-Count");
    return answer;
  }));
  const list = items ?? [];
  const total = header !== null && /^\d+$/.test(header) ? Number(header) : offset + list.length;
  return { items: list, total };
}

/** Whether an event changes what a list shows: its subject, and the user it is limited to (if any). */
export function concerns(event: Pick<ApiEvent, "subject" | "userId">, subjects: readonly string[], userId?: string):
    boolean {
  return subjects.includes(event.subject) && (userId === undefined || event.userId === userId);
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const TIMERS: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Runs {@code fn} once, {@code ms} after the first of a burst of calls: a list reloads once for
 * the dozen events of one change, and at least every {@code ms} while events keep coming (a
 * trailing debounce would wait for a quiet moment that a busy orchestrator may never have).
 */
export function coalesce(fn: () => void, ms: number, timers: Timers = TIMERS): { call(): void; cancel(): void } {
  let handle: unknown = undefined;
  let pending = false;
  return {
    call() {
      if (pending) {
        return;
      }
      pending = true;
      handle = timers.set(() => {
        pending = false;
        fn();
      }, ms);
    },
    cancel() {
      if (pending) {
        timers.clear(handle);
        pending = false;
      }
    },
  };
}
