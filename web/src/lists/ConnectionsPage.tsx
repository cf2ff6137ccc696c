import { all, data, type Connection, type Process } from "../api/client";
import type { paths } from "../generated/openapi";
import { useShell } from "../shell/context";
import { href, type Route } from "../shell/route";
import { encryptedCell } from "../canvas/security";
import { CONNECTION_COLOURS } from "./colours";
import { endText, usersOf } from "./connections";
import { useListRoute, useLiveReload, useLoad, useUsers } from "./hooks";
import { listPage } from "./load";
import { enumOptions } from "./options";
import { apiQuery, scopeUser, withAllUsers, withFilter, type ListSpec } from "./query";
import { ScopeFilter } from "./ScopeFilter";
import { Badge, Empty, Filters, Id, ListHead, ListTable, LoadError, Pager, SelectFilter, SortHeader, Time } from "./ui";

type Query = NonNullable<paths["/connection"]["get"]["parameters"]["query"]>;

const STATES = ["STARTING", "ACTIVE", "SUSPENDED", "FAILED"] as const;

const SPEC: ListSpec = {
  sortable: ["state", "createdAt"],
  defaultSort: "-createdAt",
  filters: { state: { values: STATES } },
  descFirst: ["createdAt"],
  scoped: true,
};

/** The connections, their ends by process and interface name; live with the connection events. */
export function ConnectionsPage({ route }: { route: Route }) {
  const { api } = useShell();
  const { q, query, go, admin, empty } = useListRoute("connections", route, SPEC);
  const users = useUsers();
  const params = apiQuery(q) as Query;
  const list = useLoad(async (signal) => {
    const page = await listPage(api.GET("/connection", { params: { query: params }, signal }), q.offset);
    // the ends' names: the processes of the users on this page (the API has no filter on process ids)
    const owners = usersOf(page.items);
    const processes = owners.length === 0 ? [] : await all((offset, limit) => data(api.GET("/process", {
      params: { query: { offset, limit, ...(admin ? { userId: owners } : {}) } }, signal,
    })));
    return { ...page, processes: new Map(processes.map((p) => [p.id, p])) };
  }, JSON.stringify(params));
  const live = useLiveReload(api, ["connection"], scopeUser(q), list.reload);
  const items = list.value?.items ?? [];
  const processes = list.value?.processes ?? new Map<string, Process>();
  const sortHeader = (field: string, label: string, className?: string) => (
    <SortHeader page="connections" query={query} spec={SPEC} q={q} field={field} className={className}>{label}</SortHeader>
  );
  return (
    <main className="page list-page">
      <ListHead title="Connections" loading={list.loading} live={live} onReload={list.reload} />
      <Filters label="Filter the connections">
        <ScopeFilter q={q} userName={users.name} onChange={(everyone) => go(withAllUsers(query, everyone))} />
        <SelectFilter label="State" options={enumOptions("Any state", STATES)} values={q.filters.state ?? []}
          onChange={(v) => go(withFilter(query, "state", v))} />
      </Filters>
      <LoadError error={list.error} />
      <ListTable label="Connections" loading={list.loading}>
        <thead>
          <tr>
            <th scope="col">End 1</th>
            <th scope="col">End 2</th>
            {sortHeader("state", "State")}
            <th scope="col">Encrypted</th>
            {admin && <th scope="col">User</th>}
            {sortHeader("createdAt", "Created", "minor")}
          </tr>
        </thead>
        <tbody>
          {items.map((c) => <Row key={c.id} c={c} processes={processes} admin={admin} userName={users.name} />)}
        </tbody>
      </ListTable>
      {list.value && items.length === 0 && (
        <Empty {...empty} total={list.value.total}>
          <p>No connections here yet. On the <a href={href("canvas")}>canvas</a>, drag from a process's port to
            another's to connect them.</p>
        </Empty>
      )}
      {list.value && <Pager page="connections" query={query} q={q} shown={items.length} total={list.value.total} onLimit={go} />}
    </main>
  );
}

function Row({ c, processes, admin, userName }: {
  c: Connection;
  processes: ReadonlyMap<string, Process>;
  admin: boolean;
  userName: (id: string) => string;
}) {
  const encrypted = encryptedCell(c, processes);
  return (
    <tr>
      <End c={c} end="endpoint1" processes={processes} />
      <End c={c} end="endpoint2" processes={processes} />
      <td><Badge state={c.state} colour={CONNECTION_COLOURS[c.state]} reason={c.reason} /></td>
      <td title={encrypted.title}>{encrypted.text}</td>
      {admin && <td>{userName(c.userId)}</td>}
      <td className="minor"><Time iso={c.createdAt} /> <Id id={c.id} /></td>
    </tr>
  );
}

function End({ c, end, processes }: { c: Connection; end: "endpoint1" | "endpoint2"; processes: ReadonlyMap<string, Process> }) {
  const e = endText(c, end, processes);
  return (
    <td>
      <span className="name" title={e.processId}>{e.process}</span>
      <div><span title={e.interfaceId}>{e.interfaceName}</span> <span className="muted">version {e.version}</span></div>
    </td>
  );
}
