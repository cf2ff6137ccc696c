import { apiError } from "../api/problem";
import type { Api } from "../api/client";

/** How many of the last lines a followed log starts with. */
export const TAIL = 1000;

/**
 * Follows a process's container output (GET /process/{id}/log?follow=true) through the API client,
 * so the request carries the session's token in its Authorization header (never in the URL), as the
 * event stream does: each chunk of text to {@code onText} as it comes, until the log ends (the
 * process is gone, or its service stopped) or {@code signal} aborts. A refusal throws an ApiError
 * (404: no such process).
 */
export async function followLog(api: Api, id: string, onText: (text: string) => void, signal: AbortSignal,
    tail = TAIL): Promise<void> {
  const { response, error } = await api.GET("/process/{id}/log", {
    params: { path: { id }, query: { follow: true, tail } },
    parseAs: "stream",
    signal,
  });
  if (!response.ok) {
    throw apiError(response.status, error);
  }
  if (!response.body) {
    return;
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder(); // UTF-8; a character split across chunks waits for its rest
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      const rest = decoder.decode();
      if (rest) {
        onText(rest);
      }
      return;
    }
    onText(decoder.decode(value, { stream: true }));
  }
}
