import { describe, expect, it } from "vitest";
import type { ConnectionTraffic, EndTraffic } from "../api/client";
import { connection, iface, process } from "../test/fixtures";
import { toEdges, toNodes } from "./graph";
import { formatBytes, formatRate, lineTraffic, trafficLabel, trafficTitle, type LineTraffic } from "./traffic";

function end(processId: string, out: number, inn: number, dropped = 0, errors = 0): EndTraffic {
  return {
    processId, reportedAt: "2026-01-01T00:00:00.000000Z", state: "CONNECTED",
    messagesIn: 0, messagesOut: 0, bytesIn: 0, bytesOut: 0, dropped, errors, stateChanges: 1,
    rates: { messagesInPerSecond: inn, messagesOutPerSecond: out, bytesInPerSecond: inn * 100, bytesOutPerSecond: out * 100 },
  };
}

function reported(id: string, ...ends: EndTraffic[]): ConnectionTraffic {
  return { connectionId: id, userId: "u1", ends };
}

const c1 = connection("c1", ["a1", "meter/power", "v1"], ["b2", "logger/power", "v1"]);
const c2 = connection("c2", ["a1", "meter/status", "v1"], ["b2", "logger/status", "v1"]);
const shown = new Map([[c1.id, c1], [c2.id, c2]]);
const NONE = new Map<string, LineTraffic>();

describe("formatRate", () => {
  it.each([
    [0, "0"], [0.04, "0"], [0.4, "0.4"], [2.25, "2.3"], [9.94, "9.9"], [9.96, "10"], [12, "12"], [999.4, "999"],
    [999.6, "1k"], [1234, "1.2k"], [9999, "10k"], [34_567, "35k"],
  ])("%d per second reads %s", (value, text) => {
    expect(formatRate(value)).toBe(text);
  });

  it("bytes read as B/s, KB/s or MB/s", () => {
    expect(formatBytes(512)).toBe("512 B/s");
    expect(formatBytes(2048)).toBe("2 KB/s");
    expect(formatBytes(1.5 * 1024 * 1024)).toBe("1.5 MB/s");
  });
});

describe("lineTraffic", () => {
  it("takes each way from its sender, else its receiver, and sums drops and errors of both ends", () => {
    const t = lineTraffic([reported("c1", end("a1", 10, 2, 1, 0), end("b2", 2, 10, 2, 1))], shown, NONE).get("c1");
    expect(t).toEqual({ forward: 10, backward: 2, bytesForward: 1000, bytesBackward: 200, dropped: 3, errors: 1, troubled: true });

    // only the logger reports (the meter runs on the original SDK): its reading stands for both ways
    const half = lineTraffic([reported("c1", end("b2", 1, 7))], shown, NONE).get("c1");
    expect(half).toMatchObject({ forward: 7, backward: 1, troubled: false });
  });

  it("leaves out connections not shown and reports without ends", () => {
    const t = lineTraffic([reported("elsewhere", end("x", 1, 1)), reported("c2")], shown, NONE);
    expect(t.size).toBe(0);
  });

  it("keeps the very same objects, and the same map, while nothing changed", () => {
    const first = lineTraffic([reported("c1", end("a1", 10, 0)), reported("c2", end("a1", 1, 0))], shown, NONE);
    const again = lineTraffic([reported("c1", end("a1", 10, 0)), reported("c2", end("a1", 1, 0))], shown, first);
    expect(again).toBe(first);

    const changed = lineTraffic([reported("c1", end("a1", 11, 0)), reported("c2", end("a1", 1, 0))], shown, first);
    expect(changed).not.toBe(first);
    expect(changed.get("c2")).toBe(first.get("c2"));
    expect(changed.get("c1")).not.toBe(first.get("c1"));

    const gone = lineTraffic([reported("c1", end("a1", 11, 0))], shown, changed);
    expect([...gone.keys()]).toEqual(["c1"]);
    expect(gone.get("c1")).toBe(changed.get("c1"));
  });

  it("marks a line while its drops or errors grow, and not once they stop growing", () => {
    const before = lineTraffic([reported("c1", end("a1", 1, 0))], shown, NONE);
    const dropping = lineTraffic([reported("c1", end("a1", 1, 0, 5, 0))], shown, before);
    expect(dropping.get("c1")?.troubled).toBe(true);
    const steady = lineTraffic([reported("c1", end("a1", 1, 0, 5, 0))], shown, dropping);
    expect(steady.get("c1")?.troubled).toBe(false);
    const failing = lineTraffic([reported("c1", end("a1", 1, 0, 5, 1))], shown, steady);
    expect(failing.get("c1")?.troubled).toBe(true);
  });
});

