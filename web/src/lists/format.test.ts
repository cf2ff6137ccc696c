import { describe, expect, it } from "vitest";
import { count, formatCpus, formatMemory, formatTime, short, words } from "./format";

describe("formatTime", () => {
  it("writes a time as date and time of day, in the given zone", () => {
    expect(formatTime("2026-11-26T02:18:57.139000Z", "UTC")).toBe("2026-11-26 02:18:57");
    expect(formatTime("2026-11-26T23:30:00Z", "Europe/Amsterdam")).toBe("2026-11-27 00:30:00");
  });

  it("gives back what is not a time", () => {
    expect(formatTime("soon")).toBe("soon");
  });
});

describe("sizes", () => {
  it("writes memory in MiB, or GiB from 1024 on", () => {
    expect(formatMemory(512)).toBe("512 MiB");
    expect(formatMemory(24105)).toBe("23.5 GiB");
    expect(formatMemory(2048)).toBe("2 GiB");
    expect(formatMemory(undefined)).toBe("");
  });

  it("writes CPUs", () => {
    expect(formatCpus(2)).toBe("2 CPUs");
    expect(formatCpus(1)).toBe("1 CPU");
    expect(formatCpus(0.25)).toBe("0.3 CPUs");
    expect(formatCpus(undefined)).toBe("");
  });
});

describe("words", () => {
  it("shortens ids, counts and reads enums", () => {
    expect(short("6b0777f70891f0561f5c73e2")).toBe("6b0777f7…");
    expect(short("abc")).toBe("abc");
    expect(count(1, "node")).toBe("1 node");
    expect(count(0, "node")).toBe("0 nodes");
    expect(words("CREATE_PROCESS")).toBe("create process");
  });
});
