/**
 * The server-sent events format (HTML Living Standard, "Parsing an event stream"), parsed from text
 * as it arrives. EventSource would do this, but it cannot send an Authorization header, and the
 * token never goes in a URL; so GET /events is read with fetch and this parser.
 */

/** One dispatched event: its type ("message" when the stream named none), its data, and the last event id so far. */
export interface SseEvent {
  type: string;
  data: string;
  lastEventId: string;
}

export class SseParser {
  private buffer = "";
  private atStart = true;
  /** The last chunk ended with CR: a LF that starts the next one belongs to the same line end. */
  private skipLf = false;
  private type = "";
  private data: string[] = [];
  private lastId = "";
  /** The reconnection time the stream asked for, in milliseconds. */
  retry?: number;

  /** The id to send as Last-Event-ID when reconnecting ("" for none). */
  get lastEventId(): string {
    return this.lastId;
  }

  /** Takes the next piece of the stream's text; returns the events it completes. */
  push(chunk: string): SseEvent[] {
    if (this.skipLf && chunk.startsWith("\n")) {
      chunk = chunk.slice(1);
    }
    this.skipLf = false;
    this.buffer += chunk;
    if (this.atStart && this.buffer.length > 0) {
      if (this.buffer.startsWith("\uFEFF")) {
        this.buffer = this.buffer.slice(1);
      }
      this.atStart = false;
    }
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c !== "\n" && c !== "\r") {
        continue;
      }
      this.line(this.buffer.slice(start, i), events);
      if (c === "\r") {
        if (i + 1 === this.buffer.length) {
          this.skipLf = true;
        } else if (this.buffer[i + 1] === "\n") {
          i++;
        }
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line === "") {
      this.dispatch(events);
      return;
    }
    if (line.startsWith(":")) {
      return; // a comment: the orchestrator's keep-alive
    }
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) {
      value = value.slice(1);
    }
    switch (field) {
      case "event":
        this.type = value;
        break;
      case "data":
        this.data.push(value);
        break;
      case "id":
        if (!value.includes("\u0000")) {
          this.lastId = value;
        }
        break;
      case "retry":
        if (/^[0-9]+$/.test(value)) {
          this.retry = Number(value);
        }
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  private dispatch(events: SseEvent[]): void {
    if (this.data.length > 0) {
      events.push({ type: this.type || "message", data: this.data.join("\n"), lastEventId: this.lastId });
    }
    this.type = "";
    this.data = [];
  }
}
