import { describe, expect, it } from "vitest";
import { allowedValues, parameterType } from "./services";

describe("parameters", () => {
  it("write their type, an array's with [], and whether they may be left out", () => {
    expect(parameterType({ type: "integer", isArray: false, isOptional: false })).toBe("integer");
    expect(parameterType({ type: "string", isArray: true, isOptional: true })).toBe("string[], optional");
  });

  it("list the allowed values with the labels that say more", () => {
    expect(allowedValues({ values: [], labels: [] })).toBe("any");
    expect(allowedValues({ values: ["1", "2", "x"], labels: ["Low", "High", "x"] })).toBe("1 (Low), 2 (High), x");
    expect(allowedValues({ values: ["a", "b"], labels: [] })).toBe("a, b");
  });
});
