import { describe, expect, it } from "vitest";
import { connection, iface, process } from "../test/fixtures";
import { brokenConnections, connectionsOf } from "./upgrade";

const meter = process("a1", [iface("meter/power", ["v1", "v2"])]);
const c1 = connection("c1", ["a1", "meter/power", "v1"], ["b2", "logger/power", "v2"]);
const c2 = connection("c2", ["b2", "logger/power", "v2"], ["a1", "meter/power", "v2"]);
const other = connection("c3", ["x", "meter/power", "v1"], ["y", "logger/power", "v2"]);

describe("brokenConnections", () => {
  it("keeps a connection whose interface version the new version offers with the same hashes", () => {
    expect(brokenConnections(meter, [c1, c2, other], [iface("meter/power", ["v1", "v2", "v3"])])).toEqual([]);
  });

  it("names the connections whose version goes, or changes its hashes", () => {
    expect(brokenConnections(meter, [c1, c2], [iface("meter/power", ["v2"])])).toEqual([c1]);
    const changed = iface("meter/power", ["v1", "v2"]);
    changed.interfaceVersions[1] = { ...changed.interfaceVersions[1]!, sendsHash: "other" };
    expect(brokenConnections(meter, [c1, c2], [changed])).toEqual([c2]);
    expect(brokenConnections(meter, [c1, c2], [])).toEqual([c1, c2]);
  });
});

describe("connectionsOf", () => {
  it("finds the connections at either end of a process", () => {
    expect(connectionsOf("a1", [c1, c2, other])).toEqual([c1, c2]);
    expect(connectionsOf("zz", [c1])).toEqual([]);
  });
});
