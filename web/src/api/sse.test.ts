import { describe, expect, it } from "vitest";
import { SseParser } from "./sse";

/** Everything the parser gives for the stream, fed in the given pieces. */
function parse(...chunks: string[]) {
  const parser = new SseParser();
  return { events: chunks.flatMap((c) => parser.push(c)), parser };
}

describe("SseParser", () => {
  it("parses the orchestrator's stream: ready, then named events with ids", () => {
    const { events, parser } = parse(
      'event:ready\nid:run-7\ndata:{"seq":7}\n\n'
      + ": keep-alive\n\n"
      + 'event:process\nid:run-8\ndata:{"seq":8,"subject":"process"}\n\n');
    expect(events).toEqual([
      { type: "ready", data: '{"seq":7}', lastEventId: "run-7" },
      { type: "process", data: '{"seq":8,"subject":"process"}', lastEventId: "run-8" },
    ]);
    expect(parser.lastEventId).toBe("run-8");
  });

  it("waits for the blank line that ends an event, however the stream is cut", () => {
    const whole = "event: connection\r\nid: r-1\r\ndata: {\"a\":1}\r\n\r\n";
    for (let i = 1; i < whole.length; i++) {
      const { events } = parse(whole.slice(0, i), whole.slice(i));
      expect(events, `cut at ${i}`).toEqual([{ type: "connection", data: '{"a":1}', lastEventId: "r-1" }]);
    }
    expect(parse(whole.slice(0, -2)).events).toEqual([]);
  });

  it("takes CR, LF and CRLF as line ends, a CRLF split between chunks as one", () => {
    expect(parse("data: a\r\r").events).toEqual([{ type: "message", data: "a", lastEventId: "" }]);
    expect(parse("data: a\r", "\ndata: b\r", "\n\r", "\n").events)
      .toEqual([{ type: "message", data: "a\nb", lastEventId: "" }]);
  });

  it("joins data lines with LF and strips one space after the colon only", () => {
    expect(parse("data:  two spaces\ndata\ndata:x\n\n").events)
      .toEqual([{ type: "message", data: " two spaces\n\nx", lastEventId: "" }]);
  });

  it("dispatches nothing for an event without data, but keeps its id", () => {
    const { events, parser } = parse("event: ready\nid: 5\n\n", "id\n\n");
    expect(events).toEqual([]);
    expect(parser.lastEventId).toBe("");
    expect(parse("id: 5\n\n").parser.lastEventId).toBe("5");
  });

  it("keeps the last id for events that do not set one (a reset has none)", () => {
    const { events } = parse("id: r-3\ndata: x\n\nevent: reset\ndata: {}\n\n");
    expect(events.map((e) => [e.type, e.lastEventId])).toEqual([["message", "r-3"], ["reset", "r-3"]]);
  });

  it("ignores comments, unknown fields, an id with NUL, and a leading byte-order mark", () => {
    const { events, parser } = parse("\uFEFF: hello\nfoo: bar\nid: a\u0000b\ndata: x\n\n");
    expect(events).toEqual([{ type: "message", data: "x", lastEventId: "" }]);
    expect(parser.lastEventId).toBe("");
  });

  it("reads retry only when it is digits", () => {
    expect(parse("retry: 2500\n").parser.retry).toBe(2500);
    expect(parse("retry: soon\n").parser.retry).toBeUndefined();
  });

  it("does not dispatch the unfinished event at the end of what came", () => {
    expect(parse("data: a\n").events).toEqual([]);
  });
});
