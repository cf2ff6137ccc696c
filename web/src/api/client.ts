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
 * The data of a call, or an {@link ApiError} whose message is the problem's reason (or says the
 * orchestrator could not be reached).
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
  return answer.data as T;
}

/** Every item of a list route, page by page (the API gives at most 1000 at a time). */
export async function all<T>(page: (offset: number, limit: number) => Promise<T[]>): Promise<T[]> {
  const limit = 1000;
  const items: T[] = [];
  for (let offset = 0; ; offset += limit) {
    const batch = await page(offset, limit);
    items.push(...batch);
    if (batch.length < limit) {
      return items;
    }
  }
}
