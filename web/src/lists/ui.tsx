import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { href, type Page } from "../shell/route";
import { formatTime } from "./format";
import type { Notice } from "./hooks";
import { optionKey, withCurrent, type Option } from "./options";
import {
  ariaSort, PAGE_SIZES, pagerOffsets, pagerText, toggleSort, withLimit, withOffset, type ListQuery, type ListSpec,
} from "./query";

/** The page's title, whether it follows the events, and a reload button. */
export function ListHead({ title, loading, live, onReload, children }: {
  title: string;
  loading: boolean;
  /** undefined: the list does not follow events; null: it does; a text: why the stream is down. */
  live?: string | null;
  onReload: () => void;
  children?: ReactNode;
}) {
  return (
    <div className="list-head">
      <h1>{title}</h1>
      {live !== undefined && (
        <span className={`live${live ? " down" : ""}`} title={live ?? "Updated as changes happen"}>
          {live ? "Live updates paused; reconnecting" : "Live"}
        </span>
      )}
      <span className="list-head-actions">
        {children}
        <button type="button" onClick={onReload} disabled={loading}>{loading ? "Loading…" : "Reload"}</button>
      </span>
    </div>
  );
}

/** The filters of a list: changes apply at once (there is nothing to submit). */
export function Filters({ label, children }: { label: string; children: ReactNode }) {
  return (
    <form className="filters" role="search" aria-label={label} onSubmit={(e) => e.preventDefault()}>
      {children}
    </form>
  );
}

export function SelectFilter({ label, options, values, onChange }: {
  label: string;
  options: readonly Option[];
  values: readonly string[];
  onChange: (values: readonly string[]) => void;
}) {
  const shown = withCurrent(options, values);
  return (
    <label className="filter">
      <span>{label}</span>
      <select value={optionKey(values)}
        onChange={(e) => onChange(shown.find((o) => optionKey(o.values) === e.target.value)?.values ?? [])}>
        {shown.map((o) => <option key={optionKey(o.values)} value={optionKey(o.values)}>{o.label}</option>)}
      </select>
    </label>
  );
}

/**
 * A text filter (the API matches it exactly): applied 400 ms after typing stops, replacing the route
 * rather than adding to the history; Enter applies it at once.
 */
export function TextFilter({ label, value, placeholder, onChange }: {
  label: string;
  value: string;
  placeholder?: string;
  onChange: (value: string, replace: boolean) => void;
}) {
  const [text, setText] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => setText(value), [value]);
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <label className="filter">
      <span>{label}</span>
      <input type="search" value={text} placeholder={placeholder} spellCheck={false}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => onChange(next.trim(), true), 400);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            clearTimeout(timer.current);
            onChange(text.trim(), false);
          }
        }} />
    </label>
  );
}

/** A column header that sorts the list through the route (a link: it works with the keyboard and the back button). */
export function SortHeader({ page, query, spec, q, field, children, className }: {
  page: Page;
  query: URLSearchParams;
  spec: ListSpec;
  q: ListQuery;
  field: string;
  children: ReactNode;
  className?: string;
}) {
  const sorted = ariaSort(q.sort, field);
  const next = sorted === "ascending" ? "descending" : sorted === "descending" ? "ascending"
    : (spec.descFirst ?? []).includes(field) ? "descending" : "ascending";
  return (
    <th scope="col" aria-sort={sorted} className={className}>
      <a className="sort" href={href(page, { query: toggleSort(query, spec, field) })} title={`Sort ${next}`}>
        {children}
        <span className="sort-mark" aria-hidden="true">{sorted === "ascending" ? "▲" : sorted === "descending" ? "▼" : "↕"}</span>
      </a>
    </th>
  );
}

