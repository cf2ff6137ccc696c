import { describe, expect, it } from "vitest";
import { all, createApi, data } from "./client";
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
});
