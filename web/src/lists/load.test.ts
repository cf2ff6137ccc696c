import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createApi } from "../api/client";
import { coalesce, concerns, listPage } from "./load";

function answer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const type = status >= 400 ? "application/problem+json" : "application/json";
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": type, ...headers } });
}

function client(reply: (r: Request) => Response) {
  const urls: string[] = [];
  const api = createApi({
    baseUrl: "http://o.test",
    fetch: async (r) => {
      urls.push(r.url);
      return reply(r);
    },
    token: () => "t",
    onUnauthorized: () => {},
  });
  return { api, urls };
}

describe("listPage", () => {
  it("gives the items and X-Total-Count, and sends the query as the API takes it", async () => {
    const c = client(() => answer(200, [{ id: "a", name: "local" }], { "X-Total-Count": "1234" }));
    const page = await listPage(c.api.GET("/nodepool", { params: { query: { offset: 100, limit: 50, sort: "-name" } } }), 100);
    expect(page).toEqual({ items: [{ id: "a", name: "local" }], total: 1234 });
    expect(c.urls[0]).toBe("http://o.test/nodepool?offset=100&limit=50&sort=-name");
  });

  it("repeats a filter for each of its values", async () => {
    const c = client(() => answer(200, [], { "X-Total-Count": "0" }));
    await listPage(c.api.GET("/process", { params: { query: { state: ["RUNNING", "FAILED"], userId: ["u1"] } } }), 0);
    expect(c.urls[0]).toBe("http://o.test/process?state=RUNNING&state=FAILED&userId=u1");
  });

  it("counts what it has when the header is missing", async () => {
    const c = client(() => answer(200, [{ id: "a", name: "x" }, { id: "b", name: "y" }]));
    expect((await listPage(c.api.GET("/nodepool"), 40)).total).toBe(42);
  });

  it("throws the problem's reason", async () => {
    const c = client(() => answer(400, { title: "Bad request",
      detail: "query parameter 'userId' is not known here; use offset, limit, sort or a filter on one of: state" }));
    await expect(listPage(c.api.GET("/connection", { params: { query: { userId: ["u1"] } } }), 0)).rejects
      .toThrow("Bad request: query parameter 'userId' is not known here");
  });
});

describe("concerns", () => {
  const event = { subject: "process" as const, userId: "u1" };

  it("takes events of the list's subjects, of its user when it has one", () => {
    expect(concerns(event, ["process"])).toBe(true);
    expect(concerns(event, ["connection", "pendingchange"])).toBe(false);
    expect(concerns(event, ["process"], "u1")).toBe(true);
    expect(concerns(event, ["process"], "u2")).toBe(false);
  });
});

describe("coalesce", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs once for a burst, 300 ms after its first call", () => {
    const fn = vi.fn();
    const c = coalesce(fn, 300);
    c.call();
    vi.advanceTimersByTime(200);
    c.call();
    c.call();
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it("keeps running every 300 ms while calls keep coming (a debounce would starve)", () => {
    const fn = vi.fn();
    const c = coalesce(fn, 300);
    for (let t = 0; t < 1000; t += 50) {
      c.call();
      vi.advanceTimersByTime(50);
    }
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it("runs nothing once cancelled", () => {
    const fn = vi.fn();
    const c = coalesce(fn, 300);
    c.call();
    c.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).not.toHaveBeenCalled();
    c.call();
    vi.advanceTimersByTime(300);
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