/** "101–200 of 1234", the links to other pages, and the page size. */
export function Pager({ page, query, q, shown, total, onLimit }: {
  page: Page;
  query: URLSearchParams;
  q: ListQuery;
  shown: number;
  total: number;
  onLimit: (query: URLSearchParams) => void;
}) {
  if (total === 0 && q.offset === 0) {
    return null; // the empty state says it
  }
  const to = pagerOffsets(q.offset, q.limit, total);
  const link = (offset: number | undefined, label: string, text: string) => offset === undefined
    ? <span className="pager-off" aria-hidden="true">{text}</span>
    : <a href={href(page, { query: withOffset(query, offset) })} aria-label={label}>{text}</a>;
  const sizes = (PAGE_SIZES as readonly number[]).includes(q.limit) ? PAGE_SIZES : [...PAGE_SIZES, q.limit].sort((a, b) => a - b);
  return (
    <nav className="pager" aria-label="Pages of the list">
      {link(to.first, "First page", "«")}
      {link(to.previous, "Previous page", "‹ Previous")}
      <span className="pager-text" aria-live="polite">{pagerText(q.offset, shown, total)}</span>
      {link(to.next, "Next page", "Next ›")}
      {link(to.last, "Last page", "»")}
      <label className="filter page-size">
        <span>Per page</span>
        <select value={q.limit} onChange={(e) => onLimit(withLimit(query, Number(e.target.value)))}>
          {sizes.map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </label>
    </nav>
  );
}

/** The table, in a box that scrolls sideways on a narrow screen (focusable, so the keyboard can scroll it). */
export function ListTable({ label, loading, children }: { label: string; loading: boolean; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      <table className="list" aria-busy={loading}>{children}</table>
    </div>
  );
}

/**
 * What the list shows when its page has nothing: that the page is past the end (items went away, or
 * an old link), that the filters leave nothing, or what to do first.
 */
export function Empty({ filtered, total, firstPage, onClear, children }: {
  filtered: boolean;
  total: number;
  /** The route of the list's first page. */
  firstPage: string;
  onClear: () => void;
  children: ReactNode;
}) {
  let text = children;
  if (total > 0) {
    text = <p>This page is past the end of the list. <a href={firstPage}>Go to the first page</a></p>;
  } else if (filtered) {
    text = <p>Nothing matches these filters. <button type="button" className="link" onClick={onClear}>Clear the filters</button></p>;
  }
  return <div className="empty">{text}</div>;
}

/** What the last action is doing or came to; an error stays until dismissed or the next action. */
export function NoticeBar({ notice, onDismiss }: { notice: Notice | null; onDismiss: () => void }) {
  return (
    <div className="list-notice" aria-live="polite">
      {notice && (
        <div className={`notice-bar ${notice.tone === "busy" ? "" : notice.tone}`} role={notice.tone === "error" ? "alert" : "status"}>
          {notice.tone === "busy" && <span className="spinner" aria-hidden="true" />}
          <span>{notice.text}</span>
          {notice.tone !== "busy" && (
            <button type="button" className="close" aria-label="Dismiss the message" onClick={onDismiss}>×</button>
          )}
        </div>
      )}
    </div>
  );
}

/** A state: a coloured dot and the state in words (dark text, readable on any screen). */
export function Badge({ state, colour, reason }: { state: string; colour: string; reason?: string }) {
  return (
    <>
      <span className="badge"><i style={{ background: colour }} aria-hidden="true" />{state.toLowerCase()}</span>
      {reason && <div className="reason">{reason}</div>}
    </>
  );
}

export function Time({ iso }: { iso: string | undefined }) {
  return iso ? <time dateTime={iso} title={iso}>{formatTime(iso)}</time> : null;
}

/** A load that failed: the API's reason (the last good page, if any, stays shown below). */
export function LoadError({ error }: { error?: string }) {
  return error ? <p className="error list-error" role="alert">Could not load the list: {error}</p> : null;
}

/** An id shortened, the whole one on hover and for screen readers. */
export function Id({ id }: { id: string }) {
  return <code className="id" title={id}>{id.length > 8 ? `${id.slice(0, 8)}…` : id}</code>;
}

/** A label and its input, for the forms in dialogs. */
export function Field({ label, hint, children }: { label: string; hint?: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint && <div className="muted hint">{hint}</div>}
    </div>
  );
}
