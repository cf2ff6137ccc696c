import { describe, expect, it } from "vitest";
import { createApi } from "../api/client";
import { ApiError } from "../api/problem";
import { followLog } from "./follow";

function client(answer: () => Response) {
  const requests: Request[] = [];
  const api = createApi({
    baseUrl: "http://o.test",
    fetch: async (r) => {
      requests.push(r);
      return answer();
    },
    token: () => "dpt_secret",
    onUnauthorized: () => {},
  });
  return { api, requests };
}

describe("followLog", () => {
  it("asks with the token in the Authorization header, and gives the text as it comes, a split character whole", async () => {
    const bytes = new TextEncoder().encode("line 1\nwatt: 5 €\n");
    const euro = bytes.indexOf(0xe2);
    const c = client(() => new Response(new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, euro + 1));
        controller.enqueue(bytes.slice(euro + 1));
        controller.close();
      },
    }), { status: 200, headers: { "Content-Type": "text/plain; charset=utf-8" } }));
    const chunks: string[] = [];
    await followLog(c.api, "a1", (t) => chunks.push(t), new AbortController().signal);
    expect(chunks.join("")).toBe("line 1\nwatt: 5 €\n");
    const r = c.requests[0]!;
    expect(r.headers.get("Authorization")).toBe("Bearer dpt_secret");
    const url = new URL(r.url);
    expect(url.pathname).toBe("/process/a1/log");
    expect(Object.fromEntries(url.searchParams)).toEqual({ follow: "true", tail: "1000" });
    expect(url.search).not.toContain("secret");
  });

  it("throws the problem of a refusal", async () => {
    const c = client(() => new Response(JSON.stringify({ title: "Not found", status: 404, detail: "no process a1" }),
      { status: 404, headers: { "Content-Type": "application/problem+json" } }));
    const e = await followLog(c.api, "a1", () => {}, new AbortController().signal).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(404);
    expect((e as ApiError).message).toBe("Not found: no process a1");
  });
});
