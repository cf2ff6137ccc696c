import type { Connection, Process } from "../api/client";

/**
 * What a connection's line says of its encryption (the orchestrator's TLS addition): a lock in front
 * of the label of an encrypted line, and in the tooltip either what the lock means or why the line
 * is plain. Pure: the canvas and the lists both read it.
 */
export const LOCK = "🔒";

export const ENCRYPTED = "TLS 1.3, both ends authenticated";

/** The label of a line with the lock in front when it is encrypted; the lock alone for a line without one. */
export function lockedLabel(c: Connection, label: string | undefined): string | undefined {
  if (!c.encrypted) {
    return label;
  }
  return label ? `${LOCK} ${label}` : LOCK;
}

/**
 * The tooltip's security line: "TLS 1.3, both ends authenticated", or "plain TCP: " and why, by the
 * ends' processes as shown ({@code one} is endpoint 1's, {@code two} endpoint 2's; either may be
 * unknown). A process holds no certificate when it is built with the original dEF-Pi SDK, or the
 * orchestrator runs with TLS off; a process that has not started yet has not said.
 */
export function securityTitle(c: Connection, one: Process | undefined, two: Process | undefined): string {
  if (c.encrypted) {
    return ENCRYPTED;
  }
  return `plain TCP: ${plainReason(one, two)}`;
}

function plainReason(one: Process | undefined, two: Process | undefined): string {
  const ends = [one, two].filter((p): p is Process => p !== undefined);
  const starting = ends.filter((p) => !p.tls && p.state === "STARTING");
  if (starting.length > 0) {
    return `${names(starting)} ${starting.length === 1 ? "has" : "have"} not started yet`;
  }
  const without = ends.filter((p) => !p.tls);
  if (without.length === 2) {
    return "neither end holds a certificate (their services were built with the original SDK, or TLS is off)";
  }
  const [alone] = without;
  if (alone) {
    return `${alone.name} holds no certificate (its service was built with the original SDK, or TLS is off)`;
  }
  if (ends.length === 2) {
    return "both ends hold a certificate, but have not both been told to use TLS yet";
  }
  return "the orchestrator has not told both ends to use TLS";
}

function names(ps: readonly Process[]): string {
  return ps.map((p) => p.name).join(" and ");
}

/** The lists' Encrypted column: "🔒 yes" or "no", and the same words as the line's tooltip. */
export function encryptedCell(c: Connection, processes: ReadonlyMap<string, Process>): { text: string; title: string } {
  return {
    text: c.encrypted ? `${LOCK} yes` : "no",
    title: securityTitle(c, processes.get(c.endpoint1.processId), processes.get(c.endpoint2.processId)),
  };
}
