import { useState } from "react";
import { data, type User } from "../api/client";
import type { paths } from "../generated/openapi";
import { isAdmin, useShell } from "../shell/context";
import type { Route } from "../shell/route";
import { AskFirst } from "./FormDialog";
import { useActions, useListRoute, useLoad } from "./hooks";
import { listPage } from "./load";
import { enumOptions } from "./options";
import { apiQuery, withFilter, type ListSpec } from "./query";
import { Empty, Filters, ListHead, ListTable, LoadError, NoticeBar, Pager, SelectFilter, SortHeader, TextFilter, Time } from "./ui";
import { CreateDialog, PasswordDialog } from "./UserDialogs";
import { otherRole, ROLES } from "./users";

type Query = NonNullable<paths["/user"]["get"]["parameters"]["query"]>;

const SPEC: ListSpec = {
  sortable: ["name", "role", "email", "createdAt"],
  defaultSort: "name",
  filters: { role: { values: ROLES }, name: {} },
  descFirst: ["createdAt"],
};

/** The users (admins only): create one, set a new password or role, delete one; the API's refusals are shown. */
export function UsersPage({ route }: { route: Route }) {
  const { me } = useShell();
  if (!isAdmin(me)) {
    return (
      <main className="page list-page">
        <h1>Users</h1>
        <p className="empty">Only admins manage users. Ask one to create an account, or to change your role.</p>
      </main>
    );
  }
  return <Users route={route} />;
}

function Users({ route }: { route: Route }) {
  const { api, me } = useShell();
  const { q, query, go, empty } = useListRoute("users", route, SPEC);
  const params = apiQuery(q) as Query;
  const list = useLoad((signal) => listPage(api.GET("/user", { params: { query: params }, signal }), q.offset),
    JSON.stringify(params));
  const actions = useActions(list.reload);
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<User | null>(null);
  const [deleting, setDeleting] = useState<User | null>(null);
  const [demoting, setDemoting] = useState<User | null>(null);
  const items = list.value?.items ?? [];
  const sortHeader = (field: string, label: string, className?: string) => (
    <SortHeader page="users" query={query} spec={SPEC} q={q} field={field} className={className}>{label}</SortHeader>
  );
  const setRole = (u: User) => {
    setDemoting(null);
    const role = otherRole(u.role);
    void actions.run(u.id, `Making ${u.name} ${role === "admin" ? "an admin" : "a user"}…`, async () => {
      const changed = await data(api.PUT("/user/{id}", { params: { path: { id: u.id } }, body: { role } }));
      return `${changed.name} is now ${changed.role === "admin" ? "an admin" : "a user"}.`;
    });
  };
  const remove = (u: User) => {
    setDeleting(null);
    void actions.run(u.id, `Deleting user ${u.name}…`, async () => {
      await data(api.DELETE("/user/{id}", { params: { path: { id: u.id } } }));
      return `User ${u.name} is deleted.`;
    });
  };
  const done = (message: string) => {
    setCreating(false);
    setResetting(null);
    actions.setNotice({ tone: "done", text: message });
    list.reload();
  };
  return (
    <main className="page list-page">
      <ListHead title="Users" loading={list.loading} onReload={list.reload}>
        <button type="button" className="primary" onClick={() => setCreating(true)}>New user…</button>
      </ListHead>
      <Filters label="Filter the users">
        <SelectFilter label="Role" options={enumOptions("Any role", ROLES)} values={q.filters.role ?? []}
          onChange={(v) => go(withFilter(query, "role", v))} />
        <TextFilter label="Name (exact)" value={(q.filters.name ?? []).join("")}
          onChange={(v, replace) => go(withFilter(query, "name", [v]), replace)} />
      </Filters>
      <NoticeBar notice={actions.notice} onDismiss={actions.dismiss} />
      <LoadError error={list.error} />
      <ListTable label="Users" loading={list.loading}>
        <thead>
          <tr>
            {sortHeader("name", "Name")}
            {sortHeader("role", "Role")}
            {sortHeader("email", "Email", "minor")}
            {sortHeader("createdAt", "Created", "minor")}
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {items.map((u) => (
            <tr key={u.id}>
              <th scope="row"><span className="name">{u.name}</span>{u.id === me.id && <span className="muted"> (you)</span>}</th>
              <td>{u.role}</td>
              <td className="minor">{u.email}</td>
              <td className="minor"><Time iso={u.createdAt} /></td>
              <td>
                <div className="row-actions">
                  <button type="button" disabled={actions.busy !== null}
                    onClick={() => (u.id === me.id && u.role === "admin" ? setDemoting(u) : setRole(u))}>
                    {u.role === "admin" ? "Make user" : "Make admin"}<span className="sr-only"> {u.name}</span>
                  </button>
                  <button type="button" disabled={actions.busy !== null} onClick={() => setResetting(u)}>
                    New password…<span className="sr-only"> for {u.name}</span>
                  </button>
                  <button type="button" className="danger" disabled={actions.busy !== null} onClick={() => setDeleting(u)}>
                    Delete…<span className="sr-only"> {u.name}</span>
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </ListTable>
      {list.value && items.length === 0 && (
        <Empty {...empty} total={list.value.total}>
          <p>No users. Create one with <strong>New user…</strong>.</p>
        </Empty>
      )}
      {list.value && <Pager page="users" query={query} q={q} shown={items.length} total={list.value.total} onLimit={go} />}
      {creating && <CreateDialog onClose={() => setCreating(false)} onDone={done} create={async (body) => {
        const user = await data(api.POST("/user", { body }));
        return `User ${user.name} is created${user.role === "admin" ? " as an admin" : ""}.`;
      }} />}
      {resetting && <PasswordDialog user={resetting} self={resetting.id === me.id} onClose={() => setResetting(null)} onDone={done}
        save={async (body) => {
          await data(api.PUT("/user/{id}", { params: { path: { id: resetting.id } }, body }));
          return `${resetting.name} has a new password; their sessions have ended.`;
        }} />}
      {deleting && (
        <AskFirst title={`Delete user ${deleting.name}?`} confirm="Delete" onConfirm={() => remove(deleting)} onCancel={() => setDeleting(null)}>
          <p>They can no longer log in. The orchestrator refuses while they still have processes or private nodes.</p>
        </AskFirst>
      )}
      {demoting && (
        <AskFirst title="Stop being an admin?" confirm="Make me a user" onConfirm={() => setRole(demoting)} onCancel={() => setDemoting(null)}>
          <p>You would no longer manage users, nodes and pools, nor see other users' environments.</p>
        </AskFirst>
      )}
    </main>
  );
}
