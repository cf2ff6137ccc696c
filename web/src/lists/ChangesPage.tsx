import { useState } from "react";
import { all, data, type Process } from "../api/client";
import type { paths } from "../generated/openapi";
import { useShell } from "../shell/context";
import type { Route } from "../shell/route";
import {
  actsOn, attemptsText, canCancel, cancelledMessage, canRetry, CHANGE_KINDS, CHANGE_STATES, changeName, OPEN_STATES,
  retriedMessage, waiting, type PendingChange,
} from "./changes";
import { CHANGE_COLOURS } from "./colours";
import { AskFirst } from "./FormDialog";
import { usersOf } from "./connections";
import { formatTime, short, words } from "./format";
import { useActions, useListRoute, useLiveReload, useLoad, useUsers } from "./hooks";
import { listPage } from "./load";
import { enumOptions } from "./options";
import { apiQuery, scopeUser, withAllUsers, withFilter, type ListSpec } from "./query";
import { ScopeFilter } from "./ScopeFilter";
import { Badge, Empty, Filters, Id, ListHead, ListTable, LoadError, NoticeBar, Pager, SelectFilter, SortHeader, Time } from "./ui";

type Query = NonNullable<paths["/pendingchange"]["get"]["parameters"]["query"]>;

const SPEC: ListSpec = {
  sortable: ["kind", "state", "attempts", "createdAt", "updatedAt", "notBefore"],
  defaultSort: "-createdAt",
  filters: { state: { values: CHANGE_STATES }, kind: {}, processId: {}, connectionId: {} },
  descFirst: ["createdAt", "updatedAt", "notBefore", "attempts"],
  scoped: true,
};

const STATE_OPTIONS = [
  { label: "Any state", values: [] },
  { label: "Open (pending, running or failed)", values: OPEN_STATES },
  ...enumOptions("", CHANGE_STATES).slice(1),
];

