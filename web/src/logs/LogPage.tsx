import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { data, type Process } from "../api/client";
import { ApiError } from "../api/problem";
import { useShell } from "../shell/context";
import { href, navigate, type Route } from "../shell/route";
import { followLog } from "./follow";
import { DEFAULT_CAP, LogBuffer, segments, visible, type LogLine } from "./logview";

type Status = { kind: "connecting" } | { kind: "live" } | { kind: "ended" } | { kind: "error"; message: string; status: number };

/**
 * A process's log, live: the last lines of its container's output and what follows, with a search
 * that highlights (or keeps only) the matching lines, its query in the address (`?q=`). Follow keeps
 * the newest line in view; Pause holds the view still while the lines keep coming. Only the last
 * {@link DEFAULT_CAP} lines are kept.
 */
export function LogPage({ route }: { route: Route }) {
  const { api } = useShell();
  const id = route.id ?? "";
  const query = route.query.get("q") ?? "";
  const [process, setProcess] = useState<Process | null>(null);
  const [status, setStatus] = useState<Status>({ kind: "connecting" });
  const [lines, setLines] = useState<readonly LogLine[]>([]);
  const [dropped, setDropped] = useState(0);
  const [follow, setFollow] = useState(true);
  const [paused, setPaused] = useState(false);
  const [onlyMatching, setOnlyMatching] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const buffer = useRef(new LogBuffer());
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const [waiting, setWaiting] = useState(0); // lines come while paused
  const view = useRef<HTMLDivElement>(null);

  const show = useCallback(() => {
    setLines(buffer.current.lines);
    setDropped(buffer.current.dropped);
    setWaiting(0);
  }, []);

  useEffect(() => {
    if (!id) {
      return;
    }
    let current = true;
    data(api.GET("/process/{id}", { params: { path: { id } } })).then((p) => current && setProcess(p), () => {});
    return () => {
      current = false;
    };
  }, [api, id]);

  useEffect(() => {
    if (!id) {
      return;
    }
    const abort = new AbortController();
    const b = new LogBuffer();
    buffer.current = b;
    setLines([]);
    setDropped(0);
    setWaiting(0);
    setStatus({ kind: "connecting" });
    // the view is drawn at most once a frame, however fast the lines come
    let frame = 0;
    const schedule = () => {
      if (frame === 0) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          if (!pausedRef.current) {
            show();
          } else {
            setWaiting((b.lines.at(-1)?.seq ?? 0));
          }
        });
      }
    };
    let live = false;
    followLog(api, id, (text) => {
      if (!live) {
        live = true;
        setStatus({ kind: "live" });
      }
      if (b.push(text)) {
        schedule();
      }
    }, abort.signal).then(() => {
      b.end();
      schedule();
      setStatus({ kind: "ended" });
    }, (e: unknown) => {
      if (abort.signal.aborted) {
        return;
      }
      b.end();
      schedule();
      setStatus({ kind: "error", message: e instanceof Error ? e.message : String(e), status: e instanceof ApiError ? e.status : 0 });
    });
    return () => {
      abort.abort();
      cancelAnimationFrame(frame);
    };
  }, [api, id, attempt, show]);

  // Follow: the newest line in view after each change
  useLayoutEffect(() => {
    const el = view.current;
    if (follow && el) {
      el.scrollTop = el.scrollHeight;
    }
  }, [lines, follow, onlyMatching, query]);

  const onScroll = () => {
    const el = view.current;
    if (el && follow && el.scrollTop + el.clientHeight < el.scrollHeight - 40) {
      setFollow(false); // the user scrolled up to read: stop pulling the view down
    }
  };

  const setQuery = (q: string) => {
    const next = new URLSearchParams(route.query);
    if (q) {
      next.set("q", q);
    } else {
      next.delete("q");
    }
    navigate(href("logs", { id, query: next }), true);
  };

  const shown = visible(lines, query, onlyMatching);
  const newest = lines.at(-1)?.seq ?? 0;
  const held = paused && waiting > newest ? waiting - newest : 0;
  const name = process?.name ?? id;

  return (
    <main className="page log-page">
      <div className="log-head">
        <a href={href("canvas")} className="back">← Canvas</a>
        <h1>Log of {process ? `“${name}”` : <code>{id}</code>}</h1>
        {process && <span className="muted">{process.serviceId} {process.version}, {process.state.toLowerCase()}</span>}
      </div>
      <div className="log-tools" role="toolbar" aria-label="Log tools">
        <label className="log-search">
          <span>Search the log</span>
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="text to find" />
        </label>
        <label><input type="checkbox" checked={onlyMatching} onChange={(e) => setOnlyMatching(e.target.checked)} /> Only matching lines</label>
        <label><input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow (keep the newest in view)</label>
        <button type="button" aria-pressed={paused} onClick={() => {
          if (paused) {
            show();
          }
          setPaused(!paused);
        }}>{paused ? "Resume" : "Pause"}</button>
        {(status.kind === "ended" || status.kind === "error") && (
          <button type="button" onClick={() => setAttempt((a) => a + 1)}>Follow again</button>
        )}
      </div>
      <div className="log-status" role="status">
        {status.kind === "connecting" && "Connecting to the log…"}
        {status.kind === "live" && (paused ? `Paused${held > 0 ? `: ${held} new line${held === 1 ? "" : "s"} held` : ""}.` : "Following the log.")}
        {status.kind === "ended" && "The log ended: the process is gone, or its service stopped."}
        {status.kind === "error" && <span className="error">{status.status === 404 ? `No such process: ${status.message}` : status.message}</span>}
        {query && ` ${shown.count} matching line${shown.count === 1 ? "" : "s"}.`}
        {dropped > 0 && ` Only the last ${DEFAULT_CAP} lines are kept (${dropped} earlier let go).`}
      </div>
      <div ref={view} className="log-view" role="log" aria-live="off" aria-label={`Log of ${name}`} tabIndex={0} onScroll={onScroll}>
        {shown.lines.length === 0 && status.kind !== "connecting" && (
          <div className="muted log-empty">{query && onlyMatching ? "No line matches." : "No output yet."}</div>
        )}
        {shown.lines.map((l) => <Line key={l.seq} text={l.text} query={query} />)}
      </div>
    </main>
  );
}

/** One line, highlighted where it matches; drawn again only when its text or the query changes. */
const Line = memo(function Line({ text, query }: { text: string; query: string }) {
  return (
    <div className="log-line">
      {segments(text, query).map((s, i) => (s.match ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
      {text === "" && "\u200b"}
    </div>
  );
});
