import type { Route } from "../shell/route";

// Placeholders until the lists are built: each takes the route, whose query holds its filters, sort and page.
function Soon({ what }: { what: string }) {
  return <main className="page"><h1>{what}</h1><p className="muted">Not built yet.</p></main>;
}

export const ServicesPage = (_: { route: Route }) => <Soon what="Services" />;
export const ProcessesPage = (_: { route: Route }) => <Soon what="Processes" />;
export const ConnectionsPage = (_: { route: Route }) => <Soon what="Connections" />;
export const NodesPage = (_: { route: Route }) => <Soon what="Nodes" />;
export const PoolsPage = (_: { route: Route }) => <Soon what="Node pools" />;
export const UsersPage = (_: { route: Route }) => <Soon what="Users" />;
export const ChangesPage = (_: { route: Route }) => <Soon what="Pending changes" />;
