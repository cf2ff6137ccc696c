import type { Route } from "../shell/route";

/** A process's log (placeholder). */
export function LogPage({ route }: { route: Route }) {
  return <main className="page"><h1>Log of {route.id}</h1><p className="muted">Not built yet.</p></main>;
}
