/**
 * A list's page, sort and filters live in the route's query (`#/processes?state=RUNNING&sort=-createdAt&offset=100`),
 * so they survive a reload and the back button; the API pages, sorts and filters (never the browser).
 * This maps the route's query to the API's and back, and derives the links of the sort headers and the pager.
 */

/** What a list's route may ask for: the API's sortable fields and filters (see `Routes.java` `*_FIELDS`). */
export interface ListSpec {
  /** Fields the API sorts on. */
  sortable: readonly string[];
  /** The sort when the route names none, as the API writes it (`-createdAt`). */
  defaultSort: string;
  /** Filters by name; `values` lists the allowed ones of an enumerated field (others are dropped). */
  filters: Readonly<Record<string, { values?: readonly string[] }>>;
  /** Fields whose first click sorts descending (times: the newest first). */
  descFirst?: readonly string[];
  /** The list's items carry a user: an admin's list is the header's environment unless the route says `user=all`. */
  scoped?: boolean;
}

export interface SortKey {
  field: string;
  desc: boolean;
}

/** Whose items a scoped list shows: the header's environment, or everyone's (admins only). */
export type Scope = { all: true } | { all: false; userId: string };

export interface ListQuery {
  offset: number;
  limit: number;
  sort: SortKey[];
  filters: Record<string, string[]>;
  /** For a scoped list: whose items; undefined for a list that is not scoped, or for a user (the API limits them to their own). */
  scope?: Scope;
}

export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;

export function parseSort(text: string | null, spec: ListSpec): SortKey[] {
  const keys = (text ?? "").split(",").map((part) => part.trim()).filter(Boolean)
    .map((part) => ({ field: part.replace(/^-/, ""), desc: part.startsWith("-") }))
    .filter((k, i, all) => spec.sortable.includes(k.field) && all.findIndex((o) => o.field === k.field) === i);
  return keys.length > 0 ? keys : spec.defaultSort === "" ? [] : parseSort(spec.defaultSort, { ...spec, defaultSort: "" });
}

export function sortText(keys: readonly SortKey[]): string {
  return keys.map((k) => (k.desc ? `-${k.field}` : k.field)).join(",");
}

function wholeNumber(text: string | null, fallback: number, min: number, max: number): number {
  if (text === null || !/^\d+$/.test(text.trim())) {
    return fallback;
  }
  return Math.min(max, Math.max(min, Number(text)));
}

/**
 * What the route asks for, made safe for the API: unknown sort fields and filters are dropped, an
 * enumerated filter keeps only values it knows, the page size stays within what the API takes.
 * {@code context} says who is asking: only an admin's scoped list has a scope.
 */
