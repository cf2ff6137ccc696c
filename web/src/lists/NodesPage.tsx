import { useCallback, useMemo, useState } from "react";
import { all, data } from "../api/client";
import type { paths } from "../generated/openapi";
import { useShell } from "../shell/context";
import type { Route } from "../shell/route";
import { NODE_STATUS_COLOURS } from "./colours";
import { AssignDialog } from "./AssignDialog";
import { formatCpus, formatMemory } from "./format";
import { useActions, useListRoute, useLoad, useUsers } from "./hooks";
import { listPage } from "./load";
import { assignedMessage, NODE_KINDS, NODE_STATUSES, type Node } from "./nodes";
import { enumOptions } from "./options";
import { apiQuery, withFilter, type ListSpec } from "./query";
import { Badge, Empty, Filters, Id, ListHead, ListTable, LoadError, NoticeBar, Pager, SelectFilter, SortHeader, Time } from "./ui";

type Query = NonNullable<paths["/node"]["get"]["parameters"]["query"]>;

const SPEC: ListSpec = {
  sortable: ["hostname", "architecture", "status", "kind", "poolId", "userId", "lastSeen"],
  defaultSort: "hostname",
  filters: { status: { values: NODE_STATUSES }, kind: { values: NODE_KINDS }, poolId: {}, userId: {} },
  descFirst: ["lastSeen"],
};

/** The Swarm's nodes; an admin makes one public in a pool, private for a user, or unidentified again. */
export function NodesPage({ route }: { route: Route }) {
  const { api } = useShell();
  const { q, query, go, admin, empty } = useListRoute("nodes", route, SPEC);
  const users = useUsers();
  const pools = useLoad((signal) => all((offset, limit) =>
    data(api.GET("/nodepool", { params: { query: { offset, limit, sort: "name" } }, signal }))), "pools");
  const poolList = useMemo(() => pools.value ?? [], [pools.value]);
  const poolName = useCallback((id: string) => poolList.find((p) => p.id === id)?.name ?? id, [poolList]);
  const params = apiQuery(q) as Query;
  const list = useLoad((signal) => listPage(api.GET("/node", { params: { query: params }, signal }), q.offset),
    JSON.stringify(params));
  const actions = useActions(list.reload);
  const [assigning, setAssigning] = useState<Node | null>(null);
  const items = list.value?.items ?? [];
  const sortHeader = (field: string, label: string, className?: string) => (
    <SortHeader page="nodes" query={query} spec={SPEC} q={q} field={field} className={className}>{label}</SortHeader>
  );
  return (
    <main className="page list-page">
      <ListHead title="Nodes" loading={list.loading} onReload={() => {
        list.reload();
        pools.reload();
      }} />
      <Filters label="Filter the nodes">
        <SelectFilter label="Status" options={enumOptions("Any status", NODE_STATUSES)} values={q.filters.status ?? []}
          onChange={(v) => go(withFilter(query, "status", v))} />
        <SelectFilter label="Kind" options={enumOptions("Any kind", NODE_KINDS)} values={q.filters.kind ?? []}
          onChange={(v) => go(withFilter(query, "kind", v))} />
        <SelectFilter label="Pool" options={[{ label: "Any pool", values: [] }, ...poolList.map((p) => ({ label: p.name, values: [p.id] }))]}
          values={q.filters.poolId ?? []} onChange={(v) => go(withFilter(query, "poolId", v))} />
        {admin && (
          <SelectFilter label="Private for" options={[{ label: "Anyone", values: [] }, ...users.users.map((u) => ({ label: u.name, values: [u.id] }))]}
            values={q.filters.userId ?? []} onChange={(v) => go(withFilter(query, "userId", v))} />
        )}
      </Filters>
      <NoticeBar notice={actions.notice} onDismiss={actions.dismiss} />
      <LoadError error={list.error ?? pools.error} />
      <ListTable label="Nodes" loading={list.loading}>
        <thead>
          <tr>
            {sortHeader("hostname", "Hostname")}
            {sortHeader("architecture", "Architecture")}
            {sortHeader("status", "Status")}
            {sortHeader("kind", "Kind")}
            <th scope="col">Capacity</th>
            {sortHeader("lastSeen", "Last seen", "minor")}
            {admin && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {items.map((n) => (
            <tr key={n.id}>
              <th scope="row"><span className="name">{n.hostname}</span> <Id id={n.id} /></th>
              <td>{n.architecture}</td>
              <td><Badge state={n.status} colour={NODE_STATUS_COLOURS[n.status]} /></td>
              <td>
                {n.kind}
                {n.kind === "public" && n.poolId && <div className="muted">pool {poolName(n.poolId)}</div>}
                {n.kind === "private" && n.userId && <div className="muted">for {users.name(n.userId)}</div>}
              </td>
              <td>{[formatMemory(n.memoryMb), formatCpus(n.cpus)].filter(Boolean).join(", ")}</td>
              <td className="minor"><Time iso={n.lastSeen} /></td>
              {admin && (
                <td>
                  <button type="button" disabled={actions.busy !== null} onClick={() => setAssigning(n)}
                    aria-label={`Assign ${n.hostname}…`}>{n.kind === "unidentified" ? "Assign…" : "Change…"}</button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </ListTable>
      {list.value && items.length === 0 && (
        <Empty {...empty} total={list.value.total}>
          <p>No nodes to show. A machine that joins the Docker Swarm (<code>docker swarm join</code>) appears here as
            unidentified{admin ? "; then make it public in a node pool, or private for a user" : "; an admin then makes it public or private"}.</p>
        </Empty>
      )}
      {list.value && <Pager page="nodes" query={query} q={q} shown={items.length} total={list.value.total} onLimit={go} />}
      {assigning && (
        <AssignDialog node={assigning} pools={poolList} users={users.users} onClose={() => setAssigning(null)}
          assign={async (body) => {
            const node = await data(api.PUT("/node/{id}", { params: { path: { id: assigning.id } }, body }));
            return assignedMessage(node, poolName, users.name);
          }}
          onDone={(message) => {
            setAssigning(null);
            actions.setNotice({ tone: "done", text: message });
            list.reload();
          }} />
      )}
    </main>
  );
}
