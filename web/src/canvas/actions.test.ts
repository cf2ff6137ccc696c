import { describe, expect, it } from "vitest";
import { createApi } from "../api/client";
import { ApiError } from "../api/problem";
import { connection } from "../test/fixtures";
import {
  connect, connectionMessage, createProcess, deleteConnection, latestChange, terminateProcess,
  updateProcess, type PendingChange,
} from "./actions";

function json(status: number, body: unknown, type = "application/json"): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": type } });
}

function client(answer: (r: Request) => Response) {
  const requests: { method: string; url: string; body: string }[] = [];
  const api = createApi({
    baseUrl: "http://o.test",
    fetch: async (r) => {
      requests.push({ method: r.method, url: r.url, body: await r.clone().text() });
      return answer(r);
    },
    token: () => "t",
    onUnauthorized: () => {},
  });
  return { api, requests };
}

const change: PendingChange = {
  id: "pc1", kind: "DELETE_CONNECTION", connectionId: "c1", userId: "u1", state: "RUNNING", attempts: 2, maxAttempts: 10,
  lastError: "unreachable", createdAt: "x", updatedAt: "x", notBefore: "x",
};

describe("connect", () => {
  const from = { processId: "a", interfaceId: "meter/power", versionName: "1" };
  const to = { processId: "b", interfaceId: "logger/power", versionName: "2" };

  it("posts both ends and no versions when none were picked", async () => {
    const made = connection("c1", ["a", "meter/power", "1"], ["b", "logger/power", "2"]);
    const c = client(() => json(201, made));
    expect(await connect(c.api, from, to)).toEqual(made);
    expect(c.requests[0]?.method).toBe("POST");
    expect(c.requests[0]?.url).toBe("http://o.test/connection");
    expect(JSON.parse(c.requests[0]!.body)).toEqual({
      endpoint1: { processId: "a", interfaceId: "meter/power" },
      endpoint2: { processId: "b", interfaceId: "logger/power" },
    });
  });

  it("posts the picked versions, endpoint 1's being the dragged port's", async () => {
    const c = client(() => json(201, connection("c1", ["a", "meter/power", "1"], ["b", "logger/power", "2"])));
    await connect(c.api, from, to, { from: "1", to: "2" });
    expect(JSON.parse(c.requests[0]!.body).interfaceVersions).toEqual({ endpoint1: "1", endpoint2: "2" });
  });

  it("throws the problem's reason", async () => {
    const c = client(() => json(409, { title: "Conflict", status: 409, detail: "connection c0 already connects them" },
      "application/problem+json"));
    const e = await connect(c.api, from, to).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).message).toBe("Conflict: connection c0 already connects them");
  });
});

describe("removals", () => {
  it("is done on 204", async () => {
    const c = client(() => new Response(null, { status: 204 }));
    expect(await terminateProcess(c.api, "p1")).toEqual({ done: true });
    expect(c.requests[0]).toMatchObject({ method: "DELETE", url: "http://o.test/process/p1" });
  });

  it("goes on as a pending change on 202", async () => {
    const c = client(() => json(202, change));
    expect(await deleteConnection(c.api, "c1")).toEqual({ done: false, change });
    expect(c.requests[0]).toMatchObject({ method: "DELETE", url: "http://o.test/connection/c1" });
  });

  it("throws the problem's reason on a refusal", async () => {
    const c = client(() => json(404, { title: "Not Found", detail: "no process p9" }, "application/problem+json"));
    await expect(terminateProcess(c.api, "p9")).rejects.toThrow("Not Found: no process p9");
  });
});

describe("messages", () => {
  it("says how a new connection came out", () => {
    const c = connection("c1", ["a", "i", "1"], ["b", "j", "2"]);
    expect(connectionMessage(c)).toBe("Connected (versions 1 and 2).");
    expect(connectionMessage({ ...c, state: "STARTING" })).toMatch(/^Connection made \(versions 1 and 2\); it is starting/);
    expect(connectionMessage({ ...c, state: "FAILED", reason: "refused" })).toBe("The connection was made but failed: refused");
    expect(connectionMessage({ ...c, state: "SUSPENDED" })).toBe("Connection made (versions 1 and 2); it is suspended.");
  });
});

describe("createProcess", () => {
  it("posts the new process and answers the process", async () => {
    const c = client(() => json(201, { id: "a1", name: "m" }));
    const made = await createProcess(c.api, { serviceId: "power-meter", name: "m", configuration: { count: "3" }, nodePoolId: "p1" });
    expect(made).toMatchObject({ id: "a1" });
    expect(c.requests[0]).toMatchObject({ method: "POST", url: "http://o.test/process" });
    expect(JSON.parse(c.requests[0]!.body)).toEqual({ serviceId: "power-meter", name: "m", configuration: { count: "3" }, nodePoolId: "p1" });
  });

  it("throws the problem with its detail, for the form to put beside its field", async () => {
    const problem = { type: "urn:defpi:problem:unprocessable", title: "Unprocessable request", status: 422,
      detail: "configuration does not fit m:1: parameter 'count' is 'x', not a integer", instance: "/process" };
    const c = client(() => json(422, problem, "application/problem+json"));
    const e = await createProcess(c.api, { serviceId: "m" }).catch((x: unknown) => x);
    expect((e as ApiError).problem?.detail).toBe(problem.detail);
  });
});

describe("updateProcess", () => {
  it("puts the update and answers the process (200)", async () => {
    const c = client(() => json(200, { id: "a1", version: "2" }));
    expect(await updateProcess(c.api, "a1", { version: "2" })).toEqual({ process: { id: "a1", version: "2" } });
    expect(c.requests[0]).toMatchObject({ method: "PUT", url: "http://o.test/process/a1" });
    expect(JSON.parse(c.requests[0]!.body)).toEqual({ version: "2" });
  });

  it("takes a pending change still going (202)", async () => {
    const c = client(() => json(202, change));
    expect(await updateProcess(c.api, "a1", { nodePoolId: "p1" })).toEqual({ change });
  });
});

describe("latestChange", () => {
  it("asks for the newest change of the kind for the process", async () => {
    const c = client(() => json(200, [change]));
    expect(await latestChange(c.api, "a1", "MOVE_PROCESS")).toEqual(change);
    const url = new URL(c.requests[0]!.url);
    expect(url.pathname).toBe("/pendingchange");
    expect(Object.fromEntries(url.searchParams)).toEqual({ processId: "a1", kind: "MOVE_PROCESS", sort: "-createdAt", limit: "1" });
  });

  it("is undefined when there is none or it cannot be read", async () => {
    expect(await latestChange(client(() => json(200, [])).api, "a1", "X")).toBeUndefined();
    expect(await latestChange(client(() => json(500, {})).api, "a1", "X")).toBeUndefined();
  });
});
