import { describe, expect, it } from "vitest";
import { connection, iface, process } from "../test/fixtures";
import { handleId, portId, portOfHandle, ports, toEdges, toNodes, withConnected } from "./graph";

const meter = process("a1", [iface("meter/power", ["v1", "v2"], true), iface("meter/status", ["v1"])], "RUNNING",
  "2026-01-01T00:00:01.000000Z");
const logger = process("b2", [iface("logger/power", ["v2"])], "STARTING", "2026-01-01T00:00:02.000000Z");

describe("ports", () => {
  it("has a port per interface version, labelled with what it sends and receives", () => {
    expect(ports(meter).map((p) => p.id)).toEqual(["meter/power@v1", "meter/power@v2", "meter/status@v1"]);
    expect(ports(meter)[1]).toEqual({
      id: "meter/power@v2", interfaceId: "meter/power", interfaceName: "power", versionName: "v2",
      sendsHash: "s-meter/power-v2".padEnd(64, "0"), receivesHash: "r-meter/power-v2".padEnd(64, "0"),
      allowMultiple: true,
    });
    expect(ports(process("c3"))).toEqual([]);
  });
});

describe("toNodes", () => {
  it("draws each process, oldest first, at distinct places", () => {
    const nodes = toNodes([logger, meter], []);
    expect(nodes.map((n) => [n.id, n.type, n.data.process.state])).toEqual([["a1", "process", "RUNNING"],
      ["b2", "process", "STARTING"]]);
    expect(nodes[0]?.position).not.toEqual(nodes[1]?.position);
  });

  it("keeps a box where it was and the same node while its process is the same; a new one is laid out", () => {
    const first = toNodes([meter, logger], []);
    const moved = first.map((n) => n.id === "a1" ? { ...n, position: { x: 1234, y: 567 }, selected: true } : n);
    const failed = { ...logger, state: "FAILED" as const, reason: "it crashed" };
    const third = process("c3", [], "STARTING", "2026-01-01T00:00:03.000000Z");
    const next = toNodes([meter, failed, third], moved);

    expect(next[0]).toBe(moved[0]); // untouched: React Flow redraws nothing of it
    expect(next[1]).toMatchObject({ id: "b2", position: moved[1]?.position, data: { process: failed } });
    expect(next[2]?.id).toBe("c3");
    expect([moved[0]?.position, moved[1]?.position]).not.toContainEqual(next[2]?.position);
  });

  it("forgets a process that is gone", () => {
    expect(toNodes([meter], toNodes([meter, logger], [])).map((n) => n.id)).toEqual(["a1"]);
  });
});

describe("toEdges", () => {
  it("joins the ports of the interface versions the connection uses, on the sides that face each other", () => {
    const nodes = toNodes([meter, logger], []).map((n) => ({ ...n, position: { x: n.id === "a1" ? 0 : 500, y: 0 } }));
    const c = connection("c1", ["a1", "meter/power", "v2"], ["b2", "logger/power", "v2"], "ACTIVE");
    expect(toEdges([c], nodes)).toMatchObject([{
      id: "c1", source: "a1", target: "b2",
      sourceHandle: handleId(portId("meter/power", "v2"), "right"),
      targetHandle: handleId("logger/power@v2", "left"),
      label: undefined, animated: false,
    }]);

    // the other way round when endpoint 1's box is on the right
    const swapped = nodes.map((n) => ({ ...n, position: { x: n.id === "a1" ? 900 : 100, y: 0 } }));
    expect(toEdges([c], swapped)[0]).toMatchObject({ sourceHandle: "meter/power@v2:left",
      targetHandle: "logger/power@v2:right" });
  });

  it("colours and labels a connection by its state", () => {
    const nodes = toNodes([meter, logger], []);
    const edge = (state: "STARTING" | "ACTIVE" | "SUSPENDED" | "FAILED") =>
      toEdges([connection("c1", ["a1", "meter/power", "v2"], ["b2", "logger/power", "v2"], state)], nodes)[0];
    expect(edge("ACTIVE")?.style?.stroke).toBe("#16a34a");
    expect(edge("FAILED")).toMatchObject({ label: "failed", style: { stroke: "#dc2626" } });
    expect(edge("STARTING")).toMatchObject({ label: "starting", animated: true });
    expect(edge("SUSPENDED")?.label).toBe("suspended");
  });

  it("leaves out a connection to a process or a port that is not drawn", () => {
    const nodes = toNodes([meter, logger], []);
    expect(toEdges([
      connection("gone", ["a1", "meter/power", "v1"], ["zz", "logger/power", "v2"]),
      connection("old-version", ["a1", "meter/power", "v9"], ["b2", "logger/power", "v2"]),
      connection("no-interface", ["a1", "meter/power", "v1"], ["b2", "logger/other", "v2"]),
      connection("ok", ["b2", "logger/power", "v2"], ["a1", "meter/power", "v1"]),
    ], nodes).map((e) => e.id)).toEqual(["ok"]);
  });
});

describe("portOfHandle", () => {
  it("finds the port of either handle of a row, and nothing for another handle", () => {
    const [node] = toNodes([meter], []);
    const port = { processId: "a1", interfaceId: "meter/power", versionName: "v2" };
    expect(portOfHandle(node, handleId("meter/power@v2", "left"))).toEqual(port);
    expect(portOfHandle(node, handleId("meter/power@v2", "right"))).toEqual(port);
    expect(portOfHandle(node, "meter/power@v3:left")).toBeUndefined();
    expect(portOfHandle(node, null)).toBeUndefined();
    expect(portOfHandle(undefined, handleId("meter/power@v2", "left"))).toBeUndefined();
  });
});

