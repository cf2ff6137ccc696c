import type { Connection, ConnectionTraffic, EndTraffic } from "../api/client";

/**
 * What a connection's line shows of its traffic, from GET /traffic: the messages per second each way
 * (as its ends last reported), bytes per second, dropped messages and errors (totals since the
 * processes started), and whether drops or errors grew since the poll before. "Forward" is from
 * endpoint 1's process to endpoint 2's.
 */
export interface LineTraffic {
  forward: number;
  backward: number;
  bytesForward: number;
  bytesBackward: number;
  dropped: number;
  errors: number;
  /** Dropped or errors went up since the previous poll. */
  troubled: boolean;
}

/**
 * One direction's rate: what its sender says it wrote, else what its receiver says it read (an end
 * that never reported, built with the original SDK, says nothing).
 */
function rate(from: EndTraffic | undefined, to: EndTraffic | undefined, field: "messages" | "bytes"): number {
  if (from) {
    return field === "messages" ? from.rates.messagesOutPerSecond : from.rates.bytesOutPerSecond;
  }
  if (to) {
    return field === "messages" ? to.rates.messagesInPerSecond : to.rates.bytesInPerSecond;
  }
  return 0;
}

function same(a: LineTraffic, b: LineTraffic): boolean {
  return a.forward === b.forward && a.backward === b.backward && a.bytesForward === b.bytesForward
    && a.bytesBackward === b.bytesBackward && a.dropped === b.dropped && a.errors === b.errors
    && a.troubled === b.troubled;
}

/**
 * Each connection's line traffic, by connection id, for the connections shown. A connection whose
 * traffic is as in {@code previous} keeps the very same object, and when nothing changed the very
 * same map comes back: the canvas then draws no line again. A connection without reports has none.
 */
export function lineTraffic(reported: readonly ConnectionTraffic[], connections: ReadonlyMap<string, Connection>,
    previous: ReadonlyMap<string, LineTraffic>): ReadonlyMap<string, LineTraffic> {
  const next = new Map<string, LineTraffic>();
  let changed = false;
  for (const item of reported) {
    const c = connections.get(item.connectionId);
    if (!c || item.ends.length === 0) {
      continue;
    }
    const one = item.ends.find((e) => e.processId === c.endpoint1.processId);
    const two = item.ends.find((e) => e.processId === c.endpoint2.processId);
    const dropped = item.ends.reduce((n, e) => n + e.dropped, 0);
    const errors = item.ends.reduce((n, e) => n + e.errors, 0);
    const before = previous.get(item.connectionId);
    const t: LineTraffic = {
      forward: rate(one, two, "messages"),
      backward: rate(two, one, "messages"),
      bytesForward: rate(one, two, "bytes"),
      bytesBackward: rate(two, one, "bytes"),
      dropped,
      errors,
      // growing since the last poll; on the first poll, any at all is worth a mark
      troubled: before ? dropped > before.dropped || errors > before.errors : dropped + errors > 0,
    };
    if (before && same(before, t)) {
      next.set(item.connectionId, before);
    } else {
      next.set(item.connectionId, t);
      changed = true;
    }
  }
  if (!changed && next.size === previous.size) {
    return previous;
  }
  return next;
}

/** A rate for a small label: 0, 0.4, 12, 1.2k, 34k. */
export function formatRate(perSecond: number): string {
  if (perSecond >= 9999.5) {
    return `${Math.round(perSecond / 1000)}k`;
  }
  if (perSecond >= 999.5) {
    return `${(perSecond / 1000).toFixed(1).replace(/\.0$/, "")}k`;
  }
  if (perSecond >= 9.95) {
    return `${Math.round(perSecond)}`;
  }
  return perSecond.toFixed(1).replace(/\.0$/, "");
}

/** Bytes per second for the tooltip: 512 B/s, 2 KB/s, 1.5 MB/s. */
export function formatBytes(perSecond: number): string {
  if (perSecond >= 1024 * 1024) {
    return `${formatRate(perSecond / (1024 * 1024))} MB/s`;
  }
  if (perSecond >= 1024) {
    return `${formatRate(perSecond / 1024)} KB/s`;
  }
  return `${formatRate(perSecond)} B/s`;
}

/**
 * The line's label: "12 msg/s" when it goes one way (or not at all), "→ 10/s ← 2/s" when both ways,
 * the arrows as the line is drawn ({@code leftToRight}: endpoint 1's box is on the left). A mark in
 * front when drops or errors grew.
 */
export function trafficLabel(t: LineTraffic, leftToRight: boolean): string {
  const right = leftToRight ? t.forward : t.backward;
  const left = leftToRight ? t.backward : t.forward;
  const text = right > 0 && left > 0 ? `→ ${formatRate(right)}/s ← ${formatRate(left)}/s`
    : `${formatRate(right + left)} msg/s`;
  return t.troubled ? `⚠ ${text}` : text;
}

/** The line's tooltip: each way's messages and bytes per second, then the drops and errors. */
export function trafficTitle(t: LineTraffic, leftToRight: boolean): string {
  const [right, rightBytes, left, leftBytes] = leftToRight
    ? [t.forward, t.bytesForward, t.backward, t.bytesBackward]
    : [t.backward, t.bytesBackward, t.forward, t.bytesForward];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return [`→ ${formatRate(right)} msg/s, ${formatBytes(rightBytes)}`, `← ${formatRate(left)} msg/s, ${formatBytes(leftBytes)}`,
    `${plural(t.dropped, "dropped message")}, ${plural(t.errors, "error")}${t.troubled ? " (growing)" : ""}`].join("\n");
}
