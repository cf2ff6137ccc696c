/**
 * A followed log as the page keeps it: the text as it comes (in chunks that may split a line, or a
 * character: the decoder keeps those), cut into lines, only the last {@link LogBuffer.cap} kept; and
 * the search that filters and highlights them. Pure.
 */

export interface LogLine {
  /** Its number since the log was opened: a stable key, and how many went before it. */
  seq: number;
  text: string;
}

export const DEFAULT_CAP = 5000;

export class LogBuffer {
  readonly cap: number;
  private kept: LogLine[] = [];
  private partial = "";
  private next = 1;
  /** How many lines were let go to keep the cap. */
  dropped = 0;

  constructor(cap = DEFAULT_CAP) {
    this.cap = cap;
  }

  /** The lines kept, oldest first: a new array after each change, so a view can tell it changed. */
  get lines(): readonly LogLine[] {
    return this.kept;
  }

  /** The line not ended yet (shown as it is, as a terminal would). */
  get pending(): string {
    return this.partial;
  }

  /** Adds the text; answers whether a line was completed. */
  push(text: string): boolean {
    if (text === "") {
      return false;
    }
    const parts = (this.partial + text).split("\n");
    this.partial = parts.pop() ?? "";
    if (parts.length === 0) {
      return false;
    }
    const added = parts.map((t) => ({ seq: this.next++, text: t.endsWith("\r") ? t.slice(0, -1) : t }));
    const all = this.kept.concat(added);
    const over = all.length - this.cap;
    if (over > 0) {
      this.dropped += over;
    }
    this.kept = over > 0 ? all.slice(over) : all;
    return true;
  }

  /** The log ended: a last line without its newline is a line still. */
  end(): void {
    if (this.partial !== "") {
      const rest = this.partial;
      this.partial = "";
      this.push(`${rest}\n`);
    }
  }
}

/** Whether a line has the query in it (ignoring case); every line does for an empty query. */
export function matches(text: string, query: string): boolean {
  return query === "" || text.toLowerCase().includes(query.toLowerCase());
}

/** A line cut where the query is in it, to highlight: the parts that match are marked. */
export function segments(text: string, query: string): { text: string; match: boolean }[] {
  if (query === "") {
    return [{ text, match: false }];
  }
  const lower = text.toLowerCase();
  const q = query.toLowerCase();
  const parts: { text: string; match: boolean }[] = [];
  let at = 0;
  for (let i = lower.indexOf(q); i >= 0; i = lower.indexOf(q, i + q.length)) {
    if (i > at) {
      parts.push({ text: text.slice(at, i), match: false });
    }
    parts.push({ text: text.slice(i, i + q.length), match: true });
    at = i + q.length;
  }
  if (at < text.length || parts.length === 0) {
    parts.push({ text: text.slice(at), match: false });
  }
  return parts;
}

/** The lines to show: all, or only those that match; and how many match. */
export function visible(lines: readonly LogLine[], query: string, onlyMatching: boolean):
    { lines: readonly LogLine[]; count: number } {
  if (query === "") {
    return { lines, count: 0 };
  }
  const hits = lines.filter((l) => matches(l.text, query));
  return { lines: onlyMatching ? hits : lines, count: hits.length };
}
