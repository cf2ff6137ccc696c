import { describe, expect, it } from "vitest";
import { hideResizeObserver } from "./unobserved";

class FakeObserver {}

describe("hideResizeObserver", () => {
  it("hides it until restored, once", () => {
    const scope: { ResizeObserver?: typeof ResizeObserver } = { ResizeObserver: FakeObserver as unknown as typeof ResizeObserver };
    const restore = hideResizeObserver(scope);
    expect(scope.ResizeObserver).toBeUndefined();
    expect(typeof scope.ResizeObserver === "undefined").toBe(true);
    restore();
    expect(scope.ResizeObserver).toBe(FakeObserver);
    scope.ResizeObserver = undefined;
    restore(); // done already: leaves it alone
    expect(scope.ResizeObserver).toBeUndefined();
  });

  it("gives it back after the current task's microtasks when nobody does", async () => {
    const scope: { ResizeObserver?: typeof ResizeObserver } = { ResizeObserver: FakeObserver as unknown as typeof ResizeObserver };
    hideResizeObserver(scope);
    expect(scope.ResizeObserver).toBeUndefined();
    await Promise.resolve();
    expect(scope.ResizeObserver).toBe(FakeObserver);
  });

  it("hides it once at a time: a second hiding while hidden leaves the first to give it back", async () => {
    const scope: { ResizeObserver?: typeof ResizeObserver } = { ResizeObserver: FakeObserver as unknown as typeof ResizeObserver };
    const first = hideResizeObserver(scope);
    const second = hideResizeObserver(scope);
    second();
    expect(scope.ResizeObserver).toBeUndefined();
    first();
    expect(scope.ResizeObserver).toBe(FakeObserver);
    await Promise.resolve();
  });

  it("does nothing where there is none", () => {
    const scope: { ResizeObserver?: typeof ResizeObserver } = {};
    hideResizeObserver(scope)();
    expect(scope).toEqual({});
  });
});
