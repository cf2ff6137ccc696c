import { describe, expect, it } from "vitest";
import { connection, iface, process } from "../test/fixtures";
import { endText, usersOf } from "./connections";

describe("endText", () => {
  const meter = { ...process("p1", [iface("meter/power", ["1", "2"])]), name: "meter in the hall" };
  const c = connection("c1", ["p1", "meter/power", "2"], ["6b0777f70f76ceb2de6a702c", "logger/power", "1"]);
  const processes = new Map([["p1", meter]]);

  it("names the process and interface of an end, with the version it speaks", () => {
    expect(endText(c, "endpoint1", processes)).toEqual({
      process: "meter in the hall", processId: "p1", known: true, interfaceName: "power", interfaceId: "meter/power", version: "2",
    });
  });

  it("falls back to the ids when the process is not known", () => {
    expect(endText(c, "endpoint2", processes)).toEqual({
      process: "6b0777f7…", processId: "6b0777f70f76ceb2de6a702c", known: false, interfaceName: "logger/power",
      interfaceId: "logger/power", version: "1",
    });
  });
});

describe("usersOf", () => {
  it("gives each user once", () => {
    expect(usersOf([{ userId: "u2" }, { userId: "u1" }, { userId: "u2" }])).toEqual(["u1", "u2"]);
    expect(usersOf([])).toEqual([]);
  });
});
