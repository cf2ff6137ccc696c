import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { all, data, type Api, type ApiEvent } from "../api/client";
import { followEvents } from "../api/events";
import { isAdmin, useShell } from "../shell/context";
import { href, navigate, type Page, type Route } from "../shell/route";
import { coalesce, concerns } from "./load";
import { hasFilters, readQuery, withOffset, withoutFilters, type ListQuery, type ListSpec } from "./query";

/** What a load has come to: the last value stays shown while the next one loads, and after it fails. */
export interface Loaded<V> {
  value?: V;
  error?: string;
  loading: boolean;
  reload(): void;
}

/**
 * Loads {@code load} whenever {@code key} changes (or on reload); a load that a newer one overtook
 * is dropped (its request aborted), so a slow answer never replaces a newer one.
 */
export function useLoad<V>(load: (signal: AbortSignal) => Promise<V>, key: string): Loaded<V> {
  const [state, setState] = useState<{ value?: V; error?: string; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    latest.current(controller.signal).then(
      (value) => !controller.signal.aborted && setState({ value, loading: false }),
      (e: unknown) => !controller.signal.aborted
        && setState((s) => ({ value: s.value, error: e instanceof Error ? e.message : String(e), loading: false })));
    return () => controller.abort();
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/**
 * Reloads (once per burst, 300 ms after its first event) when an event of {@code subjects} arrives,
 * of {@code userId} when the list is limited to one user, and each time the stream is (re)connected:
 * what changed while it was down is then in the reload. Gives why the stream is down, if it is.
 */
export function useLiveReload(api: Api, subjects: readonly ApiEvent["subject"][], userId: string | undefined,
    reload: () => void): string | null {
  const [down, setDown] = useState<string | null>(null);
  const latest = useRef(reload);
  latest.current = reload;
  const subjectsKey = subjects.join(",");
  useEffect(() => {
    const controller = new AbortController();
    const wanted = subjectsKey.split(",");
    const later = coalesce(() => latest.current(), 300);
    void followEvents(api, {
      ready() {
        setDown(null);
        later.call();
      },
      change(event) {
        if (concerns(event, wanted, userId)) {
          later.call();
        }
      },
      down: (message) => setDown(message),
    }, controller.signal);
    return () => {
      controller.abort();
      later.cancel();
    };
  }, [api, subjectsKey, userId]);
  return down;
}

/**
 * A list's route: what it asks for, made safe (see {@link readQuery}), a way to change it, and what
 * its {@code Empty} needs (whether filters are on, the first page, clearing the filters).
 */
export function useListRoute(page: Page, route: Route, spec: ListSpec) {
  const { me, viewUserId } = useShell();
  const admin = isAdmin(me);
  const text = route.query.toString();
  const q: ListQuery = useMemo(() => readQuery(new URLSearchParams(text), spec, { admin, viewUserId }),
    [text, spec, admin, viewUserId]);
  const go = useCallback((query: URLSearchParams, replace = false) => navigate(href(page, { query }), replace), [page]);
  const empty = {
    filtered: hasFilters(q),
    firstPage: href(page, { query: withOffset(route.query, 0) }),
    onClear: () => go(withoutFilters(route.query, spec)),
  };
  return { q, query: route.query, go, admin, empty };
}

/** What an action is doing or came to, for the notice bar. */
export interface Notice {
  tone: "busy" | "done" | "error";
  text: string;
}

/**
 * Runs actions one at a time: the notice says what is under way, then how it came out or the API's
 * reason; {@code busy} is the key of the item acted on (its buttons wait). {@code run} says whether it went well.
 */
export function useActions(after: () => void) {
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const latest = useRef(after);
  latest.current = after;
  const run = useCallback(async (key: string, progress: string, act: () => Promise<string>): Promise<boolean> => {
    setBusy(key);
    setNotice({ tone: "busy", text: progress });
    try {
      setNotice({ tone: "done", text: await act() });
      return true;
    } catch (e) {
      setNotice({ tone: "error", text: e instanceof Error ? e.message : String(e) });
      return false;
    } finally {
      setBusy(null);
      latest.current();
    }
  }, []);
  return { notice, busy, run, setNotice, dismiss: useCallback(() => setNotice(null), []) };
}

/**
 * Names of users by id, for the admin's user columns and choices (a user only sees their own
 * things, so only their own name). Ids that are not known stay ids.
 */
export function useUsers() {
  const { api, me } = useShell();
  const admin = isAdmin(me);
  const loaded = useLoad(
    (signal) => admin
      ? all((offset, limit) => data(api.GET("/user", { params: { query: { offset, limit, sort: "name" } }, signal })))
      : Promise.resolve([me]),
    `${admin}:${me.id}`);
  const users = loaded.value ?? [me];
  const names = useMemo(() => new Map(users.map((u) => [u.id, u.name])), [users]);
  const name = useCallback((id: string) => names.get(id) ?? id, [names]);
  return { users, name, error: loaded.error, reload: loaded.reload };
}
