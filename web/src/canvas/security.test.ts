import { describe, expect, it } from "vitest";
import { connection, process } from "../test/fixtures";
import { ENCRYPTED, encryptedCell, LOCK, lockedLabel, securityTitle } from "./security";

describe("the line of a connection and its encryption", () => {
  const plain = connection("c1", ["p1", "meter/power", "1"], ["p2", "logger/power", "1"]);
  const encrypted = { ...plain, encrypted: true };
  const meter = { ...process("p1"), name: "meter", tls: true };
  const logger = { ...process("p2"), name: "logger", tls: true };

  it("puts a lock in front of an encrypted line's label, or shows the lock alone", () => {
    expect(lockedLabel(encrypted, "12 msg/s")).toBe(`${LOCK} 12 msg/s`);
    expect(lockedLabel(encrypted, undefined)).toBe(LOCK);
    expect(lockedLabel(encrypted, "suspended")).toBe(`${LOCK} suspended`);
    expect(lockedLabel(plain, "12 msg/s")).toBe("12 msg/s");
    expect(lockedLabel(plain, undefined)).toBeUndefined();
  });

  it.each([
    ["both ends authenticated in TLS", encrypted, meter, logger, ENCRYPTED],
    ["one end built with the original SDK", plain, meter, { ...logger, tls: false },
      "plain TCP: logger holds no certificate (its service was built with the original SDK, or TLS is off)"],
    ["neither end", plain, { ...meter, tls: false }, { ...logger, tls: false },
      "plain TCP: neither end holds a certificate (their services were built with the original SDK, or TLS is off)"],
    ["an end not started", plain, meter, { ...logger, tls: false, state: "STARTING" as const },
      "plain TCP: logger has not started yet"],
    ["both ends not started", plain, { ...meter, tls: false, state: "STARTING" as const },
      { ...logger, tls: false, state: "STARTING" as const }, "plain TCP: meter and logger have not started yet"],
    ["both hold one, not yet told", plain, meter, logger,
      "plain TCP: both ends hold a certificate, but have not both been told to use TLS yet"],
    ["ends not shown", plain, undefined, undefined, "plain TCP: the orchestrator has not told both ends to use TLS"],
  ])("says why in the tooltip: %s", (_, c, one, two, title) => {
    expect(securityTitle(c, one, two)).toBe(title);
  });

  it("gives the lists' Encrypted column the same words", () => {
    const processes = new Map([["p1", meter], ["p2", { ...logger, tls: false }]]);
    expect(encryptedCell(encrypted, processes)).toEqual({ text: `${LOCK} yes`, title: ENCRYPTED });
    expect(encryptedCell(plain, processes)).toEqual({ text: "no",
      title: "plain TCP: logger holds no certificate (its service was built with the original SDK, or TLS is off)" });
  });
});
