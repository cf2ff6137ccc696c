import { describe, expect, it } from "vitest";
import { href, parseRoute } from "./route";

describe("parseRoute", () => {
  it("takes an empty or unknown hash for the canvas", () => {
    expect(parseRoute("").page).toBe("canvas");
    expect(parseRoute("#/").page).toBe("canvas");
    expect(parseRoute("#/nowhere/x").page).toBe("canvas");
    expect(parseRoute("#/nowhere/x").id).toBeUndefined();
  });

  it("reads a list's page and query", () => {
    const r = parseRoute("#/processes?state=RUNNING&state=FAILED&sort=-createdAt");
    expect(r.page).toBe("processes");
    expect(r.query.getAll("state")).toEqual(["RUNNING", "FAILED"]);
    expect(r.query.get("sort")).toBe("-createdAt");
  });

  it("reads the process of a log page", () => {
    expect(parseRoute("#/logs/65f0c0de1a2b3c4d5e6f7a8b?q=error")).toMatchObject({ page: "logs", id: "65f0c0de1a2b3c4d5e6f7a8b" });
  });

  it("keeps a malformed escape as it is instead of failing", () => {
    expect(parseRoute("#/logs/%E0%A4%A").id).toBe("%E0%A4%A");
  });
});

describe("href", () => {
  it("is the inverse of parseRoute", () => {
    const to = href("logs", { id: "a b", query: { q: "x&y" } });
    const r = parseRoute(to);
    expect(r).toMatchObject({ page: "logs", id: "a b" });
    expect(r.query.get("q")).toBe("x&y");
    expect(href("canvas")).toBe("#/");
    expect(href("canvas", { query: { user: "u1" } })).toBe("#/?user=u1");
  });
});
