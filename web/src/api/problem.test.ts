import { describe, expect, it } from "vitest";
import { apiError, problemMessage, unreachable } from "./problem";

describe("problemMessage", () => {
  it("gives the problem's title and the orchestrator's reason", () => {
    expect(problemMessage(409, {
      type: "urn:defpi:problem:conflict", title: "Conflict", status: 409,
      detail: "interface 'meter/power' of process 65f0 takes one connection and has one", instance: "/connection",
    })).toBe("Conflict: interface 'meter/power' of process 65f0 takes one connection and has one");
  });

  it("does not repeat a title the detail starts with", () => {
    expect(problemMessage(404, { title: "Not found", detail: "Not found: no such process" }))
      .toBe("Not found: no such process");
  });

  it("makes do with a title or a detail alone", () => {
    expect(problemMessage(401, { title: "Unauthorized" })).toBe("Unauthorized");
    expect(problemMessage(401, { detail: "wrong name or password" })).toBe("wrong name or password");
  });

  it("names the status when the answer is not a problem (a proxy's page, nothing)", () => {
    expect(problemMessage(502, "<html>Bad gateway</html>")).toBe("The orchestrator answered 502 (Bad Gateway).");
    expect(problemMessage(418, undefined)).toBe("The orchestrator answered 418.");
    expect(problemMessage(500, { title: "", detail: "  " })).toBe("The orchestrator answered 500 (Internal Server Error).");
  });
});

describe("apiError and unreachable", () => {
  it("keeps the status and the problem for the caller", () => {
    const problem = { title: "Unprocessable", status: 422, detail: "service 'x' does not exist" };
    const e = apiError(422, problem);
    expect(e.status).toBe(422);
    expect(e.problem).toEqual(problem);
    expect(e.message).toBe("Unprocessable: service 'x' does not exist");
    expect(apiError(502, "gateway").problem).toBeUndefined();
  });

  it("says the orchestrator could not be reached, with status 0", () => {
    const e = unreachable(new TypeError("Failed to fetch"));
    expect(e.status).toBe(0);
    expect(e.message).toBe("Cannot reach the orchestrator: Failed to fetch.");
    expect(unreachable("??").message).toBe("Cannot reach the orchestrator.");
  });
});
