import { describe, expect, it } from "vitest";
import type { ApiEvent } from "./client";
import { createApi } from "./client";
import { followEvents } from "./events";

/** A response whose body is the given chunks, then its end. */
function stream(...chunks: string[]): Response {
  const bytes = new TextEncoder();
  return new Response(new ReadableStream<Uint8Array>({
    start(controller) {
      chunks.forEach((c) => controller.enqueue(bytes.encode(c)));
      controller.close();
    },
  }), { status: 200, headers: { "Content-Type": "text/event-stream" } });
}

function event(seq: number, subject: ApiEvent["subject"], state: string): string {
  const data: ApiEvent = { seq, at: "2026-01-01T00:00:00.000000Z", subject, action: "changed", id: `id${seq}`,
    userId: "u", state };
  return `event: ${subject}\nid: run-${seq}\ndata: ${JSON.stringify(data)}\n\n`;
}

describe("followEvents", () => {
  it("follows the stream, resumes after a drop with Last-Event-ID, and after a reset without", async () => {
    const answers = [
      // the first stream: ready, two events, a keep-alive, then it drops
      () => stream('event: ready\nid: run-0\ndata: {"seq":0}\n\n', event(1, "process", "RUNNING"),
        ": keep-alive\n\n", event(2, "connection", "ACTIVE").slice(0, 30), event(2, "connection", "ACTIVE").slice(30)),
      // resumed: the orchestrator no longer knows run-2
      () => stream('event: reset\ndata: {"reason":"reload"}\n\n'),
      // afresh
      () => stream('event: ready\nid: run-9\ndata: {"seq":9}\n\n', event(10, "pendingchange", "DONE")),
    ];
    const requests: Request[] = [];
    const seen: string[] = [];
    const abort = new AbortController();
    const api = createApi({
      baseUrl: "http://orchestrator.test",
      fetch: async (r) => {
        requests.push(r);
        const answer = answers.shift();
        if (!answer) {
          abort.abort();
          throw new DOMException("aborted", "AbortError");
        }
        return answer();
      },
      token: () => "dpt_t",
      onUnauthorized: () => seen.push("unauthorized"),
    });

    await followEvents(api, {
      ready: () => seen.push("ready"),
      change: (e) => seen.push(`${e.subject} ${e.id} ${e.state}`),
      down: (why) => seen.push(`down: ${why}`),
    }, abort.signal, { firstMs: 1, maxMs: 1 });

    expect(seen).toEqual([
      "ready", "process id1 RUNNING", "connection id2 ACTIVE", "down: the event stream ended; reconnecting",
      "ready", "pendingchange id10 DONE", "down: the event stream ended; reconnecting",
    ]);
    expect(requests.map((r) => r.url)).toEqual(Array(4).fill("http://orchestrator.test/events"));
    expect(requests.map((r) => r.headers.get("Last-Event-ID"))).toEqual([null, "run-2", null, "run-10"]);
    // the token goes in the header, never in the URL
    expect(requests.every((r) => r.headers.get("Authorization") === "Bearer dpt_t")).toBe(true);
  });

  it("stops at a 401: the session is over", async () => {
    let calls = 0;
    let unauthorized = 0;
    const api = createApi({
      baseUrl: "http://orchestrator.test",
      fetch: async () => {
        calls++;
        return new Response(JSON.stringify({ title: "Unauthorized", detail: "log in" }), {
          status: 401, headers: { "Content-Type": "application/problem+json" } });
      },
      token: () => "dpt_old",
      onUnauthorized: () => unauthorized++,
    });
    await followEvents(api, { ready: () => {}, change: () => {}, down: () => {} }, new AbortController().signal,
      { firstMs: 1, maxMs: 1 });
    expect(calls).toBe(1);
    expect(unauthorized).toBe(1);
  });

  it("tries again after an error answer, waiting longer each time", async () => {
    const downs: string[] = [];
    const abort = new AbortController();
    const started: number[] = [];
    const api = createApi({
      baseUrl: "http://orchestrator.test",
      fetch: async () => {
        started.push(Date.now());
        if (started.length === 3) {
          abort.abort();
        }
        return new Response("busy", { status: 503 });
      },
      token: () => "t",
      onUnauthorized: () => {},
    });
    await followEvents(api, { ready: () => {}, change: () => {}, down: (m) => downs.push(m) }, abort.signal,
      { firstMs: 20, maxMs: 1000 });
    expect(downs.slice(0, 2)).toEqual(["the event stream answered 503", "the event stream answered 503"]);
    const [a = 0, b = 0, c = 0] = started;
    expect(b - a).toBeGreaterThanOrEqual(15);
    expect(c - b).toBeGreaterThanOrEqual(35);
  });
});
