import { describe, expect, it } from "vitest";
import { LogBuffer, matches, segments, visible } from "./logview";

describe("LogBuffer", () => {
  it("cuts what comes into lines, a split line waiting for its end", () => {
    const b = new LogBuffer();
    expect(b.push("one\ntw")).toBe(true);
    expect(b.lines.map((l) => l.text)).toEqual(["one"]);
    expect(b.pending).toBe("tw");
    expect(b.push("o")).toBe(false);
    b.push("\r\nthree\n");
    expect(b.lines).toEqual([{ seq: 1, text: "one" }, { seq: 2, text: "two" }, { seq: 3, text: "three" }]);
    expect(b.pending).toBe("");
  });

  it("keeps only the last lines, counting those let go", () => {
    const b = new LogBuffer(3);
    b.push("1\n2\n3\n4\n");
    b.push("5\n");
    expect(b.lines.map((l) => l.text)).toEqual(["3", "4", "5"]);
    expect(b.lines[0]?.seq).toBe(3);
    expect(b.dropped).toBe(2);
  });

  it("gives a new array after each change, and the same while nothing changed", () => {
    const b = new LogBuffer();
    b.push("a\n");
    const before = b.lines;
    b.push("b");
    expect(b.lines).toBe(before);
    b.push("\n");
    expect(b.lines).not.toBe(before);
  });

  it("ends a last line without its newline when the log ends", () => {
    const b = new LogBuffer();
    b.push("a\nlast");
    b.end();
    expect(b.lines.map((l) => l.text)).toEqual(["a", "last"]);
    b.end();
    expect(b.lines).toHaveLength(2);
  });

  it("keeps 5000 lines by default, and takes many quickly", () => {
    const b = new LogBuffer();
    const start = performance.now();
    for (let i = 0; i < 2000; i++) {
      b.push(`${"x".repeat(60)} ${i}\n${"y".repeat(60)}\n`);
    }
    expect(performance.now() - start).toBeLessThan(1000);
    expect(b.lines).toHaveLength(4000);
    b.push("z\n".repeat(2000));
    expect(b.lines).toHaveLength(5000);
    expect(b.dropped).toBe(1000);
  });
});

describe("search", () => {
  it("matches ignoring case", () => {
    expect(matches("ERROR: disk", "error")).toBe(true);
    expect(matches("all fine", "error")).toBe(false);
    expect(matches("anything", "")).toBe(true);
  });

  it("marks every match of a line for highlighting", () => {
    expect(segments("an Error and an error", "error")).toEqual([
      { text: "an ", match: false }, { text: "Error", match: true }, { text: " and an ", match: false }, { text: "error", match: true },
    ]);
    expect(segments("aaa", "a")).toEqual([{ text: "a", match: true }, { text: "a", match: true }, { text: "a", match: true }]);
    expect(segments("plain", "x")).toEqual([{ text: "plain", match: false }]);
    expect(segments("", "")).toEqual([{ text: "", match: false }]);
  });

  it("shows all lines or only the matching ones, and counts the matches", () => {
    const lines = [{ seq: 1, text: "start" }, { seq: 2, text: "error 1" }, { seq: 3, text: "ok" }, { seq: 4, text: "Error 2" }];
    expect(visible(lines, "", true)).toEqual({ lines, count: 0 });
    expect(visible(lines, "error", false)).toEqual({ lines, count: 2 });
    expect(visible(lines, "error", true).lines.map((l) => l.seq)).toEqual([2, 4]);
  });
});