describe("toNodes, placed", () => {
  it("puts a new box where the user kept it, and names it for screen readers", () => {
    const nodes = toNodes([meter, logger], [], { saved: new Map([["b2", { x: -50, y: 900 }]]) });
    expect(nodes[1]).toMatchObject({ id: "b2", position: { x: -50, y: 900 }, ariaLabel: "process p-b2" });
    expect(nodes[0]?.position).toEqual({ x: 0, y: 0 });
  });

  it("keeps a drawn box where it is, whatever is saved", () => {
    const first = toNodes([meter], []);
    const next = toNodes([{ ...meter, state: "FAILED" }], first, { saved: new Map([["a1", { x: 5, y: 5 }]]) });
    expect(next[0]?.position).toEqual(first[0]?.position);
  });

  it("puts a new box beside the box it is connected to", () => {
    const first = toNodes([meter], []).map((n) => ({ ...n, position: { x: 2000, y: 2000 } }));
    const c = connection("c1", ["a1", "meter/power", "v2"], ["b2", "logger/power", "v2"]);
    const next = toNodes([meter, logger], first, { connections: [c] });
    expect(next[1]?.position).toEqual({ x: 2380, y: 2000 });
  });

  it("puts a box added near a spot there", () => {
    const next = toNodes([meter, logger], [], { near: new Map([["b2", { x: 700, y: 700 }]]) });
    expect(next[1]?.position).toEqual({ x: 700, y: 700 });
  });

  it("gives a renamed process's box its new name, and keeps its ports", () => {
    const first = toNodes([meter], []);
    const next = toNodes([{ ...meter, name: "renamed", interfaces: [...meter.interfaces] }], first);
    expect(next[0]?.ariaLabel).toBe("process renamed");
    expect(next[0]?.data.ports).toBe(first[0]?.data.ports);
  });
});

describe("toEdges, again", () => {
  const nodes = toNodes([meter, logger], []);
  const c = connection("c1", ["a1", "meter/power", "v2"], ["b2", "logger/power", "v2"]);

  it("keeps a line that did not change the very same object", () => {
    const first = toEdges([c], nodes);
    const previous = new Map(first.map((e) => [e.id, e]));
    const moved = nodes.map((n) => (n.id === "b2" ? { ...n, position: { x: n.position.x + 10, y: 50 } } : n));
    expect(toEdges([c], moved, null, previous)[0]).toBe(first[0]);
  });

  it("draws a line anew when its record, sides or selection changed", () => {
    const first = toEdges([c], nodes);
    const previous = new Map(first.map((e) => [e.id, e]));
    expect(toEdges([{ ...c, state: "FAILED" }], nodes, null, previous)[0]).not.toBe(first[0]);
    expect(toEdges([c], nodes, "c1", previous)[0]).toMatchObject({ selected: true });
    const swapped = nodes.map((n) => ({ ...n, position: { x: n.id === "a1" ? 900 : 0, y: 0 } }));
    expect(toEdges([c], swapped, null, previous)[0]?.sourceHandle).toBe("meter/power@v2:left");
  });
});

describe("toEdges and encryption", () => {
  const c = connection("c1", ["a1", "meter/power", "v2"], ["b2", "logger/power", "v2"]);

  it("marks an encrypted line with a lock and says in its tooltip what the lock means", () => {
    const nodes = toNodes([{ ...meter, tls: true }, { ...logger, tls: true }], []);
    const [locked] = toEdges([{ ...c, encrypted: true }], nodes);
    expect(locked).toMatchObject({ label: "🔒", type: "line", ariaLabel: "connection active" });
    expect(locked?.data?.title).toBe("TLS 1.3, both ends authenticated");
    const [starting] = toEdges([{ ...c, encrypted: true, state: "STARTING" }], nodes);
    expect(starting?.label).toBe("🔒 starting");
  });

  it("says why a plain line is plain, and draws it anew when an end's process says otherwise", () => {
    const running = { ...logger, state: "RUNNING" as const };
    const nodes = toNodes([{ ...meter, tls: true }, running], []);
    const first = toEdges([c], nodes);
    expect(first[0]?.label).toBeUndefined();
    expect(first[0]?.data?.title).toBe(
      "plain TCP: p-b2 holds no certificate (its service was built with the original SDK, or TLS is off)");
    const previous = new Map(first.map((e) => [e.id, e]));
    const both = toNodes([{ ...meter, tls: true }, { ...running, tls: true }], nodes);
    const again = toEdges([c], both, null, previous)[0];
    expect(again).not.toBe(first[0]);
    expect(again?.data?.title).toBe("plain TCP: both ends hold a certificate, but have not both been told to use TLS yet");
  });
});

describe("withConnected", () => {
  it("counts each port's active connections at both ends, and keeps unchanged boxes the same objects", () => {
    const m = iface("meter/power", ["v1"], true);
    const l = iface("logger/power", ["v1"], true);
    const nodes = toNodes([process("a", [m]), process("b", [l]), process("c", [l])], []);
    const active = connection("c1", ["a", "meter/power", "v1"], ["b", "logger/power", "v1"]);
    const starting = connection("c2", ["a", "meter/power", "v1"], ["c", "logger/power", "v1"], "STARTING");

    const once = withConnected(nodes, [active, starting]);
    expect(once.find((n) => n.id === "a")?.data.connected).toEqual({ "meter/power@v1": 1 });
    expect(once.find((n) => n.id === "b")?.data.connected).toEqual({ "logger/power@v1": 1 });
    expect(once.find((n) => n.id === "c")).toBe(nodes[2]);
    expect(withConnected(once, [active, starting])).toBe(once);

    const gone = withConnected(once, []);
    expect(gone[0]?.data.connected).toBeUndefined();
  });
});
