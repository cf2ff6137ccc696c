import type { Api, ApiEvent } from "./client";
import { SseParser, type SseEvent } from "./sse";

export interface EventHandlers {
  /** The stream listens: every change after this is on it. Load (or reload) the lists now. */
  ready(): void;
  /** A process, connection or pending change changed. */
  change(event: ApiEvent): void;
  /** The stream is down and will be tried again; the message says why. */
  down(message: string): void;
}

/** How long to wait before reconnecting after a drop: doubling from first to max. */
export interface Retry {
  firstMs: number;
  maxMs: number;
}

const RETRY: Retry = { firstMs: 1_000, maxMs: 30_000 };

/**
 * Follows GET /events until {@code signal} aborts: reconnects after a drop with Last-Event-ID (the
 * orchestrator replays what was missed), and after a {@code reset} without one (the missed events
 * are gone: {@code ready} then reloads). A 401 ends it: the client's middleware has ended the session.
 */
export async function followEvents(api: Api, handlers: EventHandlers, signal: AbortSignal, retry: Retry = RETRY):
    Promise<void> {
  let lastEventId = "";
  let retryMs = retry.firstMs;
  while (!signal.aborted) {
    let reset = false;
    try {
      const { response } = await api.GET("/events", {
        params: { header: lastEventId ? { "Last-Event-ID": lastEventId } : {} },
        // exactly this, as EventSource sends it: the server (Javalin's SseHandler) streams only then,
        // and answers anything else, fetch's default "*/*" too, with an empty 200
        headers: { Accept: "text/event-stream" },
        parseAs: "stream",
        signal,
      });
      if (response.status === 401) {
        return;
      }
      if (!response.ok || !response.body) {
        throw new Error(`the event stream answered ${response.status}`);
      }
      const parser = new SseParser();
      await readText(response.body, (text) => {
        for (const event of parser.push(text)) {
          if (event.type === "reset") {
            reset = true;
          } else {
            lastEventId = event.lastEventId;
            if (event.type === "ready") {
              retryMs = retry.firstMs;
            }
            dispatch(event, handlers);
          }
        }
      });
      if (reset) {
        lastEventId = "";
        continue; // at once: the reload follows the next ready
      }
      handlers.down("the event stream ended; reconnecting");
    } catch (e) {
      if (signal.aborted) {
        return;
      }
      handlers.down(e instanceof Error ? e.message : String(e));
    }
    await sleep(retryMs, signal);
    retryMs = Math.min(retryMs * 2, retry.maxMs);
  }
}

function dispatch(event: SseEvent, handlers: EventHandlers): void {
  switch (event.type) {
    case "ready":
      handlers.ready();
      break;
    case "process":
    case "connection":
    case "pendingchange":
      handlers.change(JSON.parse(event.data) as ApiEvent);
      break;
    default:
      break; // an event type this UI does not know yet
  }
}

async function readText(body: ReadableStream<Uint8Array>, onText: (text: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder(); // UTF-8; a character split across chunks waits for its rest
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      return;
    }
    onText(decoder.decode(value, { stream: true }));
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
