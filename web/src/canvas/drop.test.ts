import { describe, expect, it } from "vitest";
import type { Connection, Interface, Process } from "../api/client";
import { connection, process } from "../test/fixtures";
import { compatiblePairs, dropTitle, fits, needsChoice, portKey, verdict, verdicts, type PortRef } from "./drop";

const H = (s: string) => s.padEnd(64, "0");

/** An interface whose versions send and receive the given hashes: [name, sends, receives]. */
function face(id: string, versions: [string, string, string][], allowMultiple = false): Interface {
  return {
    id, name: id.split("/")[1] ?? id, serviceId: "svc", allowMultiple, autoConnect: false,
    interfaceVersions: versions.map(([versionName, s, r]) => ({ versionName, sendsHash: H(s), receivesHash: H(r) })),
  };
}

// A meter sends "m" and receives "c"; a logger the other way round.
const meter = (v = "1") => face("meter/power", [[v, "aa", "cc"]]);
const logger = (v = "1", multiple = false) => face("logger/power", [[v, "cc", "aa"]], multiple);

function env(...ps: Process[]): Map<string, Process> {
  return new Map(ps.map((p) => [p.id, p]));
}

const port = (processId: string, interfaceId: string, versionName = "1"): PortRef => ({ processId, interfaceId, versionName });

function reason(v: ReturnType<typeof verdict>): string {
  if (v.ok) {
    throw new Error("accepted");
  }
  return v.reason;
}

describe("fits", () => {
  it("needs each to send what the other receives", () => {
    expect(fits({ sendsHash: "a", receivesHash: "b" }, { sendsHash: "b", receivesHash: "a" })).toBe(true);
    expect(fits({ sendsHash: "a", receivesHash: "b" }, { sendsHash: "a", receivesHash: "b" })).toBe(false);
    expect(fits({ sendsHash: "a", receivesHash: "b" }, { sendsHash: "x", receivesHash: "a" })).toBe(false);
    expect(fits({ sendsHash: "a", receivesHash: "b" }, { sendsHash: "b", receivesHash: "x" })).toBe(false);
  });

  it("lets an interface that sends and receives the same connect to its like", () => {
    const peer = face("p/peer", [["1", "aa", "aa"]]);
    expect(compatiblePairs(peer, peer)).toEqual([{ from: "1", to: "1" }]);
  });
});

describe("compatiblePairs", () => {
  it("lists every fitting pair, the orchestrator's choice (names sorting last) first", () => {
    const a = face("a/x", [["1", "s1", "r1"], ["2", "s2", "r2"], ["10", "s1", "r1"]]);
    const b = face("b/x", [["1", "r1", "s1"], ["2", "r2", "s2"]]);
    expect(compatiblePairs(a, b)).toEqual([
      { from: "2", to: "2" }, { from: "10", to: "1" }, { from: "1", to: "1" },
    ]);
  });

  it("is empty when no version fits, or one side has none", () => {
    expect(compatiblePairs(meter(), meter())).toEqual([]);
    expect(compatiblePairs(face("a/x", []), logger())).toEqual([]);
  });
});

