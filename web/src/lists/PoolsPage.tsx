import { useId, useState } from "react";
import { all, data } from "../api/client";
import { useShell } from "../shell/context";
import { href, type Route } from "../shell/route";
import { count } from "./format";
import { AskFirst, FormDialog } from "./FormDialog";
import { useActions, useListRoute, useLoad } from "./hooks";
import { listPage } from "./load";
import type { Pool } from "./nodes";
import { apiQuery, type ListSpec } from "./query";
import { Empty, Field, Id, ListHead, ListTable, LoadError, NoticeBar, Pager, SortHeader } from "./ui";

const SPEC: ListSpec = { sortable: ["name"], defaultSort: "name", filters: {} };

/** Node pools with how many nodes each has; an admin creates, renames and deletes (an empty) one. */
export function PoolsPage({ route }: { route: Route }) {
  const { api } = useShell();
  const { q, query, go, admin, empty } = useListRoute("pools", route, SPEC);
  const params = apiQuery(q);
  const list = useLoad(async (signal) => {
    const page = await listPage(api.GET("/nodepool", { params: { query: params }, signal }), q.offset);
    // the members of this page's pools, counted in one go (the nodes are few; the API counts no groups)
    const ids = page.items.map((p) => p.id);
    const nodes = ids.length === 0 ? [] : await all((offset, limit) =>
      data(api.GET("/node", { params: { query: { offset, limit, poolId: ids } }, signal })));
    const members = new Map<string, number>();
    for (const n of nodes) {
      if (n.poolId) {
        members.set(n.poolId, (members.get(n.poolId) ?? 0) + 1);
      }
    }
    return { ...page, members };
  }, JSON.stringify(params));
  const actions = useActions(list.reload);
  const [renaming, setRenaming] = useState<Pool | null>(null);
  const [deleting, setDeleting] = useState<Pool | null>(null);
  const items = list.value?.items ?? [];
  const members = (p: Pool) => list.value?.members.get(p.id) ?? 0;
  const remove = (p: Pool) => {
    setDeleting(null);
    void actions.run(p.id, `Deleting node pool ${p.name}…`, async () => {
      await data(api.DELETE("/nodepool/{id}", { params: { path: { id: p.id } } }));
      return `Node pool ${p.name} is deleted.`;
    });
  };
  return (
    <main className="page list-page">
      <ListHead title="Node pools" loading={list.loading} onReload={list.reload} />
      {admin && <CreatePool busy={actions.busy !== null} create={(name) => actions.run("new", `Creating node pool ${name}…`, async () => {
        const pool = await data(api.POST("/nodepool", { body: { name } }));
        return `Node pool ${pool.name} is created. Make nodes public in it on the Nodes page.`;
      })} />}
      <NoticeBar notice={actions.notice} onDismiss={actions.dismiss} />
      <LoadError error={list.error} />
      <ListTable label="Node pools" loading={list.loading}>
        <thead>
          <tr>
            <SortHeader page="pools" query={query} spec={SPEC} q={q} field="name">Name</SortHeader>
            <th scope="col">Nodes</th>
            {admin && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {items.map((p) => (
            <tr key={p.id}>
              <th scope="row"><span className="name">{p.name}</span> <Id id={p.id} /></th>
              <td><a href={href("nodes", { query: { poolId: p.id } })} aria-label={`The nodes of pool ${p.name}`}>
                {count(members(p), "node")}</a></td>
              {admin && (
                <td>
                  <div className="row-actions">
                    <button type="button" disabled={actions.busy !== null} onClick={() => setRenaming(p)}
                      aria-label={`Rename ${p.name}…`}>Rename…</button>
                    <button type="button" className="danger" disabled={actions.busy !== null} onClick={() => setDeleting(p)}
                      aria-label={`Delete ${p.name}…`}>Delete…</button>
                  </div>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </ListTable>
      {list.value && items.length === 0 && (
        <Empty {...empty} total={list.value.total}>
          <p>No node pools yet. {admin
            ? "Create one above, then make nodes public in it on the Nodes page: processes can then run there."
            : "An admin creates them; processes run on the public nodes in them."}</p>
        </Empty>
      )}
      {list.value && <Pager page="pools" query={query} q={q} shown={items.length} total={list.value.total} onLimit={go} />}
      {renaming && (
        <RenameDialog pool={renaming} onClose={() => setRenaming(null)}
          rename={async (name) => {
            const pool = await data(api.PUT("/nodepool/{id}", { params: { path: { id: renaming.id } }, body: { name } }));
            return `Node pool ${renaming.name} is now called ${pool.name}.`;
          }}
          onDone={(message) => {
            setRenaming(null);
            actions.setNotice({ tone: "done", text: message });
            list.reload();
          }} />
      )}
      {deleting && (
        <AskFirst title={`Delete node pool ${deleting.name}?`} confirm="Delete" onConfirm={() => remove(deleting)}
          onCancel={() => setDeleting(null)}>
          {members(deleting) === 0
            ? <p>It has no nodes.</p>
            : <p>It still has {count(members(deleting), "node")}: the orchestrator deletes only an empty pool. Make its
              nodes public in another pool (or private, or unidentified) first.</p>}
        </AskFirst>
      )}
    </main>
  );
}

function CreatePool({ busy, create }: { busy: boolean; create: (name: string) => Promise<boolean> }) {
  const [name, setName] = useState("");
  const id = useId();
  return (
    <form className="inline-form" onSubmit={(e) => {
      e.preventDefault();
      const trimmed = name.trim();
      if (trimmed) {
        void create(trimmed).then((made) => made && setName(""));
      }
    }}>
      <div className="field">
        <label htmlFor={id}>New node pool</label>
        <input id={id} value={name} onChange={(e) => setName(e.target.value)} placeholder="name" required />
      </div>
      <button type="submit" className="primary" disabled={busy || name.trim() === ""}>Create</button>
    </form>
  );
}

function RenameDialog({ pool, rename, onDone, onClose }: {
  pool: Pool;
  rename: (name: string) => Promise<string>;
  onDone: (message: string) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState(pool.name);
  return (
    <FormDialog title={`Rename node pool ${pool.name}`} submit="Rename" busyText="Renaming…" onClose={onClose} onDone={onDone}
      act={async () => {
        const trimmed = name.trim();
        if (!trimmed) {
          throw new Error("Give a name.");
        }
        return rename(trimmed);
      }}>
      <Field label="New name">{(id) => <input id={id} value={name} data-autofocus onChange={(e) => setName(e.target.value)} />}</Field>
    </FormDialog>
  );
}
