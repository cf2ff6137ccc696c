import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "../generated/openapi";
import { ApiError, apiError, unreachable } from "./problem";

// Types of the API, generated from the orchestrator's openapi.yaml at each build: a field the UI
// reads that the API does not have fails the type check.
export type Process = components["schemas"]["Process"];
export type ProcessState = components["schemas"]["ProcessState"];
export type Connection = components["schemas"]["Connection"];
export type ConnectionState = components["schemas"]["ConnectionState"];
export type Interface = components["schemas"]["Interface"];
export type User = components["schemas"]["User"];
export type ApiEvent = components["schemas"]["Event"];
export type ConnectionTraffic = components["schemas"]["ConnectionTraffic"];
export type EndTraffic = components["schemas"]["EndTraffic"];
export type Api = Client<paths>;

export interface ApiOptions {
  /** "" in the browser: the API is on the page's own origin. */
  baseUrl?: string;
  fetch?: (request: Request) => Promise<Response>;
  /** The session's bearer token, if logged in. */
  token: () => string | null;
  /** Called on any 401 but a refused login: the session is over. */
  onUnauthorized: () => void;
}

/** The typed client: every call carries the session's token, and a 401 ends the session. */
export function createApi(options: ApiOptions): Api {
  const api = createClient<paths>({ baseUrl: options.baseUrl ?? "", fetch: options.fetch });
  api.use({
    onRequest({ request }) {
      const token = options.token();
      if (token) {
        request.headers.set("Authorization", `Bearer ${token}`);
      }
      return request;
    },
    onResponse({ request, response, schemaPath }) {
      // a refused login is an answer for the login form, not the end of a session
      if (response.status === 401 && !(request.method === "POST" && schemaPath === "/login")) {
        options.onUnauthorized();
      }
      return response;
    },
  });
  return api;
}

/**
 * The `X-Total-Count` of the lists {@link data} gave, by the very array: how many items match before
 * paging (the API sends it with every list), so {@link all} knows a full page was the last.
 */
const totals = new WeakMap<object, number>();

/** How many items the list route had in all when it answered with {@code list}, if it said. */
export function totalOf(list: readonly unknown[]): number | undefined {
  return totals.get(list);
}

/**
 * The data of a call, or an {@link ApiError} whose message is the problem's reason (or says the
 * orchestrator could not be reached). A list keeps the answer's `X-Total-Count` ({@link totalOf}).
 */
export async function data<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let answer: { data?: T; error?: unknown; response: Response };
  try {
    answer = await call;
  } catch (e) {
    if (e instanceof ApiError || (e instanceof DOMException && e.name === "AbortError")) {
      throw e;
    }
    throw unreachable(e);
  }
  if (!answer.response.ok) {
    throw apiError(answer.response.status, answer.error);
  }
  const body = answer.data;
  const total = answer.response.headers.get("X-Total-Count");
  if (Array.isArray(body) && total !== null && /^[0-9]+$/.test(total.trim())) {
    totals.set(body, Number(total));
  }
  return body as T;
}

/** The most items a list route gives at a time. */
export const PAGE_LIMIT = 1000;

/**
 * Every item of a list route, page by page (the API gives at most 1000 at a time). A page's total
 * ({@link totalOf}, from `X-Total-Count`) says whether there are more: a page that is exactly full
 * is then the last without asking for an empty one after it, and the pages up to the total are asked
 * for at once. Without a total, pages are read one after the other until one is short.
 */
export async function all<T>(page: (offset: number, limit: number) => Promise<T[]>): Promise<T[]> {
  const limit = PAGE_LIMIT;
  const items: T[] = [];
  let total: number | undefined;
  for (let offset = 0; ;) {
    // one page until the total is known; then every page up to it at once
    const count = total === undefined ? 1 : Math.max(1, Math.ceil((total - offset) / limit));
    const batches = await Promise.all(Array.from({ length: count }, (_, i) => page(offset + i * limit, limit)));
    for (const batch of batches) {
      items.push(...batch);
    }
    offset += count * limit;
    const last = batches[count - 1]!;
    // the last page's total: the list may have grown meanwhile
    total = totalOf(last);
    if (last.length < limit || (total !== undefined && offset >= total)) {
      return items;
    }
  }
}
