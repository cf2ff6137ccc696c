/** An RFC 9457 problem, as the orchestrator answers every refusal (`application/problem+json`). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
}

/** A refused or failed call: the HTTP status (0 when the orchestrator could not be reached) and what to tell the user. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem?: Problem;

  constructor(status: number, message: string, problem?: Problem) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
  }
}

export function isProblem(body: unknown): body is Problem {
  if (typeof body !== "object" || body === null) {
    return false;
  }
  const b = body as Record<string, unknown>;
  return typeof b.title === "string" || typeof b.detail === "string";
}

/**
 * What a person reads for a refusal: the problem's title and its detail (the orchestrator's reason,
 * written as a sentence), or only one of them; without a problem body (a proxy's error page, an
 * empty answer) the status.
 */
export function problemMessage(status: number, body: unknown): string {
  if (isProblem(body)) {
    const title = body.title?.trim() ?? "";
    const detail = body.detail?.trim() ?? "";
    if (title && detail) {
      return detail.toLowerCase().startsWith(title.toLowerCase()) ? detail : `${title}: ${detail}`;
    }
    if (title || detail) {
      return title || detail;
    }
  }
  return `The orchestrator answered ${status}${STATUS_TEXT[status] ? ` (${STATUS_TEXT[status]})` : ""}.`;
}

/** The error for an answer that is not a success. */
export function apiError(status: number, body: unknown): ApiError {
  return new ApiError(status, problemMessage(status, body), isProblem(body) ? body : undefined);
}

/** The error for a call that got no answer: the network, or the orchestrator being down. */
export function unreachable(cause: unknown): ApiError {
  const why = cause instanceof Error && cause.message ? `: ${cause.message}` : "";
  return new ApiError(0, `Cannot reach the orchestrator${why}.`);
}

// Only for answers without a problem body, which the orchestrator itself never gives: a proxy's.
const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};