describe("verdict", () => {
  const a = process("a", [meter()]);
  const b = process("b", [logger()]);

  it("accepts compatible ports of another process, with their pair", () => {
    expect(verdict(env(a, b), [], port("a", "meter/power"), port("b", "logger/power")))
      .toEqual({ ok: true, pairs: [{ from: "1", to: "1" }], exact: true });
  });

  it("works either way round", () => {
    expect(verdict(env(a, b), [], port("b", "logger/power"), port("a", "meter/power")).ok).toBe(true);
  });

  it("refuses the same process", () => {
    const both = process("a", [meter(), logger()]);
    expect(reason(verdict(env(both), [], port("a", "meter/power"), port("a", "logger/power"))))
      .toBe("same process: a process cannot be connected to itself");
  });

  it("refuses processes of different users", () => {
    const other = { ...b, userId: "u2" };
    expect(reason(verdict(env(a, other), [], port("a", "meter/power"), port("b", "logger/power"))))
      .toMatch(/^different users: “p-a” and “p-b” belong to different users/);
  });

  it("says which hashes differ", () => {
    const c = process("c", [meter()]);
    expect(reason(verdict(env(a, c), [], port("a", "meter/power"), port("c", "meter/power"))))
      .toBe("hashes differ: power 1 sends aa0000000000… but power 1 receives cc0000000000…");
  });

  it("says which receive hash differs when the sends match", () => {
    const half = process("c", [face("half/power", [["1", "xx", "aa"]])]);
    expect(reason(verdict(env(a, half), [], port("a", "meter/power"), port("c", "half/power"))))
      .toBe("hashes differ: power 1 receives cc0000000000… but power 1 sends xx0000000000…");
  });

  it("names the ports dropped on, and says no other pair fits", () => {
    const a2 = process("a", [face("meter/power", [["1", "aa", "cc"], ["2", "dd", "ee"]])]);
    const c = process("c", [face("c/power", [["1", "xx", "yy"]])]);
    expect(reason(verdict(env(a2, c), [], port("a", "meter/power", "2"), port("c", "c/power"))))
      .toBe("hashes differ: power 2 sends dd0000000000… but power 1 receives yy0000000000… (no other pair of versions fits either)");
  });

  it("says an interface has no versions", () => {
    const none = process("c", [face("c/empty", [])]);
    expect(reason(verdict(env(a, none), [], port("a", "meter/power"), port("c", "c/empty", "1"))))
      .toBe("hashes differ: empty has no versions");
  });

  it("refuses a duplicate of an existing connection, either way round", () => {
    const many = process("a", [meter("1")].map((i) => ({ ...i, allowMultiple: true })));
    const manyB = process("b", [logger("1", true)]);
    for (const c of [
      connection("c1", ["a", "meter/power", "1"], ["b", "logger/power", "1"]),
      connection("c1", ["b", "logger/power", "1"], ["a", "meter/power", "1"]),
    ]) {
      expect(reason(verdict(env(many, manyB), [c], port("a", "meter/power"), port("b", "logger/power"))))
        .toBe("already connected: power of “p-a” and power of “p-b” are joined by connection c1");
    }
  });

  it("refuses a full interface that accepts one connection, the dragged one or the target", () => {
    const c = process("c", [logger("1", true)]);
    const taken = connection("c1", ["a", "meter/power", "1"], ["c", "logger/power", "1"]);
    expect(reason(verdict(env(a, b, c), [taken], port("a", "meter/power"), port("b", "logger/power"))))
      .toBe("power of “p-a” accepts one connection and has one (connection c1)");
    const d = process("d", [meter()].map((i) => ({ ...i, allowMultiple: true })));
    const takenB = connection("c2", ["e", "meter/power", "1"], ["b", "logger/power", "1"]);
    expect(reason(verdict(env(a, b, d), [takenB], port("d", "meter/power"), port("b", "logger/power"))))
      .toBe("power of “p-b” accepts one connection and has one (connection c2)");
  });

  it("counts a connection in any state as filling an interface", () => {
    const c = process("c", [logger("1", true)]);
    const failed = connection("c1", ["c", "logger/power", "1"], ["a", "meter/power", "1"], "FAILED");
    expect(verdict(env(a, b, c), [failed], port("a", "meter/power"), port("b", "logger/power")).ok).toBe(false);
  });

  it("lets an interface that takes several connect again to another process", () => {
    const many = process("a", [{ ...meter(), allowMultiple: true }]);
    const c = process("c", [logger()]);
    const one = connection("c1", ["a", "meter/power", "1"], ["c", "logger/power", "1"]);
    expect(verdict(env(many, b, c), [one], port("a", "meter/power"), port("b", "logger/power")).ok).toBe(true);
  });

  it("checks in the orchestrator's order: process, user, hashes, duplicate, room", () => {
    const c = process("c", [meter()]);
    const bogus = connection("c1", ["a", "meter/power", "1"], ["c", "meter/power", "1"]);
    // incompatible and full: the hashes are said first
    expect(reason(verdict(env(a, c), [bogus], port("a", "meter/power"), port("c", "meter/power")))).toMatch(/^hashes differ/);
    // a duplicate that is also full: "already connected"
    const dup = connection("c2", ["a", "meter/power", "1"], ["b", "logger/power", "1"]);
    expect(reason(verdict(env(a, b), [dup], port("a", "meter/power"), port("b", "logger/power")))).toMatch(/^already connected/);
  });

  it("puts the pair of the very ports first, and says when they do not fit but others do", () => {
    const a2 = process("a", [face("meter/power", [["1", "aa", "cc"], ["2", "dd", "ee"]])]);
    const b2 = process("b", [face("logger/power", [["1", "cc", "aa"], ["2", "ee", "dd"]])]);
    expect(verdict(env(a2, b2), [], port("a", "meter/power", "1"), port("b", "logger/power", "1")))
      .toEqual({ ok: true, pairs: [{ from: "1", to: "1" }, { from: "2", to: "2" }], exact: true });
    expect(verdict(env(a2, b2), [], port("a", "meter/power", "1"), port("b", "logger/power", "2")))
      .toEqual({ ok: true, pairs: [{ from: "2", to: "2" }, { from: "1", to: "1" }], exact: false });
  });

  it("refuses a process or interface that is not there", () => {
    expect(reason(verdict(env(a), [], port("a", "meter/power"), port("zz", "x")))).toBe("that process is gone");
    expect(reason(verdict(env(a, b), [], port("a", "meter/power"), port("b", "nope")))).toBe("“p-b” has no interface nope");
  });
});

