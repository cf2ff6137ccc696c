import { describe, expect, it } from "vitest";
import { all, createApi, data, totalOf } from "./client";
import { ApiError } from "./problem";

const BASE = "http://orchestrator.test";

function json(status: number, body: unknown, type = "application/json"): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": type } });
}

/** A client whose fetch answers with {@code answer} and records the requests. */
function client(answer: (r: Request) => Response | Promise<Response>, token: string | null = "dpt_abc") {
  const requests: Request[] = [];
  let unauthorized = 0;
  const api = createApi({
    baseUrl: BASE,
    fetch: async (r) => {
      requests.push(r);
      return answer(r);
    },
    token: () => token,
    onUnauthorized: () => unauthorized++,
  });
  return { api, requests, unauthorized: () => unauthorized };
}

describe("createApi", () => {
  it("sends the session's token as a bearer token", async () => {
    const c = client(() => json(200, { id: "u", name: "alice", role: "user", createdAt: "x" }));
    expect((await data(c.api.GET("/user/me"))).name).toBe("alice");
    expect(c.requests[0]?.headers.get("Authorization")).toBe("Bearer dpt_abc");
    expect(c.requests[0]?.url).toBe(`${BASE}/user/me`);
  });

  it("sends no Authorization without a session", async () => {
    const c = client(() => json(200, { status: "UP" }), null);
    await data(c.api.GET("/health"));
    expect(c.requests[0]?.headers.has("Authorization")).toBe(false);
  });

  it("ends the session on a 401, and gives the problem's reason", async () => {
    const c = client(() => json(401, { type: "urn:defpi:problem:unauthorized", title: "Unauthorized", status: 401,
      detail: "the token expired or was revoked; log in again", instance: "/process" }, "application/problem+json"));
    const refused = data(c.api.GET("/process"));
    await expect(refused).rejects.toThrow("Unauthorized: the token expired or was revoked; log in again");
    await expect(refused).rejects.toMatchObject({ status: 401 });
    expect(c.unauthorized()).toBe(1);
  });

  it("does not end the session when a login is refused: that is the form's answer", async () => {
    const c = client(() => json(401, { title: "Unauthorized", detail: "wrong name or password" },
      "application/problem+json"), null);
    await expect(data(c.api.POST("/login", { body: { name: "a", password: "b" } }))).rejects.toThrow(
      "Unauthorized: wrong name or password");
    expect(c.unauthorized()).toBe(0);
  });

  it("turns a failed fetch into 'cannot reach'", async () => {
    const c = client(() => {
      throw new TypeError("Failed to fetch");
    });
    const e = await data(c.api.GET("/health")).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 0, message: "Cannot reach the orchestrator: Failed to fetch." });
  });
});

describe("all", () => {
  it("reads page after page until one is short", async () => {
    const asked: Array<[number, number]> = [];
    const items = await all(async (offset, limit) => {
      asked.push([offset, limit]);
      return Array.from({ length: Math.max(0, Math.min(limit, 2500 - offset)) }, (_, i) => offset + i);
    });
    expect(items).toHaveLength(2500);
    expect(asked).toEqual([[0, 1000], [1000, 1000], [2000, 1000]]);
  });

  /** A list route over {@code size} numbers that says its total (X-Total-Count), as the API does. */
  function numbers(size: number | (() => number), asked: Array<[number, number]>, counted = true) {
    const c = client((r) => {
      const n = typeof size === "number" ? size : size();
      const u = new URL(r.url);
      const offset = Number(u.searchParams.get("offset"));
      const limit = Number(u.searchParams.get("limit"));
      asked.push([offset, limit]);
      const body = Array.from({ length: Math.max(0, Math.min(limit, n - offset)) }, (_, i) => offset + i);
      return new Response(JSON.stringify(body), { status: 200, headers: {
        "Content-Type": "application/json", ...(counted ? { "X-Total-Count": String(n) } : {}) } });
    });
    return (offset: number, limit: number) =>
      data(c.api.GET("/process", { params: { query: { offset, limit } } })) as unknown as Promise<number[]>;
  }

  it("stops at a page exactly full when X-Total-Count says that was all: no round trip for an empty page", async () => {
    const asked: Array<[number, number]> = [];
    const items = await all(numbers(1000, asked));
    expect(items).toHaveLength(1000);
    expect(asked).toEqual([[0, 1000]]);
  });

  it("asks for the pages after the first at once, up to the total", async () => {
    const asked: Array<[number, number]> = [];
    const items = await all(numbers(3000, asked));
    expect(items).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(asked).toEqual([[0, 1000], [1000, 1000], [2000, 1000]]);
  });

  it("has the pages after the first under way together", async () => {
    const page = numbers(2500, []);
    let running = 0;
    let most = 0;
    await all(async (offset, limit) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      try {
        return await page(offset, limit);
      } finally {
        running--;
      }
    });
    expect(most).toBe(2);
  });

  it("reads on while the last page is full and the list has grown past it", async () => {
    const asked: Array<[number, number]> = [];
    let size = 2000;
    const page = numbers(() => size, asked);
    const items = await all(async (offset, limit) => {
      const list = await page(offset, limit);
      size = 2500; // items added once the first page was read
      return list;
    });
    expect(items).toEqual(Array.from({ length: 2500 }, (_, i) => i));
    expect(asked).toEqual([[0, 1000], [1000, 1000], [2000, 1000]]);
  });

  it("reads one page after the other when the answer has no total", async () => {
    const asked: Array<[number, number]> = [];
    expect(await all(numbers(1000, asked, false))).toHaveLength(1000);
    expect(asked).toEqual([[0, 1000], [1000, 1000]]);
  });

  it("keeps a list's X-Total-Count with the very array data gives", async () => {
    const list = await numbers(1234, [])(0, 10);
    expect(list).toHaveLength(10);
    expect(totalOf(list)).toBe(1234);
    expect(totalOf([1, 2])).toBeUndefined();
  });
});
