import { describe, expect, it } from "vitest";
import { enumOptions, optionKey, withCurrent } from "./options";

describe("filter options", () => {
  const states = enumOptions("Any state", ["RUNNING", "FAILED"]);

  it("offers any, then each value in words", () => {
    expect(states).toEqual([
      { label: "Any state", values: [] }, { label: "running", values: ["RUNNING"] }, { label: "failed", values: ["FAILED"] },
    ]);
  });

  it("matches values in any order", () => {
    expect(optionKey(["RUNNING", "FAILED"])).toBe(optionKey(["FAILED", "RUNNING"]));
    expect(optionKey([])).toBe("");
  });

  it("adds the route's combination when no option has it", () => {
    expect(withCurrent(states, ["FAILED"])).toHaveLength(3);
    expect(withCurrent(states, [])).toHaveLength(3);
    expect(withCurrent(states, ["RUNNING", "FAILED"]).at(-1)).toEqual({ label: "running or failed", values: ["RUNNING", "FAILED"] });
  });
});