describe("verdicts", () => {
  it("judges every port but the dragged one", () => {
    const a = process("a", [meter(), logger()]);
    const b = process("b", [face("logger/power", [["1", "cc", "aa"], ["2", "zz", "zz"]])]);
    const all = verdicts(env(a, b), [], port("a", "meter/power"));
    expect([...all.keys()].sort()).toEqual(["a/logger/power@1", "b/logger/power@1", "b/logger/power@2"]);
    expect(all.get("a/logger/power@1")?.ok).toBe(false);
    expect(all.get("b/logger/power@1")).toEqual({ ok: true, pairs: [{ from: "1", to: "1" }], exact: true });
    // the other version of a compatible interface accepts too, with the pair that fits
    expect(all.get("b/logger/power@2")).toEqual({ ok: true, pairs: [{ from: "1", to: "1" }], exact: false });
  });

  it("is quick enough for 500 processes", () => {
    const ps: Process[] = [];
    const cs: Connection[] = [];
    for (let i = 0; i < 500; i++) {
      ps.push(process(`p${i}`, [meter(), logger("1", true)]));
      if (i > 0) {
        cs.push(connection(`c${i}`, [`p${i}`, "meter/power", "1"], [`p${i - 1}`, "logger/power", "1"]));
        cs.push(connection(`d${i}`, [`p${i}`, "logger/power", "1"], [`p0`, "meter/power", "1"]));
      }
    }
    const started = performance.now();
    const all = verdicts(env(...ps), cs, port("p0", "meter/power"));
    expect(all.size).toBe(999);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("needsChoice", () => {
  it("asks when several pairs fit or the one that fits is not the ports dropped on", () => {
    expect(needsChoice({ ok: true, pairs: [{ from: "1", to: "1" }], exact: true })).toBe(false);
    expect(needsChoice({ ok: true, pairs: [{ from: "1", to: "1" }], exact: false })).toBe(true);
    expect(needsChoice({ ok: true, pairs: [{ from: "1", to: "1" }, { from: "2", to: "2" }], exact: true })).toBe(true);
    expect(needsChoice({ ok: false, reason: "no" })).toBe(false);
  });
});

describe("portKey", () => {
  it("names process, interface and version", () => {
    expect(portKey(port("a", "svc/x", "2"))).toBe("a/svc/x@2");
  });
});

describe("dropTitle", () => {
  it("says why a port refuses, or what dropping there does", () => {
    expect(dropTitle({ ok: false, reason: "same process: x" })).toBe("Refuses the drop: same process: x");
    expect(dropTitle({ ok: true, pairs: [{ from: "1", to: "1" }], exact: true })).toBe("Drop here to connect");
    expect(dropTitle({ ok: true, pairs: [{ from: "1", to: "1" }, { from: "2", to: "2" }], exact: true }))
      .toBe("Drop here to connect, then pick the versions: 1 ↔ 1, 2 ↔ 2");
    expect(dropTitle({ ok: true, pairs: [{ from: "2", to: "2" }], exact: false }))
      .toBe("Drop here to connect; these ports' versions do not fit, but this pair does: 2 ↔ 2");
  });
});