export function readQuery(query: URLSearchParams, spec: ListSpec, context: { admin: boolean; viewUserId: string }):
    ListQuery {
  const filters: Record<string, string[]> = {};
  for (const [name, filter] of Object.entries(spec.filters)) {
    const values = [...new Set(query.getAll(name).filter((v) => v !== ""))]
      .filter((v) => !filter.values || filter.values.includes(v));
    if (values.length > 0) {
      filters[name] = values;
    }
  }
  const result: ListQuery = {
    offset: wholeNumber(query.get("offset"), 0, 0, Number.MAX_SAFE_INTEGER),
    limit: wholeNumber(query.get("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT),
    sort: parseSort(query.get("sort"), spec),
    filters,
  };
  if (spec.scoped && context.admin) {
    result.scope = query.get("user") === "all" ? { all: true } : { all: false, userId: context.viewUserId };
  }
  return result;
}

/** The API's query parameters for a list query (openapi-fetch repeats an array: `state=A&state=B`). */
export function apiQuery(q: ListQuery): Record<string, string | number | string[]> {
  const params: Record<string, string | number | string[]> = { offset: q.offset, limit: q.limit };
  const sort = sortText(q.sort);
  if (sort) {
    params.sort = sort;
  }
  for (const [name, values] of Object.entries(q.filters)) {
    params[name] = values;
  }
  if (q.scope && !q.scope.all) {
    params.userId = [q.scope.userId];
  }
  return params;
}

/** The user a scoped list is limited to, if any (to ignore other users' events). */
export function scopeUser(q: ListQuery): string | undefined {
  return q.scope && !q.scope.all ? q.scope.userId : undefined;
}

function copy(query: URLSearchParams): URLSearchParams {
  return new URLSearchParams(query);
}

/** Another page of the same list. */
export function withOffset(query: URLSearchParams, offset: number): URLSearchParams {
  const next = copy(query);
  if (offset > 0) {
    next.set("offset", String(offset));
  } else {
    next.delete("offset");
  }
  return next;
}

/** Another page size; back to the first page. */
export function withLimit(query: URLSearchParams, limit: number): URLSearchParams {
  const next = withOffset(query, 0);
  if (limit === DEFAULT_LIMIT) {
    next.delete("limit");
  } else {
    next.set("limit", String(limit));
  }
  return next;
}

/** Another filter; back to the first page (the old offset may be past the new end). */
export function withFilter(query: URLSearchParams, name: string, values: readonly string[]): URLSearchParams {
  const next = withOffset(query, 0);
  next.delete(name);
  for (const v of values) {
    if (v !== "") {
      next.append(name, v);
    }
  }
  return next;
}

/** Everyone's items, or the header's environment (the default, so no parameter). */
export function withAllUsers(query: URLSearchParams, all: boolean): URLSearchParams {
  const next = withOffset(query, 0);
  if (all) {
    next.set("user", "all");
  } else {
    next.delete("user");
  }
  return next;
}

/** The filters gone (the page size and sort stay). */
export function withoutFilters(query: URLSearchParams, spec: ListSpec): URLSearchParams {
  const next = withOffset(query, 0);
  for (const name of Object.keys(spec.filters)) {
    next.delete(name);
  }
  next.delete("user");
  return next;
}

/** Whether the route narrows the list (the empty state then says so, and offers to clear it). */
export function hasFilters(q: ListQuery): boolean {
  return Object.keys(q.filters).length > 0;
}

/**
 * The route after a click on a column's header: the same column again turns its order round, another
 * column sorts by it alone (ascending, or descending for times). Back to the first page; the
 * default sort leaves no parameter.
 */
export function toggleSort(query: URLSearchParams, spec: ListSpec, field: string): URLSearchParams {
  const current = parseSort(query.get("sort"), spec)[0];
  const desc = current?.field === field ? !current.desc : (spec.descFirst ?? []).includes(field);
  const text = sortText([{ field, desc }]);
  const next = withOffset(query, 0);
  if (text === spec.defaultSort) {
    next.delete("sort");
  } else {
    next.set("sort", text);
  }
  return next;
}

/** A header's `aria-sort`: only the column the list is sorted by first has one. */
export function ariaSort(sort: readonly SortKey[], field: string): "ascending" | "descending" | undefined {
  const first = sort[0];
  if (first?.field !== field) {
    return undefined;
  }
  return first.desc ? "descending" : "ascending";
}

/** "101–200 of 1234"; "none of 1234" on a page past the end. */
export function pagerText(offset: number, shown: number, total: number): string {
  if (shown === 0) {
    return total === 0 ? "0 of 0" : `none of ${total}`;
  }
  return `${offset + 1}–${offset + shown} of ${total}`;
}

/** The offsets of the pager's links; undefined where there is nowhere to go. */
export function pagerOffsets(offset: number, limit: number, total: number):
    { first?: number; previous?: number; next?: number; last?: number } {
  const last = total > 0 ? Math.floor((total - 1) / limit) * limit : 0;
  return {
    first: offset > 0 ? 0 : undefined,
    previous: offset > 0 ? Math.min(Math.max(0, offset - limit), last) : undefined,
    next: offset + limit < total ? offset + limit : undefined,
    last: offset < last ? last : undefined,
  };
}