describe("the label and tooltip", () => {
  const both: LineTraffic = { forward: 10, backward: 2, bytesForward: 2048, bytesBackward: 100, dropped: 1, errors: 0, troubled: false };

  it("shows both ways as the line is drawn, or one sum when it goes one way", () => {
    expect(trafficLabel(both, true)).toBe("→ 10/s ← 2/s");
    expect(trafficLabel(both, false)).toBe("→ 2/s ← 10/s");
    expect(trafficLabel({ ...both, backward: 0 }, true)).toBe("10 msg/s");
    expect(trafficLabel({ ...both, forward: 0, backward: 0 }, true)).toBe("0 msg/s");
    expect(trafficLabel({ ...both, troubled: true }, true)).toBe("⚠ → 10/s ← 2/s");
  });

  it("details bytes, drops and errors in the tooltip", () => {
    expect(trafficTitle(both, true)).toBe("→ 10 msg/s, 2 KB/s\n← 2 msg/s, 100 B/s\n1 dropped message, 0 errors");
    expect(trafficTitle({ ...both, errors: 1, dropped: 4, troubled: true }, false).split("\n"))
      .toEqual(["→ 2 msg/s, 100 B/s", "← 10 msg/s, 2 KB/s", "4 dropped messages, 1 error (growing)"]);
  });
});

describe("toEdges with traffic", () => {
  const meter = process("a1", [iface("meter/power", ["v1"]), iface("meter/status", ["v1"])], "RUNNING",
    "2026-01-01T00:00:01.000000Z");
  const logger = process("b2", [iface("logger/power", ["v1"]), iface("logger/status", ["v1"])], "RUNNING",
    "2026-01-01T00:00:02.000000Z");
  const nodes = toNodes([meter, logger], []).map((n) => n.id === "a1" ? { ...n, position: { x: 0, y: 0 } }
    : { ...n, position: { x: 500, y: 0 } });

  it("shows a line's reported traffic on it and in its tooltip, and a line without reports without", () => {
    const traffic = lineTraffic([reported("c1", end("a1", 12, 0))], shown, NONE);
    const [one, two] = toEdges([c1, c2], nodes, null, undefined, traffic);
    expect(one).toMatchObject({ id: "c1", type: "line", label: "12 msg/s" });
    expect(one?.data?.title).toContain("→ 12 msg/s");
    expect(two?.type).toBe("line");
    expect(two?.label).toBeUndefined();
    expect(two?.data).toEqual({ connection: c2, title: expect.stringMatching(/^plain TCP: /) });
  });

  it("puts the lock before an encrypted line's traffic, and says so first in its tooltip", () => {
    const traffic = lineTraffic([reported("c1", end("a1", 12, 0))], shown, NONE);
    const [locked] = toEdges([{ ...c1, encrypted: true }], nodes, null, undefined, traffic);
    expect(locked?.label).toBe("🔒 12 msg/s");
    expect(locked?.data?.title.split("\n")[0]).toBe("TLS 1.3, both ends authenticated");
    expect(locked?.data?.title).toContain("→ 12 msg/s");
  });

  it("draws again only the lines whose traffic changed", () => {
    const first = lineTraffic([reported("c1", end("a1", 12, 0)), reported("c2", end("a1", 1, 0))], shown, NONE);
    const before = toEdges([c1, c2], nodes, null, undefined, first);
    const byId = new Map(before.map((e) => [e.id, e]));
    const next = lineTraffic([reported("c1", end("a1", 13, 0)), reported("c2", end("a1", 1, 0))], shown, first);
    const after = toEdges([c1, c2], nodes, null, byId, next);
    expect(after[1]).toBe(before[1]);
    expect(after[0]).not.toBe(before[0]);
    expect(after[0]?.label).toBe("13 msg/s");
  });

  it("marks a line whose drops grow, and keeps the state's word on a line that is not active", () => {
    const traffic = lineTraffic([reported("c1", end("a1", 1, 0, 3, 0))], shown, NONE);
    const [marked] = toEdges([c1], nodes, null, undefined, traffic);
    expect(marked?.label).toBe("⚠ 1 msg/s");
    expect(marked?.style?.strokeWidth).toBe(3.5);
    const suspended = { ...c1, state: "SUSPENDED" as const };
    const [paused] = toEdges([suspended], nodes, null, undefined, lineTraffic([reported("c1", end("a1", 0, 0))],
      new Map([["c1", suspended]]), NONE));
    expect(paused?.label).toBe("suspended");
    expect(paused?.type).toBe("line");
  });
});
