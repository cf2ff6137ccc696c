import { useEffect, useState } from "react";

/** The pages of the UI; each has its own address (`#/<page>`), so a page can be bookmarked and reloaded. */
export const PAGES = ["canvas", "services", "processes", "connections", "nodes", "pools", "users", "changes", "logs"] as const;
export type Page = (typeof PAGES)[number];

/**
 * Where the UI is: `#/` is the canvas, `#/processes?state=RUNNING&sort=-createdAt` a list with its
 * query, `#/logs/<processId>` a process's log. The query is the page's own (a list's filters, sort and
 * page; the canvas's `user` for an admin looking at another user's environment).
 */
export interface Route {
  page: Page;
  /** What follows the page in the path: the process of a log page. */
  id?: string;
  query: URLSearchParams;
}

/** The route of a location hash; anything unknown is the canvas. */
export function parseRoute(hash: string): Route {
  const text = hash.startsWith("#") ? hash.slice(1) : hash;
  const q = text.indexOf("?");
  const path = (q < 0 ? text : text.slice(0, q)).split("/").filter(Boolean).map(safeDecode);
  const query = new URLSearchParams(q < 0 ? "" : text.slice(q + 1));
  const page = (PAGES as readonly string[]).includes(path[0] ?? "") ? (path[0] as Page) : "canvas";
  return path[1] !== undefined && page !== "canvas" ? { page, id: path[1], query } : { page, query };
}

/** The hash of a route: the inverse of {@link parseRoute}. */
export function href(page: Page, options: { id?: string; query?: URLSearchParams | Record<string, string> } = {}): string {
  const path = page === "canvas" ? "#/" : `#/${page}${options.id !== undefined ? `/${encodeURIComponent(options.id)}` : ""}`;
  const query = options.query instanceof URLSearchParams ? options.query : new URLSearchParams(options.query ?? {});
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The current route, following the address bar (links, back and forward). */
export function useRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return parseRoute(hash);
}

/** Go to a route; {@code replace} does not add to the history (a list's filter as it is typed). */
export function navigate(to: string, replace = false): void {
  if (replace) {
    window.history.replaceState(null, "", to);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else {
    window.location.hash = to.startsWith("#") ? to.slice(1) : to;
  }
}
