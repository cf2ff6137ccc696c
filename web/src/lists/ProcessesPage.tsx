import { all, data, type Process } from "../api/client";
import type { paths } from "../generated/openapi";
import { useShell } from "../shell/context";
import { href, type Route } from "../shell/route";
import { PROCESS_COLOURS } from "./colours";
import { useListRoute, useLiveReload, useLoad, useUsers } from "./hooks";
import { listPage } from "./load";
import { enumOptions } from "./options";
import { apiQuery, scopeUser, withAllUsers, withFilter, type ListSpec } from "./query";
import { ScopeFilter } from "./ScopeFilter";
import { Badge, Empty, Filters, Id, ListHead, ListTable, LoadError, Pager, SelectFilter, SortHeader, TextFilter, Time } from "./ui";

type Query = NonNullable<paths["/process"]["get"]["parameters"]["query"]>;

const STATES = ["STARTING", "RUNNING", "SUSPENDED", "FAILED", "TERMINATED"] as const;

const SPEC: ListSpec = {
  sortable: ["name", "serviceId", "version", "userId", "state", "createdAt"],
  defaultSort: "-createdAt",
  filters: { state: { values: STATES }, serviceId: {}, name: {} },
  descFirst: ["createdAt"],
  scoped: true,
};

/** The processes: page, sort and filters through the API; live with the process events. */
export function ProcessesPage({ route }: { route: Route }) {
  const { api, setViewUserId } = useShell();
  const { q, query, go, admin, empty } = useListRoute("processes", route, SPEC);
  const users = useUsers();
  const services = useLoad((signal) => all((offset, limit) =>
    data(api.GET("/service", { params: { query: { offset, limit, sort: "id" } }, signal }))).then((l) => l.map((s) => s.id)),
  "services");
  const params = apiQuery(q) as Query;
  const list = useLoad((signal) => listPage(api.GET("/process", { params: { query: params }, signal }), q.offset),
    JSON.stringify(params));
  const live = useLiveReload(api, ["process"], scopeUser(q), list.reload);
  const items = list.value?.items ?? [];
  const sortHeader = (field: string, label: string, className?: string) => (
    <SortHeader page="processes" query={query} spec={SPEC} q={q} field={field} className={className}>{label}</SortHeader>
  );
  const serviceIds = services.value ?? [];
  return (
    <main className="page list-page">
      <ListHead title="Processes" loading={list.loading} live={live} onReload={list.reload} />
      <Filters label="Filter the processes">
        <ScopeFilter q={q} userName={users.name} onChange={(everyone) => go(withAllUsers(query, everyone))} />
        <SelectFilter label="State" options={enumOptions("Any state", STATES)} values={q.filters.state ?? []}
          onChange={(v) => go(withFilter(query, "state", v))} />
        <SelectFilter label="Service" options={enumOptions("Any service", serviceIds, (id) => id)}
          values={q.filters.serviceId ?? []} onChange={(v) => go(withFilter(query, "serviceId", v))} />
        <TextFilter label="Name (exact)" value={(q.filters.name ?? []).join("")}
          onChange={(v, replace) => go(withFilter(query, "name", [v]), replace)} />
      </Filters>
      <LoadError error={list.error} />
      <ListTable label="Processes" loading={list.loading}>
        <thead>
          <tr>
            {sortHeader("name", "Name")}
            {sortHeader("serviceId", "Service")}
            {sortHeader("version", "Version")}
            {sortHeader("state", "State")}
            {admin && sortHeader("userId", "User")}
            {sortHeader("createdAt", "Created", "minor")}
            <th scope="col">Go to</th>
          </tr>
        </thead>
        <tbody>
          {items.map((p) => <Row key={p.id} p={p} admin={admin} userName={users.name} onCanvas={() => admin && setViewUserId(p.userId)} />)}
        </tbody>
      </ListTable>
      {list.value && items.length === 0 && (
        <Empty {...empty} total={list.value.total}>
          <p>No processes here yet. Start one on the <a href={href("canvas")}>canvas</a>: it appears here as it starts.</p>
        </Empty>
      )}
      {list.value && <Pager page="processes" query={query} q={q} shown={items.length} total={list.value.total} onLimit={go} />}
    </main>
  );
}

function Row({ p, admin, userName, onCanvas }: { p: Process; admin: boolean; userName: (id: string) => string; onCanvas: () => void }) {
  return (
    <tr>
      <th scope="row"><span className="name">{p.name}</span> <Id id={p.id} /></th>
      <td>{p.serviceId}</td>
      <td>{p.version}</td>
      <td><Badge state={p.state} colour={PROCESS_COLOURS[p.state]} reason={p.reason} /></td>
      {admin && <td>{userName(p.userId)}</td>}
      <td className="minor"><Time iso={p.createdAt} /></td>
      <td className="links">
        <a href={href("canvas")} onClick={onCanvas} aria-label={`${p.name} on the canvas`}>Canvas</a>
        <a href={href("logs", { id: p.id })} aria-label={`Log of ${p.name}`}>Log</a>
        <a href={href("changes", { query: { processId: p.id, ...(admin ? { user: "all" } : {}) } })}
          aria-label={`Pending changes of ${p.name}`}>Changes</a>
      </td>
    </tr>
  );
}