/** The pending changes: cancel a PENDING one, retry a FAILED or PENDING one; live with their events. */
export function ChangesPage({ route }: { route: Route }) {
  const { api } = useShell();
  const { q, query, go, admin, empty } = useListRoute("changes", route, SPEC);
  const users = useUsers();
  const params = apiQuery(q) as Query;
  const list = useLoad(async (signal) => {
    const page = await listPage(api.GET("/pendingchange", { params: { query: params }, signal }), q.offset);
    const owners = usersOf(page.items.filter((c) => c.processId));
    const processes = owners.length === 0 ? [] : await all((offset, limit) => data(api.GET("/process", {
      params: { query: { offset, limit, ...(admin ? { userId: owners } : {}) } }, signal,
    })));
    return { ...page, processes: new Map(processes.map((p) => [p.id, p])) };
  }, JSON.stringify(params));
  const live = useLiveReload(api, ["pendingchange"], scopeUser(q), list.reload);
  const actions = useActions(list.reload);
  const [cancelling, setCancelling] = useState<PendingChange | null>(null);
  const items = list.value?.items ?? [];
  const processes = list.value?.processes ?? new Map<string, Process>();
  const sortHeader = (field: string, label: string, className?: string) => (
    <SortHeader page="changes" query={query} spec={SPEC} q={q} field={field} className={className}>{label}</SortHeader>
  );
  const retry = (c: PendingChange) => actions.run(c.id, `Retrying pending change ${changeName(c)}…`, async () =>
    retriedMessage(await data(api.POST("/pendingchange/{id}/retry", { params: { path: { id: c.id } } }))));
  const cancel = (c: PendingChange) => {
    setCancelling(null);
    void actions.run(c.id, `Cancelling pending change ${changeName(c)}…`, async () => {
      await data(api.DELETE("/pendingchange/{id}", { params: { path: { id: c.id } } }));
      return cancelledMessage(c);
    });
  };
  const about = (["processId", "connectionId"] as const).flatMap((name) => (q.filters[name] ?? []).map((id) => ({ name, id })));
  return (
    <main className="page list-page">
      <ListHead title="Pending changes" loading={list.loading} live={live} onReload={list.reload} />
      <Filters label="Filter the pending changes">
        <ScopeFilter q={q} userName={users.name} onChange={(everyone) => go(withAllUsers(query, everyone))} />
        <SelectFilter label="State" options={STATE_OPTIONS} values={q.filters.state ?? []}
          onChange={(v) => go(withFilter(query, "state", v))} />
        <SelectFilter label="Kind" options={enumOptions("Any kind", CHANGE_KINDS)} values={q.filters.kind ?? []}
          onChange={(v) => go(withFilter(query, "kind", v))} />
        {about.map(({ name, id }) => (
          <span key={`${name}:${id}`} className="filter-chip">
            about {name === "processId" ? `process ${processes.get(id)?.name ?? short(id)}` : `connection ${short(id)}`}
            <button type="button" aria-label={`Show changes about anything, not only ${short(id)}`}
              onClick={() => go(withFilter(query, name, (q.filters[name] ?? []).filter((x) => x !== id)))}>×</button>
          </span>
        ))}
      </Filters>
      <NoticeBar notice={actions.notice} onDismiss={actions.dismiss} />
      <LoadError error={list.error} />
      <ListTable label="Pending changes" loading={list.loading}>
        <thead>
          <tr>
            {sortHeader("kind", "Kind")}
            <th scope="col">Acts on</th>
            {sortHeader("state", "State")}
            {sortHeader("attempts", "Attempts", "minor")}
            <th scope="col">Last error</th>
            {admin && <th scope="col" className="minor">User</th>}
            {sortHeader("createdAt", "Created", "minor")}
            {sortHeader("updatedAt", "Updated")}
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => {
            const target = actsOn(c, (id) => processes.get(id)?.name);
            return (
              <tr key={c.id}>
                <th scope="row">{words(c.kind)} <Id id={c.id} /></th>
                <td><span title={target.id}>{target.label}</span></td>
                <td>
                  <Badge state={c.state} colour={CHANGE_COLOURS[c.state]} />
                  {waiting(c, Date.now()) && <div className="muted">next attempt {formatTime(c.notBefore)}</div>}
                </td>
                <td className="minor">{attemptsText(c)}</td>
                <td>{c.lastError && <span className="reason">{c.lastError}</span>}</td>
                {admin && <td className="minor">{users.name(c.userId)}</td>}
                <td className="minor"><Time iso={c.createdAt} /></td>
                <td><Time iso={c.updatedAt} /></td>
                <td>
                  <div className="row-actions">
                    {canRetry(c) && (
                      <button type="button" disabled={actions.busy !== null} onClick={() => void retry(c)}
                        aria-label={`Retry ${changeName(c)} now`}>
                        {c.state === "FAILED" ? "Retry" : "Run now"}
                      </button>
                    )}
                    {canCancel(c) && (
                      <button type="button" className="danger" disabled={actions.busy !== null}
                        onClick={() => setCancelling(c)} aria-label={`Cancel ${changeName(c)}…`}>Cancel…</button>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </ListTable>
      {list.value && items.length === 0 && (
        <Empty {...empty} total={list.value.total}>
          <p>No pending changes. They appear when the orchestrator carries out something that takes time: starting,
            configuring, moving or terminating a process, making or removing a connection.</p>
        </Empty>
      )}
      {list.value && <Pager page="changes" query={query} q={q} shown={items.length} total={list.value.total} onLimit={go} />}
      {cancelling && (
        <AskFirst title="Cancel this pending change?" confirm="Cancel the change" keep="Keep it" onConfirm={() => cancel(cancelling)}
          onCancel={() => setCancelling(null)}>
          <p>This {words(cancelling.kind)} change, for {actsOn(cancelling, (id) => processes.get(id)?.name).label}, will not
            be carried out: what it would have done stays undone.</p>
        </AskFirst>
      )}
    </main>
  );
}
